"""The search index: Pagefind's bundle in `pagefind/` of each language root, one index per page
language (`<html lang>`), made from a *record* of each page rather than the page itself.

A page's record is what Pagefind indexes of it: its `<main data-pagefind-body>` without the
elements Pagefind ignores whole (`data-pagefind-ignore="all"`: figure tables, charts, sources),
in an `<html lang>` of its own: about 6 % of the page's bytes, and the same bundle, byte for byte
but for the files Pagefind orders anew each run (tests/test_search_index.py compares the two).
The records are kept between builds in a folder beside the build's manifest, one file per page
as the site lays them out; a build reads again only the pages whose size, time or inode changed
(a page linked unchanged keeps its inode), and when no language root's records changed it links
that root's bundle from the last build instead of running Pagefind at all.

A language root with more indexed pages than UHC_SEARCH_SHARD_PAGES gets several bundles, each
made by its own Pagefind run over a run of pages in name order (`pagefind/`, `pagefind-2/`, …;
`pagefind/shards.json` lists the others, which the search script merges with Pagefind's
`mergeIndex`): Pagefind holds about 0.1 MB per page it indexes, so a bundle's size bounds the
memory of its run, at most two run at once, and an edit makes again only the bundles whose
pages' records changed. A site of fewer pages keeps the one bundle it always had.

Pagefind's binary comes with the pinned PyPI package `pagefind_bin`: nothing is downloaded at
build time. Which pages are indexed and what a result shows are set in the templates
(`data-pagefind-body`, `data-pagefind-meta`, `data-pagefind-filter`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .files import atomic_write, write_new
from .incremental import Manifest, digest, link_files, stat_of

BUNDLE = "pagefind"
SHARDS = "shards.json"  # in a root's first bundle: the others' folders, relative to the root
SHARD_PAGES = 1000  # UHC_SEARCH_SHARD_PAGES' default
RUNNING_AT_ONCE = 2  # Pagefind runs side by side (each uses every core it is given)
EARLY_BUNDLES = 2 * RUNNING_AT_ONCE  # at most this many to make: started before the next run
RECORDS_VERSION = 2
MORE_BUNDLE = re.compile(rf"{BUNDLE}-[0-9]+")
LANG = re.compile(rb'<html\b[^>]*\blang="([^"]*)"')
IGNORED_WHOLE = re.compile(rb'<([a-z][a-z0-9]*)\b[^>]*\bdata-pagefind-ignore="all"[^>]*>')


class SearchIndexError(RuntimeError):
    pass


def page_record(html: bytes) -> bytes | None:
    """What Pagefind indexes of a page, as a page of its own; None for a page it does not index
    (no `<main data-pagefind-body>`: the lists, the embeds)."""
    start = html.find(b"<main")
    if start < 0:
        return None
    head_end = html.index(b">", start)
    if b"data-pagefind-body" not in html[start:head_end]:
        return None
    end = html.rindex(b"</main>") + len(b"</main>")
    lang = LANG.search(html)
    language = lang.group(1) if lang else b""
    return (
        b'<!DOCTYPE html><html lang="'
        + language
        + b'"><head><meta charset="utf-8"></head><body>'
        + without_ignored(html[start:end])
        + b"</body></html>\n"
    )


def without_ignored(markup: bytes) -> bytes:
    """`markup` without each element marked data-pagefind-ignore="all", its children included
    (Pagefind reads neither their text, nor their meta, filters or anchors)."""
    kept, at = [], 0
    while found := IGNORED_WHOLE.search(markup, at):
        kept.append(markup[at : found.start()])
        at = element_end(markup, found.group(1), found.end())
    kept.append(markup[at:])
    return b"".join(kept)


def element_end(markup: bytes, name: bytes, at: int) -> int:
    """Where the element `name` opened just before `at` ends (after its closing tag)."""
    opening, closing = b"<" + name, b"</" + name + b">"
    depth = 1
    while depth:
        close = markup.find(closing, at)
        if close < 0:
            raise SearchIndexError(f"search index: a <{name.decode()}> is never closed")
        inner = markup.find(opening, at, close)
        while inner >= 0:
            if markup[inner + len(opening) : inner + len(opening) + 1] in (b" ", b">", b"\n"):
                depth += 1
            inner = markup.find(opening, inner + 1, close)
        depth -= 1
        at = close + len(closing)
    return at


def language_roots(
    folder: Path, languages: list[str] | None, every: bool = False
) -> dict[str, str]:
    """Each language's root below `folder` ('' for the first, at the top; 'en' for English),
    by language: those with a folder, or `every` one (before the site is written)."""
    languages = languages or ["id"]
    others = [lang for lang in languages[1:] if every or (folder / lang).is_dir()]
    return {languages[0]: "", **{language: language for language in others}}


def pages_below(folder: Path, root: str, leave_out: set[str]) -> list[str]:
    """The HTML pages of one language root, by their path below `folder`, in name order (the
    bundles' folders, and the `leave_out` ones at the top, not walked)."""
    base = os.fspath(folder / root if root else folder)
    cut = len(os.fspath(folder)) + 1
    found = []
    for directory, dirs, files in os.walk(base):
        if directory == base:
            dirs[:] = [d for d in dirs if d not in leave_out and not is_bundle(d)]
        below = directory[cut:].replace(os.sep, "/") + "/" if len(directory) >= cut else ""
        found += [below + name for name in files if name.endswith(".html")]
    found.sort()
    return found


def is_bundle(name: str) -> bool:
    """A language root's folder that holds a bundle, not pages."""
    return name == BUNDLE or bool(MORE_BUNDLE.fullmatch(name))


def bundle_folder(number: int) -> str:
    """The folder of a language root's bundle `number` (0: the one the search script loads)."""
    return BUNDLE if number == 0 else f"{BUNDLE}-{number + 1}"


def shards(records: list[list[str]], most: int) -> list[list[list[str]]]:
    """The records in runs of at most `most`, as even as can be, in name order: a page keeps
    its run while the number of pages stays within the same multiple of `most`."""
    count = max(1, -(-len(records) // most))
    size, extra = divmod(len(records), count)
    runs, at = [], 0
    for number in range(count):
        length = size + (number < extra)
        runs.append(records[at : at + length])
        at += length
    return runs


@dataclass(frozen=True)
class KeptRecords:
    """The page records a build saved (`SearchIndex.save`), kept by its process (the preview's
    `BuildSession`): the next build takes them back while the file is as written."""

    stat: list[int]
    """The records file's size, modification time and inode just after (`incremental.stat_of`)."""
    state: dict[str, Any]
    """What it holds: each page's stat and record digest, each bundle's digest."""


class SearchIndex:
    """The bundles of one output folder, from records kept in `kept` between builds (None: made
    afresh in a temporary folder). `previous` and `output`: the last build's manifest and the
    folder it describes, whose bundles may be linked; None when this build may take nothing
    from it (then every record is made again too)."""

    def __init__(
        self,
        kept: Path | None = None,
        previous: Manifest | None = None,
        output: Path | None = None,
        shard_pages: int = SHARD_PAGES,
        last: KeptRecords | None = None,
    ):
        self.kept = kept
        self.last = last  # what this process last saved in `kept`: read back without parsing
        self.shard_pages = shard_pages
        self.previous = previous if output is not None else None
        self.output = output
        self.state: dict[str, Any] | None = None  # saved once the site is in place
        self.saved: KeptRecords | None = None  # what `save` wrote
        self.linked: list[str] = []  # bundles linked from the last build, not made
        self.pages_read = 0
        self.waiting: list[tuple[Path, Path]] = []  # (the records to index, the bundle)
        self.running: list[tuple[subprocess.Popen, Path, IO[bytes]]] = []
        self.lists: list[tuple[Path, list[str]]] = []  # (a first bundle, the root's others)
        self.temporary: list[Path] = []

    def build(self, folder: Path, languages: list[str] | None = None) -> None:
        """Write (or link) the bundle of every language root of the site in `folder`; any
        warning from Pagefind fails the build."""
        self.begin(folder, languages, written=True)
        try:
            for language in self.roots:
                self.add(language)
            self.finish()
        finally:
            self.stop()

    def begin(
        self, folder: Path, languages: list[str] | None = None, written: bool = False
    ) -> None:
        """Before the site in `folder` is written (or once it is, `written`: then only the
        languages with a folder have a root): the records kept from the last build read. Then
        `add` each language root once its pages are written, `finish`, and `stop`."""
        self.folder = folder
        self.roots = language_roots(folder, languages, every=not written)
        if self.kept is None:
            self.mirror = Path(tempfile.mkdtemp(prefix=".uhc-search-", dir=folder.parent))
            self.temporary.append(self.mirror)
            self.before: dict[str, Any] = {"pages": {}, "bundles": {}}
        else:
            self.before = self.load()
            (self.kept / "records.json").unlink(missing_ok=True)  # until saved: in doubt
            if not self.before["pages"]:
                shutil.rmtree(self.kept / "pages", ignore_errors=True)
            self.mirror = self.kept / "pages"
        self.scratch = Path(tempfile.mkdtemp(prefix=".uhc-search-shards-", dir=folder.parent))
        self.temporary.append(self.scratch)
        self.pages: dict[str, list[Any]] = {}
        self.bundles: dict[str, str] = {}

    def add(self, language: str) -> None:
        """One language root's pages are written: its records made, and its bundles' Pagefind
        runs started at once (RUNNING_AT_ONCE of them) when at most EARLY_BUNDLES are to be
        made (an edit's: the next language's run goes on beside them), else when `finish`
        starts them (a whole site's: their memory never adds to the charts' of a run)."""
        folder, roots, mirror, before = self.folder, self.roots, self.mirror, self.before
        root = roots[language]
        leave_out = {r for r in roots.values() if r} if not root else set()
        own = self.records(folder, root, leave_out, mirror / language, before, self.pages)
        prefix = f"{root}/" if root else ""
        for rel, entry in before["pages"].items():  # records of pages no longer in the site,
            if rel not in self.pages and entry[3] and self.root_of(rel) == root:  # gone before
                (mirror / record_path(rel, roots)).unlink(missing_ok=True)  # Pagefind reads
        runs = shards(own, self.shard_pages)
        for number, run in enumerate(runs):
            name = f"{prefix}{bundle_folder(number)}"
            self.bundles[name] = digest(json.dumps([len(runs), run]))
            if self.bundles[name] == before["bundles"].get(name) and self.link_bundle(folder, name):
                self.linked.append(name)
                continue
            site = mirror / language
            if len(runs) > 1:
                site = linked_records(site, run, root, self.scratch / language / str(number))
            self.waiting.append((site, folder / name))
            if number == 0:
                others = [f"{bundle_folder(n)}/" for n in range(1, len(runs))]
                self.lists.append((folder / name, others))
        if len(self.waiting) + len(self.running) <= EARLY_BUNDLES:
            self.start_waiting()

    def root_of(self, rel: str) -> str:
        """The language root a page's path is below."""
        first = rel.split("/", 1)[0]
        return first if first in self.roots.values() and "/" in rel else ""

    def start_waiting(self) -> None:
        while self.waiting and len(self.running) < RUNNING_AT_ONCE:
            self.running.append(start_pagefind(*self.waiting.pop(0)))

    def finish(self) -> None:
        """Every bundle made (the first failure fails the build) and the lists written."""
        while self.waiting or self.running:
            self.start_waiting()
            finish_pagefind(*self.running.pop(0))
        for bundle, others in self.lists:
            write_new(bundle / SHARDS, json.dumps(others).encode("utf-8") + b"\n")
        self.state = {"pages": self.pages, "bundles": self.bundles} if self.kept else None

    def stop(self) -> None:
        """After `finish`, or after a failure: no Pagefind run outlives the build, and the
        temporary folders are gone."""
        for process, _bundle, _said in self.running:
            if process.poll() is None:
                process.kill()
                process.wait()
        self.running, self.waiting = [], []
        for folder in self.temporary:
            shutil.rmtree(folder, ignore_errors=True)
        self.temporary = []

    def load(self) -> dict[str, Any]:
        empty: dict[str, Any] = {"pages": {}, "bundles": {}}
        if self.kept is None or self.previous is None:
            return empty
        file = self.kept / "records.json"
        last = self.last
        with contextlib.suppress(OSError):
            if last is not None and stat_of(file) == last.stat:  # as this process wrote it
                return last.state
        try:
            raw = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return empty
        if not isinstance(raw, dict) or raw.get("version") != RECORDS_VERSION:
            return empty
        return {"pages": raw["pages"], "bundles": raw["bundles"]}

    def save(self) -> None:
        """Once the site is in place: the records as they now are, for the next build."""
        if self.kept is not None and self.state is not None:
            record = {"version": RECORDS_VERSION, **self.state}
            file = self.kept / "records.json"
            atomic_write(file, json.dumps(record).encode("utf-8"))
            self.saved = KeptRecords(stat_of(file), self.state)

    def records(
        self,
        folder: Path,
        root: str,
        leave_out: set[str],
        mirror: Path,
        before: dict[str, Any],
        pages: dict[str, list[Any]],
    ) -> list[list[str]]:
        """Every indexed page's [path, record digest] in one language root; the records of
        pages changed since the last build written to `mirror`."""
        kept = before["pages"]
        listed = []
        base, records = os.path.join(folder, ""), os.path.join(mirror, "")
        prefix = f"{root}/" if root else ""
        for rel in pages_below(folder, root, leave_out):
            stat = stat_of(base + rel)
            entry = kept.get(rel)
            if (
                entry is None
                or entry[:3] != stat
                # a kept record whose file is not there (the records left half-made by a
                # build that was stopped): made again, never linked from nothing
                or (entry[3] and not os.path.isfile(records + rel.removeprefix(prefix)))
            ):
                self.pages_read += 1
                record = page_record((folder / rel).read_bytes())
                own = mirror / rel.removeprefix(f"{root}/")
                if record is None:
                    own.unlink(missing_ok=True)
                    entry = [*stat, ""]
                else:
                    write_new(own, record)
                    entry = [*stat, digest(record)]
            pages[rel] = entry
            if entry[3]:
                listed.append([rel, entry[3]])
        return listed

    def link_bundle(self, folder: Path, name: str) -> bool:
        """The last build's bundle `name` (its folder below the site), linked into `folder`,
        if it is in the last output as that build's manifest recorded it."""
        if self.previous is None or self.output is None:
            return False
        prefix = f"{name}/"
        names = [name for name in self.previous.files if name.startswith(prefix)]
        if not names or not self.previous.intact(self.output, names):
            return False
        link_files(names, self.output, folder)
        return True


def record_path(rel: str, roots: dict[str, str]) -> str:
    """Where a page's record is in the mirror: below its language, without the root folder."""
    for language, root in roots.items():
        if root and rel.startswith(f"{root}/"):
            return f"{language}/{rel.removeprefix(f'{root}/')}"
    return f"{next(iter(roots))}/{rel}"


def linked_records(mirror: Path, run: list[list[str]], root: str, into: Path) -> Path:
    """A folder holding just this run's records, hard-linked at their places below `mirror`
    (the pages' addresses in the bundle are their paths below the folder Pagefind reads)."""
    names = [rel.removeprefix(f"{root}/") if root else rel for rel, _digest in run]
    link_files(names, mirror, into)
    into.mkdir(parents=True, exist_ok=True)  # an empty run: an empty bundle
    return into


def start_pagefind(site: Path, bundle: Path) -> tuple[subprocess.Popen, Path, IO[bytes]]:
    """A Pagefind run over the records in `site`, writing `bundle`; what it says goes to a
    temporary file (a pipe nobody reads until the run is waited on could fill)."""
    from pagefind_bin import get_executable

    site.mkdir(parents=True, exist_ok=True)
    command = [str(get_executable()), "--site", str(site), "--output-path", str(bundle)]
    command.append("--quiet")
    said = tempfile.TemporaryFile()  # noqa: SIM115 (closed by finish_pagefind)
    process = subprocess.Popen(command, stdout=said, stderr=subprocess.STDOUT)
    return process, bundle, said


def finish_pagefind(process: subprocess.Popen, bundle: Path, said: IO[bytes]) -> None:
    with said:
        process.wait()
        said.seek(0)
        words = said.read().decode("utf-8", "replace").strip()
    if process.returncode != 0 or words:
        raise SearchIndexError(f"search index: Pagefind exited {process.returncode}: {words}")
    if not (bundle / "pagefind.js").is_file():
        raise SearchIndexError(f"search index: Pagefind wrote no pagefind.js in {bundle}")


def index_site(folder: Path, languages: list[str] | None = None) -> None:
    """Index the site in `folder` from scratch (records made in a temporary folder)."""
    SearchIndex().build(folder, languages)
