"""The figures' downloads, written as the region pages are: every figure in the national
`data/cakupan.csv` and `.json`, each region's figures in its own CSV and Atom feed, and the
newest figures of all kept for the national feed.

The national files are assembled region by region from *parts*: a region whose page group is
unchanged since the last build (the same unit key) gets its bytes copied from the last build's
national files, where a small record beside the build's manifest says they are; only a changed
region's records are made again. The record names the two files by size, time and inode, so it
counts only for the files it describes. The files are streamed, never whole in memory, and
hashed as they are written (the Data Package's `hash` is not read back from disk).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from . import datapackage, downloads, feeds, urls
from .files import atomic_write
from .incremental import NATIONAL, stat_of
from .model import PartialDate
from .views import Site

NATIONAL_FILES = ["data/cakupan.csv", "data/cakupan.json"]  # the same bytes in every language
PARTS_VERSION = 1


class Hashed:
    """A binary file written with its SHA-256 made on the way: the Data Package's facts of it
    (datapackage.FACTS) without reading 80 MB back."""

    def __init__(self, path: Path):
        self.path = path
        self.out: BinaryIO = open(path, "wb")  # noqa: SIM115 (closed by close())
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.out.write(data)
        self.digest.update(data)
        self.size += len(data)

    def tell(self) -> int:
        return self.size

    def close(self, complete: bool = True) -> None:
        self.out.close()
        if complete:
            datapackage.remember_facts(self.path, self.size, self.digest.hexdigest())


class KeptParts:
    """Where each region's bytes are in the last build's national CSV and JSON (`at`: the record
    beside the manifest; None: no record, every part made), and the same for this build's."""

    def __init__(self, at: Path | None = None, previous: Path | None = None):
        self.at = at
        self.previous = previous  # the last build's site folder, whose data/ it describes
        self.parts: dict[str, list[Any]] = {}
        self.made: dict[str, list[Any]] = {}
        self.files: list[BinaryIO] = []
        if at is None or previous is None:
            return
        try:
            raw = json.loads(at.read_text(encoding="utf-8"))
            paths = [previous / name for name in NATIONAL_FILES]
            if raw["version"] == PARTS_VERSION and raw["files"] == [stat_of(p) for p in paths]:
                self.parts = raw["parts"]
                self.files = [open(p, "rb") for p in paths]  # noqa: SIM115 (closed by close())
        except (OSError, ValueError, KeyError, TypeError):
            self.parts = {}

    def take(self, code: str, key: str | None) -> tuple[bytes, bytes] | None:
        """The region's CSV lines and JSON records from the last build, if its key is the same."""
        found = self.parts.get(code)
        if key is None or found is None or found[0] != key or not self.files:
            return None
        return tuple(  # type: ignore[return-value]
            read_at(file, start, length)
            for file, (start, length) in zip(self.files, (found[1:3], found[3:5]), strict=True)
        )

    def close(self, written: list[Path] | None = None) -> None:
        """Forget the last build's files; record this build's, when they were all written."""
        for file in self.files:
            file.close()
        self.files = []
        if self.at is not None and written is not None:
            record = {
                "version": PARTS_VERSION,
                "files": [stat_of(path) for path in written],
                "parts": self.made,
            }
            atomic_write(self.at, json.dumps(record).encode("utf-8"))


def read_at(file: BinaryIO, start: int, length: int) -> bytes:
    file.seek(start)
    data = file.read(length)
    if len(data) != length:
        raise OSError(f"{file.name}: shorter than recorded")
    return data


