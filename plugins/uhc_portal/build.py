"""Build the site strictly into a fresh folder, index it for search, then swap it into place.

Pelican alone exits 0 after a content error and `-d` empties the output before reading anything;
here any warning fails the build and the previous output stays exactly as it was. Pelican runs
once per language into the same folder (the first language at its root, each other in its own
subfolder), so every page has its twin in every language, and the site is swapped in whole.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import itertools
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import SOURCE_LANGUAGE, activate
from .incremental import (
    DataDigests,
    Manifest,
    RunReuse,
    code_key,
    digest,
    link_files,
    manifest_path,
    output_files,
    running,
    sitemap_answers,
)
from .search_index import SearchIndex
from .session import BuildSession
from .settings import check_settings, language_runs
from .sitemap import write_site_index

log = logging.getLogger(__name__)

RENAME_EXCHANGE = 2
AT_FDCWD = -100
NUMBERS = itertools.count()  # names of the folders set aside, unique in the process
REMOVING: list[subprocess.Popen] = []  # the processes removing folders set aside (remove_later)
# The remover: the folder's path on its first line of input, then removed.
REMOVER = "import shutil, sys\npath = sys.stdin.readline()[:-1]\nif path: shutil.rmtree(path, True)"


def build_site(
    settings_file: Path,
    output: Path,
    overrides: dict | None = None,
    session: BuildSession | None = None,
) -> BuildReport:
    """Build into a sibling temporary folder; only a complete build replaces `output`.

    What the last build's manifest shows unchanged is hard-linked from the previous output
    instead of rendered (see incremental.py); `session` keeps what the process can keep between
    builds (the preview server's)."""
    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    from .render import cache_dir_for

    session = session or BuildSession()
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(output)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{output.name}-building-{os.getpid()}-", dir=output.parent)
    )
    search: SearchIndex | None = None
    try:
        init_logging(level=logging.WARNING, fatal="warnings")
        forget_logged_warnings()
        base = read_settings(str(settings_file), override=overrides)
        runs = language_runs(base)
        record = manifest_path(cache_dir_for(base), output)
        checked = check_settings(base)
        data = DataDigests.of(checked["UHC_DATA_DIR"])
        manifest = Manifest(str(output), code_key(settings_file, base), data.whole)
        previous = usable(session.last_manifest(record) or Manifest.load(record), manifest)
        report = BuildReport()
        same_inputs = previous is not None and previous.data == manifest.data
        if same_inputs and previous.unchanged(output):
            # Nothing the site is made from changed and the output is as that build left it.
            return BuildReport(files=len(previous.files), reused=len(previous.files))
        if same_inputs and previous.intact(output, previous.files):
            # The same, but with files added to the output since: the previous site, only.
            report.reused = link_files(previous.files, output, staging)
            manifest.runs, manifest.noindex = previous.runs, previous.noindex
        else:
            shard_pages = checked["UHC_SEARCH_SHARD_PAGES"]
            search = SearchIndex(
                search_records(record), previous, output, shard_pages, session.search_records
            )
            search.begin(staging, [language for language, _folder in runs])
            for language, folder in runs:
                run = language_settings(base, language, folder)
                run["OUTPUT_PATH"] = str(staging / folder)
                settings = read_settings(str(settings_file), override={**(overrides or {}), **run})
                run_key = digest(manifest.code, language, folder)
                reuse = RunReuse(run_key, folder, staging, previous, output, data, session)
                with running(reuse), no_pelican_summary():
                    Pelican(settings).run()
                manifest.runs[folder] = reuse.units(folder for _lang, folder in runs)
                report.units += len(reuse.keys)
                report.reused_units += len(reuse.reused)
                report.rendered += [f"{folder}:{u}" for u in reuse.keys if u not in reuse.reused]
                search.add(language)  # its Pagefind runs may go on beside the next language's
            search.finish()
            manifest.noindex = write_site_index(  # every language's pages
                staging, base["SITEURL"].rstrip("/"), sitemap_answers(previous, staging)
            )
        os.chmod(staging, 0o755)
        manifest.files = output_files(staging)
        report.files = len(manifest.files)
        swap_into_place(staging, output)
        remove_later(staging, output)  # now the previous site, if there was one
        if record is not None:
            manifest.save(record)
            session.wrote(record, manifest)
            if search is not None:
                search.save()
                session.search_records = search.saved
        return report
    finally:
        if search is not None:
            search.stop()  # after a failure too: no Pagefind run outlives the build
        activate(SOURCE_LANGUAGE)  # each run activated its language; the process goes on in ours
        shutil.rmtree(staging, ignore_errors=True)


def search_records(record: Path | None) -> Path | None:
    """Where the search index's page records are kept: beside the build's manifest."""
    return record.with_name(f"{record.stem}-search") if record is not None else None


