"""What a build may take from the last one, and nothing it may not.

Every file the site's generator writes belongs to a *unit*: a regency's or a province's folder
(`wilayah/<code>/`), a forum's (`forum/<slug>/`), or the national rest (home, directory, lists,
feeds, national downloads). Each unit has a key: a digest of everything its files are written
from — the code, templates, content, settings and package versions (the *code key*), the
language run, the site-wide figures every page shows (the data date in the footer; region and
province names and the rules, which any page may show), and the unit's own slice of the data
(a regency's figures, corrections, forums and the sources they cite; a province's regencies;
a forum and the regencies its commitments are judged on; for the national unit, all of data/).

The manifest, beside the chart cache, records each unit's key and files, and every output
file's size, modification time and inode. A build links a unit's files from the previous output
into its staging folder (hard links: the swap stays atomic and the old site is never touched)
when the key is the same and every file is as the manifest recorded; anything else is rendered.
Any doubt — no manifest, another manifest version, other code or settings, another output
folder, a file changed on disk — means rendering, never reusing. Pelican's own pages and static
files, the search index and the sitemap are written afresh by every build that renders anything.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import sys
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import urls
from .datacache import fingerprint
from .files import atomic_write

if TYPE_CHECKING:
    from .session import BuildSession
    from .views import Site

log = logging.getLogger(__name__)

MANIFEST_VERSION = 1
NATIONAL = urls.NATIONAL
PACKAGE = Path(__file__).parent
SHARED_DATA = ("regions/", "rules.yaml")
"""Data every page may show whatever its slice: names (of regions, provinces) and the rules."""


def digest(*parts: str | bytes) -> str:
    """A short, collision-safe digest of the parts (each length-prefixed: no two lists of parts
    give the same stream)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def files_below(folder: Path) -> Iterator[tuple[str, Path]]:
    """(path relative to `folder`, path) of every file below it, in name order; Python's
    bytecode caches left out (they follow the sources)."""
    return iter([(rel, folder / rel) for rel in names_below(folder)])


def names_below(folder: Path) -> list[str]:
    """The path relative to `folder` ('/'-separated) of every file below it, in name order;
    Python's bytecode caches left out. Text, not Path objects: a site has 19,000 files."""
    found = []
    root = os.fspath(folder)
    cut = len(root) + 1
    for directory, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        below = directory[cut:].replace(os.sep, "/") + "/" if directory != root else ""
        found += [below + name for name in files if not name.endswith(".pyc")]
    found.sort()
    return found


def tree_digests(folder: Path) -> dict[str, str]:
    """Each file's digest by its path below `folder`."""
    return {rel: digest(path.read_bytes()) for rel, path in files_below(folder)}


def settings_json(settings: dict[str, Any]) -> str:
    """The settings as resolved (environment variables read by the settings file included);
    values that are not data are named by their type."""

    def other(value: Any) -> Any:
        if isinstance(value, set | frozenset):
            return sorted(repr(v) for v in value)
        if isinstance(value, Path):
            return str(value)
        return f"<{type(value).__module__}.{getattr(value, '__qualname__', type(value).__name__)}>"

    return json.dumps(settings, sort_keys=True, default=other, ensure_ascii=False)


@functools.cache
def running_code() -> str:
    """This process's code: Python, every installed package's version, and this package's files
    (code, catalogues) as they were when first asked — what the process runs, even if the files
    change on disk afterwards (a new process is needed to run those)."""
    packages = sorted(
        f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()
    )
    parts = [str(MANIFEST_VERSION), sys.version, "\n".join(packages), str(PACKAGE.resolve())]
    parts.append(json.dumps(tree_digests(PACKAGE), sort_keys=True))
    return digest(*parts)


def code_key(settings_file: Path, settings: dict[str, Any]) -> str:
    """Everything but data/ that the output is made from: the running code (`running_code`),
    the theme, the content pages, the settings files and the settings as resolved."""
    parts: list[str] = [running_code(), os.environ.get("PYTHONHASHSEED", "")]
    for folder in (Path(settings["THEME"]), Path(settings["PATH"])):
        parts.append(str(folder.resolve()))
        parts.append(json.dumps(tree_digests(folder), sort_keys=True))
    beside = sorted(settings_file.resolve().parent.glob("*.py"))
    parts += [f"{p.name}:{digest(p.read_bytes())}" for p in beside]
    parts.append(settings_json(settings))
    return digest(*parts)


@dataclass
class DataDigests:
    """Every file under data/ by its digest; the whole folder's and the shared files' keys."""

    files: dict[str, str]
    prints: dict[str, Hashable] = field(default_factory=dict, compare=False, repr=False)
    """Each file's fingerprint (`datacache.fingerprint`) by its path below data/: what the
    load takes each file's to be, so that no file is digested twice in one build."""

    @classmethod
    def of(cls, data_dir: Path) -> DataDigests:
        prints = {rel: fingerprint(path) for rel, path in files_below(data_dir)}
        return cls({rel: fingerprint_text(p) for rel, p in prints.items()}, prints)

    @property
    def whole(self) -> str:
        return digest(json.dumps(self.files, sort_keys=True))

    @property
    def shared(self) -> str:
        chosen = {k: v for k, v in self.files.items() if k.startswith(SHARED_DATA)}
        return digest(json.dumps(chosen, sort_keys=True))