class FigureDownloads:
    """Every figure in the national CSV and JSON, and each region's figures in its own CSV and
    Atom feed; the newest figures of all kept for the national feed.

    Regions are written in code order, each record made once (or its part copied, see the
    module) and streamed to the files. `upto(code)` writes every region up to `code`, called
    just before that region's page, whose judged figures its chart has just made (so they are
    made once for all of these); leaving the `with` block writes the rest.
    """

    def __init__(
        self,
        site: Site,
        folder: Path,
        write_bytes: Callable[[str, bytes], None],
        siteurl: str = "",
        fresh: Callable[[str], bool] = lambda unit: True,
        shared: Path | None = None,
        kept: KeptParts | None = None,
        keys: dict[str, str] | None = None,
    ):
        self.site = site
        # The first language's folder, for another language's run: the downloads that are the
        # same bytes in every language are linked from there when that run has them.
        self.shared = shared
        self.fresh = fresh  # which units this build writes (others were linked unchanged)
        self.national = fresh(NATIONAL)
        self.siteurl = siteurl  # feeds' links: absolute when the site has an address
        self.folder = folder
        self.write_bytes = write_bytes  # a file of the site, by its name in the output
        self.kept = kept or KeptParts()
        self.keys = keys or {}  # each unit's key: a region's part is its unit's
        self.codes = list(site.dataset.snapshots_by_region)  # in code order
        self.next = 0
        self.newest = feeds.Newest()
        self.newest.add(feeds.keyed_corrections(site.dataset.corrections))
        self.region_csvs: list[str] = []
        self.first: PartialDate | None = None
        self.last: PartialDate | None = None
        self.records = 0  # JSON records written so far
        self.parts_copied = 0

    def __enter__(self) -> FigureDownloads:
        self.header = downloads.csv_rows([])
        self.writing = self.national and not downloads.link_shared(
            self.shared, self.folder, NATIONAL_FILES
        )
        if self.shared is None:
            datapackage.forget_facts()  # a build's first run: hashes of this build's files only
        if not self.writing:
            self.kept.close()
            return self
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        self.csv_all, self.json_all = (Hashed(self.folder / name) for name in NATIONAL_FILES)
        self.csv_all.write(self.header.encode("utf-8"))
        self.json_all.write(b"[")
        return self

    def upto(self, code: str | None) -> None:
        """Write the regions up to and including `code` (None: all that are left)."""
        site, dataset, codes = self.site, self.site.dataset, self.codes
        while self.next < len(codes) and (code is None or codes[self.next] <= code):
            region = codes[self.next]
            self.next += 1
            if region in site.regions:
                self.region_csvs.append(region)
            own = region in site.regions and self.fresh(urls.region_unit(region))
            if not (own or self.national):
                continue
            own_csv = urls.region_csv(region)
            linked = own and downloads.link_shared(self.shared, self.folder, [own_csv])
            part = None
            if self.writing and not own:
                part = self.kept.take(region, self.keys.get(urls.region_unit(region)))
            if not own and (part is not None or not self.writing):
                # Only the national feed's newest entries and the span need this region's
                # figures: they are keyed without being made (or judged), see newest_figures.
                dated = dataset.snapshots_by_region.dated(region)
                if part is not None:
                    self.parts_copied += 1
                    self.national_part(region, part[0], part[1], len(dated))
                self.newest.add(
                    [
                        (feeds.figure_key(region, as_of, source, dataset), Unjudged(region, i))
                        for i, (as_of, source) in enumerate(dated)
                    ]
                )
                self.span(dated[0][0], dated[-1][0])
                continue
            history = site.histories[region]
            if self.writing or (own and not linked):
                rows = [downloads.record(a, dataset) for a in history]
                lines = downloads.csv_rows(rows, header=False).encode("utf-8")
                if self.writing:
                    self.national_part(region, lines, json_records(rows), len(rows))
            figures = feeds.keyed(history, dataset)
            if self.national:
                self.newest.add(figures)
                self.span(history[0].snapshot.as_of, history[-1].snapshot.as_of)
            if own:
                if not linked:
                    self.write_bytes(own_csv, self.header.encode("utf-8") + lines)
                siteurl = self.siteurl
                feed = feeds.region_feed(region, dataset.region_name(region), siteurl)
                corrections = feeds.keyed_corrections(site.regions[region].corrections)
                newest = feeds.newest(figures + corrections, feeds.REGION_ENTRIES)
                self.write_bytes(
                    urls.region_feed(region),
                    feeds.atom(feed, newest, dataset, siteurl, freshness=site.freshness),
                )

    def newest_figures(self) -> list[feeds.Keyed]:
        """The national feed's entries, newest first: a figure only keyed so far (`Unjudged`)
        is made and judged now, as the region's history would have it."""
        store, histories = self.site.dataset.snapshots_by_region, self.site.histories
        return [
            (key, histories.judged(store.at(*item)) if isinstance(item, Unjudged) else item)
            for key, item in self.newest.figures()
        ]

    def national_part(self, region: str, lines: bytes, records: bytes, count: int) -> None:
        """One region's rows into the national files, where they are recorded for the next
        build: the JSON part without the separator before its first record."""
        csv_start = self.csv_all.tell()
        self.csv_all.write(lines)
        if count:
            self.json_all.write(b",\n " if self.records else b"\n ")
        json_start = self.json_all.tell()
        self.json_all.write(records)
        self.records += count
        key = self.keys.get(urls.region_unit(region))
        if key is not None:
            self.kept.made[region] = [
                key,
                csv_start,
                len(lines),
                json_start,
                self.json_all.tell() - json_start,
            ]

    def span(self, first: PartialDate, last: PartialDate) -> None:
        """The dates of the oldest and the newest figure written."""
        if self.first is None or first.sort_key() < self.first.sort_key():
            self.first = first
        if self.last is None or last.sort_key() > self.last.sort_key():
            self.last = last

    def __exit__(self, kind: type[BaseException] | None, *_: Any) -> None:
        """The regions after the last page's (the national figures among them: "ID" sorts
        after every code) written, in every run, then the national files closed."""
        if not self.writing:
            if kind is None:
                self.upto(None)  # their feeds and the national feed's newest entries
            return
        complete = False
        try:
            if kind is None:
                self.upto(None)
                self.json_all.write(b"\n]\n" if self.records else b"]\n")
                complete = True
        finally:
            self.csv_all.close(complete)
            self.json_all.close(complete)
            written = [self.csv_all.path, self.json_all.path] if complete else None
            self.kept.close(written)


class Unjudged(NamedTuple):
    """A region's figure in the national feed's running newest, by its place in the region's
    figures: made and judged only if it is still among the newest at the end."""

    code: str
    index: int


def json_records(rows: list[dict[str, Any]]) -> bytes:
    """The rows as downloads.JsonArray writes them, without the separator before the first."""
    out = _Bytes()
    array = downloads.JsonArray(out)
    array.write(rows)
    return bytes(out.data[len(b"[\n ") :]) if rows else b""


class _Bytes:
    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, data: bytes) -> None:
        self.data += data


def parts_record(manifest: Path | None) -> Path | None:
    """Where the parts of the national files are recorded: beside the build's manifest."""
    return manifest.with_name(f"{manifest.stem}-downloads.json") if manifest else None