def checked_settings(settings_file: Path, overrides: dict | None = None) -> dict:
    """The settings as a build reads them, checked (`settings.check_settings`)."""
    from pelican.settings import read_settings

    return check_settings(read_settings(str(settings_file), override=overrides))


@dataclass
class BuildReport:
    """What a build did: files in the site, how many linked unchanged from the last build."""

    files: int = 0
    reused: int = 0
    units: int = 0
    reused_units: int = 0
    rendered: list[str] = field(default_factory=list)
    """The page groups rendered, as '<run folder>:<unit>' (e.g. ':wilayah:73.13')."""

    def summary(self) -> str:
        if self.units == 0:
            return f"{self.files} files, all unchanged since the last build (linked)"
        return (
            f"{self.files} files; {self.units - self.reused_units} of {self.units} page groups "
            "rendered, the rest linked unchanged from the last build"
        )


def usable(previous: Manifest | None, current: Manifest) -> Manifest | None:
    """The last build's manifest, if this build may take anything from it."""
    if previous is None:
        return None
    if previous.output != current.output or previous.code != current.code:
        log.info("uhc_portal: code, templates or settings changed since the last build: full build")
        return None
    return previous


@contextmanager
def no_pelican_summary() -> Iterator[None]:
    """Without Pelican's "Done: Processed 0 articles, …" line: this site has no articles, the
    count says nothing to a steward, and the build and the preview print their own line.
    Warnings still show: Pelican's log handler keeps the console it was made with."""
    import pelican
    from rich.console import Console

    kept = pelican.console
    pelican.console = Console(quiet=True)
    try:
        yield
    finally:
        pelican.console = kept


def forget_logged_warnings() -> None:
    """Pelican logs each warning once per process, and fails a strict build only when it logs
    one: in a process that builds again and again (the preview, the tests), a warning an earlier
    build met (the same broken link saved twice) would otherwise let a later build through."""
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def language_settings(base: dict, language: str, folder: str) -> dict:
    """What one language's run changes: its language, and for a language in a folder, the
    address of its pages and where its content pages are read (`content/en/pages/`)."""
    run = {"UHC_LANGUAGE": language, "DEFAULT_LANG": language}
    if folder:
        if not base["RELATIVE_URLS"]:  # relative addresses are worked out per page by Pelican
            run["SITEURL"] = f"{base['SITEURL']}/{folder}"
        run["PAGE_PATHS"] = [f"{folder}/{path}" for path in base["PAGE_PATHS"]]
    return run


def remove_stale(output: Path) -> None:
    """Folders left by a build that was killed (its process is gone), removed in the background
    (`remove_later`); a running build's stay, and so do those a running remover is removing."""
    for folder in list(output.parent.glob(f".{output.name}-*")):
        kind, _, rest = folder.name[len(output.name) + 2 :].partition("-")
        pid = rest.split("-")[0]
        if kind in ("building", "old") and pid.isdigit() and not alive(int(pid)):
            remove_later(folder, output)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap_into_place(staging: Path, output: Path) -> None:
    """Exchange the two folders atomically where the OS allows; else two quick renames."""
    if output.exists() and exchange(staging, output):
        return  # `staging` now holds the old site, which the caller removes
    if output.exists():
        old = output.with_name(f".{output.name}-old-{os.getpid()}-{next(NUMBERS)}")
        output.rename(old)
        staging.rename(output)
        old.rename(staging)  # where the caller finds the previous site, as after an exchange
    else:
        staging.rename(output)


def remove_later(folder: Path, output: Path) -> None:
    """Remove `folder` (the previous site, or a killed build's) off the build's critical path:
    renamed `.output-old-<pid>-<n>` after a process of its own (its pid), which removes it while
    the build goes on and returns; a later build removes it if that process died first. On a
    disk that discards freed blocks, removing 19,000 names took 1 to 26 s."""
    if not folder.exists():
        return
    REMOVING[:] = [p for p in REMOVING if p.poll() is None]
    remover = subprocess.Popen(
        [sys.executable, "-I", "-c", REMOVER],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # not stopped by the preview's Ctrl+C
    )
    REMOVING.append(remover)
    assert remover.stdin is not None
    with remover.stdin:
        aside = output.with_name(f".{output.name}-old-{remover.pid}-{next(NUMBERS)}")
        folder.rename(aside)
        remover.stdin.write(os.fsencode(aside) + b"\n")


def wait_for_removals() -> None:
    """Until every folder this process set aside is removed (the preview, before it exits)."""
    while REMOVING:
        REMOVING.pop().wait()


def exchange(a: Path, b: Path) -> bool:
    """renameat2(RENAME_EXCHANGE): both paths exist at every instant."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0