def fingerprint_text(found: Hashable) -> str:
    """A file's fingerprint as text: its bytes' digest, or what is there instead."""
    return found.hex() if isinstance(found, bytes) else repr(found)


def stat_of(path: Path | str) -> list[int]:
    s = os.stat(path)
    return [s.st_size, s.st_mtime_ns, s.st_ino]


@dataclass
class Manifest:
    """A build's record: its keys, every output file's stat, each run's units."""

    output: str
    code: str
    data: str
    files: dict[str, list[int]] = field(default_factory=dict)
    runs: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    """Run folder ('' for the first language) → unit → [key, [files below the run folder]]."""
    noindex: list[str] = field(default_factory=list)
    """The pages the sitemap left out (they ask not to be indexed)."""

    @classmethod
    def load(cls, path: Path | None) -> Manifest | None:
        if path is None or not path.is_file():
            return None
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("version") != MANIFEST_VERSION:
                return None
            return cls(
                raw["output"], raw["code"], raw["data"], raw["files"], raw["runs"], raw["noindex"]
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, path: Path) -> None:
        record = {"version": MANIFEST_VERSION, **self.__dict__}
        atomic_write(path, json.dumps(record, ensure_ascii=False).encode("utf-8"))

    def unchanged(self, output: Path) -> bool:
        """The output holds exactly the recorded files, each as recorded."""
        names = names_below(output)
        return names == sorted(self.files) and self.intact(output, names)

    def intact(self, output: Path, names: Iterable[str]) -> bool:
        """Every named file is in `output` as this manifest recorded it."""
        base, files = os.path.join(output, ""), self.files
        for name in names:
            recorded = files.get(name)
            try:
                if recorded is None or stat_of(base + name) != recorded:
                    return False
            except OSError:
                return False
        return True


def sitemap_answers(previous: Manifest | None, staging: Path) -> dict[str, bool]:
    """Whether each page linked unchanged from the last build is indexable, as it found."""
    if previous is None:
        return {}
    left_out = set(previous.noindex)
    known = {}
    for name, recorded in previous.files.items():
        if name.endswith(".html"):
            try:
                if stat_of(staging / name) == recorded:
                    known[name] = name not in left_out
            except OSError:
                pass
    return known


def manifest_path(chart_cache: Path | None, output: Path) -> Path | None:
    """Beside the chart cache, one per output folder; None without a cache (always rebuild)."""
    if chart_cache is None:
        return None
    return chart_cache.parent / "builds" / f"{output.name}-{digest(str(output))[:12]}.json"


def link_files(names: Iterable[str], source: Path, target: Path) -> int:
    """Hard-link each named file from `source` into `target` (same relative path)."""
    made: set[str] = set()
    count = 0
    source_base, target_base = os.path.join(source, ""), os.path.join(target, "")
    for name in names:
        destination = target_base + name
        parent = os.path.dirname(destination)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        os.link(source_base + name, destination)
        count += 1
    return count


def output_files(folder: Path) -> dict[str, list[int]]:
    base = os.path.join(folder, "")
    return {rel: stat_of(base + rel) for rel in names_below(folder)}


class RunReuse:
    """One language run's choices: for each unit, its key, and whether its files were linked
    from the previous output (then its pages are not rendered)."""

    def __init__(
        self,
        run_key: str,
        folder: str,
        staging: Path,
        previous: Manifest | None = None,
        output: Path | None = None,
        data: DataDigests | None = None,
        session: BuildSession | None = None,
    ):
        self.run_key = run_key
        self.data = data
        self.session = session
        self.folder = folder
        self.staging = staging  # the site's staging root; this run writes below `folder`
        self.previous = previous
        self.output = output
        self.before: dict[str, list[Any]] = previous.runs.get(folder, {}) if previous else {}
        self.keys: dict[str, str] = {}
        self.reused: set[str] = set()
        self.linked = False
        self.pelican_files: set[str] = set()
        self.pelican_prefix = "theme/"
        """Files of this run that Pelican writes itself (content pages; the theme's static files
        below this folder): never in a unit, always written."""

    def choose(self, keys: dict[str, str]) -> None:
        """Record every unit's key; those unchanged, with their files as the manifest recorded
        them, will be linked (`link`) rather than rendered."""
        self.keys.update(keys)
        if self.previous is None or self.output is None:
            return
        for unit, key in keys.items():
            before = self.before.get(unit)
            same = before is not None and before[0] == key
            if same and self.previous.intact(self.output, self.names(unit)):
                self.reused.add(unit)

    def names(self, unit: str) -> list[str]:
        """The unit's files in the last build, below the site's root."""
        prefix = f"{self.folder}/" if self.folder else ""
        return [prefix + name for name in self.before[unit][1]]

    def link(self) -> None:
        """Link the files of every unit chosen for reuse from the previous output."""
        assert self.output is not None or not self.reused
        for unit in sorted(self.reused):
            link_files(self.names(unit), self.output, self.staging)  # type: ignore[arg-type]
        self.linked = True

    def release(self, unit: str) -> None:
        """Render the unit after all (before `link`)."""
        assert not self.linked
        self.reused.discard(unit)

    def fresh(self, unit: str) -> bool:
        """Whether the unit's files must be written in this run (not linked)."""
        return unit not in self.reused

    def units(self, languages: Iterable[str]) -> dict[str, list[Any]]:
        """After the run: every unit's key and its files below the run folder."""
        root = self.staging / self.folder if self.folder else self.staging
        others = {lang for lang in languages if lang} - {self.folder}
        files: dict[str, list[str]] = {unit: [] for unit in self.keys}
        for rel in names_below(root):
            if rel.split("/", 1)[0] in others or rel in self.pelican_files:
                continue
            if rel.startswith(self.pelican_prefix):
                continue
            unit = unit_of(rel)
            if unit not in self.keys:
                unit = NATIONAL
            files.setdefault(unit, []).append(rel)
        return {unit: [key, files[unit]] for unit, key in self.keys.items()}


