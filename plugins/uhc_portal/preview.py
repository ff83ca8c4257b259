"""`python -m uhc_portal serve`: build, serve the output, rebuild on every edit, reload the page.

The pages on disk are exactly what `make html` writes: the reload script is put into each HTML
response in memory, at serve time, and itself lives in this package, never in the theme. Every
rebuild is the build's own strict, atomic one, so a failed build leaves the last good pages up;
its errors go to the terminal and, through the script, to a banner on the open page. This
module watches the files, rebuilds and reports; the server is `preview_server.py`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from watchfiles import Change, watch

from .build import forget_logged_warnings, wait_for_removals
from .i18n import _
from .preview_server import BuildState, content_digest, listed, make_server

WATCHED = ("data", "content", "theme")  # beside the settings file, with the settings file
PROJECT_FILE = re.compile(rf"\b(?:{'|'.join(WATCHED)})/[^\s'\":,;]+")


def error_items(
    exc: BaseException, root: Path, logged: Sequence[logging.LogRecord] = ()
) -> list[dict]:
    """A failed build's errors as the banner lists them: file, line, what is wrong."""
    from .errors import DataErrors

    if isinstance(exc, DataErrors):
        return [
            {"berkas": e.file, "baris": e.line, "pesan": f"{e.message()} [{e.kind}]"}
            for e in exc.errors
        ]
    if logged and stopped_by_log(exc):  # what was logged says what went wrong
        return [logged_item(record, root) for record in logged]
    # A template's syntax error knows its file and line; an error raised while a template ran
    # (an undefined name) has its frame in the traceback: the innermost one in a watched file.
    frames = reversed(traceback.extract_tb(exc.__traceback__))
    places = [(getattr(exc, "filename", None), getattr(exc, "lineno", None))]
    places += [(frame.filename, frame.lineno) for frame in frames]
    found = ((project_path(file, root), line) for file, line in places if file)
    file, line = next(((file, line or 0) for file, line in found if file), ("", 0))
    return [{"berkas": file, "baris": line, "pesan": f"{type(exc).__name__}: {exc}"}]


def stopped_by_log(exc: BaseException) -> bool:
    """Pelican's strict logging ends a build by raising from its logger once a warning is
    logged; the warning is the error, the exception only its messenger."""
    from pelican import log

    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and Path(frames[-1].filename) == Path(log.__file__)


def logged_item(record: logging.LogRecord, root: Path) -> dict:
    """A logged warning, its paths made the project's; its file the first one it names."""
    message = in_project(record.getMessage(), root)
    named = PROJECT_FILE.search(message)
    return {"berkas": named[0] if named else "", "baris": 0, "pesan": message}


def project_path(file: str, root: Path) -> str:
    """`theme/templates/region.html` for a file in a watched folder (or through its symlink),
    `pelicanconf.py` for one beside the settings; "" for any other (the code's own)."""
    path = Path(file)
    if path.parent == root:
        return path.name
    for name in WATCHED:
        for folder in (root / name, (root / name).resolve()):
            if path.is_relative_to(folder):
                return str(Path(name) / path.relative_to(folder))
    return ""


def in_project(text: str, root: Path) -> str:
    """`/home/x/pantau/content/pages/a.md` in a message → `content/pages/a.md`."""
    for name in WATCHED:
        for folder in sorted({str(root / name), str((root / name).resolve())}):
            text = text.replace(folder + os.sep, name + "/")
    return text.replace(str(root) + os.sep, "")


def error_report(exc: BaseException, items: list[dict]) -> str:
    """The terminal's report: DataErrors' own (file:line: field: expected), else the items."""
    from .errors import DataErrors

    if isinstance(exc, DataErrors):
        return exc.report()
    lines = []
    for item in items:
        place = ":".join(str(part) for part in (item["berkas"], item["baris"]) if part)
        lines.append(f"  {place}: {item['pesan']}" if place else f"  {item['pesan']}")
    return "\n".join(lines)