def unit_of(rel: str) -> str:
    """The unit an output file belongs to, by its path below the run folder (urls.unit)."""
    return urls.unit(rel)


_current: RunReuse | None = None


@contextmanager
def running(reuse: RunReuse) -> Iterator[RunReuse]:
    """The run the generator is in (Pelican builds the generator; the build cannot pass it)."""
    global _current
    _current = reuse
    try:
        yield reuse
    finally:
        _current = None


def current_run() -> RunReuse | None:
    return _current


def unit_keys(site: Site, reuse: RunReuse, data: DataDigests) -> dict[str, str]:
    """Every unit's key for this run, from the model (see the module's docstring)."""
    session = reuse.session  # the other language's run, same data: the same slices
    parts = session.data_slices(site, data) if session is not None else data_slices(site, data)
    # UHC_STALE_MONTHS and the data's date: which figures are old, and how old, is on the pages.
    common = digest(reuse.run_key, data.shared, repr(site.data_as_of), repr(site.freshness))
    return {unit: digest(common, part) for unit, part in parts.items()}


class SlicePart(NamedTuple):
    """A page group's data slice digest with what it was made from."""

    made_from: tuple
    digest: str


def data_slices(
    site: Site, data: DataDigests, memo: dict[str, SlicePart] | None = None
) -> dict[str, str]:
    """Each unit's own part of its key: a digest of the data it is written from (the same in
    every language). `memo` (the preview's) keeps each part by the objects it was made from:
    a part is digested again only when they differ."""
    dataset = site.dataset
    store = dataset.snapshots_by_region
    sources = dataset.sources
    memo = {} if memo is None else memo

    def cited(ids: Iterable[str]) -> tuple:
        found = [sources.get(i) for i in dict.fromkeys(ids)]
        return tuple((s, s.line if s else 0) for s in found)  # Source's line is not in its ==

    def kept(name: str, made_from: tuple, make: Any) -> str:
        found = memo.get(name)
        if found is not None and found.made_from == made_from:
            return found.digest
        part = make()
        memo[name] = SlicePart(made_from, part)
        return part

    def slice_of(code: str, page: Any) -> str:
        awards = tuple(page.recognitions)  # shown on its page, with their sources
        if code not in store and not page.is_province:
            # no figures: its feed's <updated> is the national feed's newest entry's date
            made_from = (code, data.whole, tuple(page.corrections), tuple(page.forums), awards)
            return kept(code, made_from, lambda: digest(repr(made_from)))
        ids = [*store.source_ids(code)]
        for c in page.corrections:
            ids += [c.source_id, c.was.source_id] + ([c.now.source_id] if c.now else [])
        for forum in page.forums:
            ids += forum.sources
        for award in awards:
            ids += [source.id for source in award.sources]
        packed, tables = store.fingerprint(code)
        made_from = (
            code,
            packed,
            tables,
            tuple(page.corrections),
            tuple(page.forums),
            cited(ids),
            awards,
        )
        return kept(
            code,
            made_from,
            lambda: digest(code, packed, repr(made_from[2:])),
        )

    slices = {code: slice_of(code, page) for code, page in site.regions.items()}
    parts = {urls.region_unit(code): part for code, part in slices.items()}
    for code, page in site.provinces.items():
        slices[code] = own = slice_of(code, page)
        members = [slices[row.code] for row in page.regions]
        parts[urls.region_unit(code)] = digest(own, *members)
    for forum in dataset.forums:
        judged = tuple(slices.get(c.region_code, c.region_code) for c in forum.commitments)
        made_from = (forum, cited(forum.sources), judged)
        unit = urls.forum_unit(forum.slug)
        parts[unit] = kept(unit, made_from, lambda m=made_from: digest(repr(m)))
    parts[NATIONAL] = data.whole
    return parts