class LoggedProblems(logging.Handler):
    """The warnings and errors logged during one build (Pelican's end the build)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def logged_problems() -> Iterator[list[logging.LogRecord]]:
    handler = LoggedProblems()
    logging.getLogger().addHandler(handler)
    try:
        yield handler.records
    finally:
        logging.getLogger().removeHandler(handler)


# ---------------------------------------------------------------------------------------------
# The loop: build, serve, watch, rebuild


def say(line: str) -> None:
    print(line, flush=True)


def rebuild(
    build: Callable[[], None],
    state: BuildState,
    root: Path,
    edited: list[str],
    first: str | None = None,
) -> None:
    """One build after `edited` changed (the `first`, of the whole folder, after none); its
    outcome goes to the terminal and to every open page."""
    what = first or listed(edited)
    start = time.perf_counter()
    forget_logged_warnings()
    with logged_problems() as logged:
        try:
            build()
        except Exception as exc:  # the server stays up and shows what failed
            failure = exc
        else:
            failure = None
    seconds = time.perf_counter() - start
    # `Gagal:` and `Diperbarui:` start lines scripts read: Indonesian, never translated.
    if failure is not None:
        items = error_items(failure, root, logged)
        say(error_report(failure, items))
        state.built(items, edited)
        say(f"Gagal: {what} ({seconds:.2f} s)")
    else:
        state.built([], edited)
        say(f"{'Dibangun' if first else 'Diperbarui'}: {what} ({seconds:.2f} s)")


def changed_files(changes: Iterable[tuple[Change, str]], root: Path) -> list[str]:
    """The files that changed, relative to the project; not an editor's temporary file, made
    and gone again while it saved (added in this batch and no longer there)."""
    changes = set(changes)
    return sorted(
        {
            os.path.relpath(path, root)
            for _change, path in changes
            if os.path.exists(path) or (Change.added, path) not in changes
        }
    )


Files = dict[str, tuple[int, int, int]]  # project path → inode, time, size


def stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def files_now(settings_file: Path) -> Files:
    """Every watched file as it is: the settings file and all in the watched folders."""
    root = settings_file.resolve().parent
    paths = [settings_file.resolve()]
    for name in WATCHED:
        for folder, _dirs, files in os.walk(root / name, followlinks=True):
            paths += [Path(folder, file) for file in files]
    stamps = {os.path.relpath(path, root): stamp(path) for path in paths}
    return {name: found for name, found in stamps.items() if found}


def edits(settings_file: Path, before: Files, step: float = 0.5) -> Iterator[list[str]]:
    """Each batch of saved changes as project paths, from the files as they were `before` (the
    first build): the watched folders through watchfiles, and what changed before the watch
    began by comparing every file once it has; the settings file by its inode, time and size
    every `step` seconds (an editor that saves by renaming a new file into place leaves a
    watch on the file itself on the old one)."""
    settings = settings_file.resolve()
    root = settings.parent
    folders = [root / name for name in WATCHED if (root / name).exists()]
    batches = watch(
        *folders, debounce=50, step=10, rust_timeout=int(step * 1000), yield_on_timeout=True
    )
    settings_seen = before.get(settings.name)
    for changes in batches:
        names = set(changed_files(changes, root))
        if before:  # the watch has begun: what changed while the first build ran
            now = files_now(settings_file)
            names |= {
                name for name in before.keys() | now.keys() if before.get(name) != now.get(name)
            }
            before = {}
        if (settings_now := stamp(settings)) != settings_seen:
            settings_seen = settings_now
            names.add(settings.name)
        if names:
            yield sorted(names)


class SavedContents:
    """What each file held when a build last set out from it: a save that an editor finishes
    with a second write of the same bytes, or with a change of time or mode only, reaches the
    watch as two batches; the second changes nothing and must not build (nor fail) again."""

    def __init__(self, root: Path):
        self.root = root
        self.seen: dict[str, str] = {}

    def changed(self, names: list[str]) -> list[str]:
        """`names` whose bytes differ from the last time they were built from; remembered."""
        now = {name: content_digest(str(self.root / name)) for name in names}
        fresh = [name for name in names if self.seen.get(name) != now[name]]
        self.seen.update(now)
        return fresh


def serve(settings_file: Path, output: Path, bind: str = "127.0.0.1", port: int = 8000) -> int:
    """Build once, serve `output` on `bind:port`, rebuild on every change until interrupted."""
    from .build import build_site, checked_settings
    from .session import BuildSession

    # Kept for the server's life: what each stage made, by its inputs (only a changed file is
    # read again), and the served folder, into which the pages of changed regencies go first.
    session = BuildSession(early=output.resolve())

    def build() -> None:
        build_site(settings_file, output, session=session)

    # SIGINT and SIGTERM stop the server as Ctrl+C does (a build under way cleans up after
    # itself), even when started in the background by a shell that set SIGINT to be ignored.
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, signal.default_int_handler)
    state = BuildState()
    try:
        server = make_server(output, state, bind, port)
    except OSError as exc:
        print(f"uhc_portal: serve: {bind}:{port}: {exc.strerror}", file=sys.stderr)
        return 2
    thread = threading.Thread(target=server.serve_forever, name="preview-server")
    root = settings_file.resolve().parent
    try:
        before = files_now(settings_file)  # what the first build reads
        rebuild(build, state, root, [], first=f"{output.name}/")
        if not state.errors:  # only saves time: the next build makes whatever this did not,
            with contextlib.suppress(Exception):  # and reports any error with file and line
                session.warm_up(checked_settings(settings_file))
        thread.start()
        host, bound_port = server.server_address[:2]
        # `Pratinjau siap:` starts a line that scripts read: kept in Indonesian, untranslated.
        say(f"Pratinjau siap: http://{host}:{bound_port}/")
        watched = [settings_file.name] + [name for name in WATCHED if (root / name).exists()]
        say(_("Mengawasi %(p)s; Ctrl+C untuk berhenti.") % {"p": ", ".join(watched)})
        contents = SavedContents(root)
        for names in edits(settings_file, before):
            if fresh := contents.changed(names):
                rebuild(build, state, root, fresh)
    except KeyboardInterrupt:
        pass
    finally:
        state.stop()
        if thread.is_alive():
            server.shutdown()
        server.server_close()
        thread.join()
        wait_for_removals()  # the previous sites set aside by its builds
    say(_("Pratinjau berhenti."))
    return 0
