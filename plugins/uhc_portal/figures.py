"""Every figure packed per region; a region's Snapshots made when asked.

The store holds what the sources printed, not the derived values: a 10x national set is 600,000
figures, and deriving them all up front took about 450 MB. Each coverage file is packed on its
own (PackedFile) and the store merges them: when one file changes, only it is packed again.
"""

from __future__ import annotations

import functools
import itertools
import json
import operator
import struct
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .coverage import Figure, Printed, derive
from .model import Figures, PartialDate, Snapshot

# One figure as the store keeps it: its date (as `date_key`), its file (an index into the
# store's files), its line, its source (an index into its file's sources), the printed
# percentage's decimals, which numbers were printed (a bit each, in Printed's order) and the
# numbers (counts are at most MAX_COUNT; the % is a double), then the active-only % and its
# decimals and the row's marks (AS_PRINTED, PREFERRED). Big-endian, so that records sort as
# bytes by date, then file, then line: the order figures are kept in.
RECORD = struct.Struct(">IIIIBBqqqdqdBB")
AS_PRINTED, PREFERRED = 1, 2
SORTED_BY = operator.itemgetter(slice(0, 12))  # date, file, line
FILE_FIELD = struct.Struct(">I")
PRECISIONS = {"year": 0, "month": 1, "day": 2}
# A PackedFile as bytes (`PackedFile.dump`): this mark, the length of a JSON header (names,
# dates, sources, each region's byte count), the header, then the regions' records.
DUMP_MARK = b"uhc-packed-file 1\n"
HEADER_LENGTH = struct.Struct(">I")


@functools.lru_cache(maxsize=4096)  # a few hundred dates recur in 60,000 rows
def date_key(date: PartialDate) -> int:
    """A date as a whole number that sorts as `PartialDate.sort_key` does, one per date."""
    return date.end.toordinal() * 3 + PRECISIONS[date.precision]


def printed_numbers(decimals: int, mask: int, numbers: list) -> Printed:
    """The Printed record of a packed figure: numbers whose bit is not set were not printed."""
    population, participants, active, pct, not_enrolled, active_pct, active_decimals = numbers[:7]
    return Printed(
        population if mask & 1 else None,
        participants if mask & 2 else None,
        active if mask & 4 else None,
        pct if mask & 8 else None,
        decimals,
        not_enrolled if mask & 16 else None,
        active_pct if mask & 32 else None,
        active_decimals,
    )


class Settled:
    """What merging the files found about figures sharing a region and date: the same source
    twice (an error), and two sources (both kept, one shown), each group best first."""

    def __init__(self) -> None:
        self.duplicates: list[tuple[Figure, Figure]] = []
        self.disagreements: list[list[Figure]] = []
        self.lone_preferred: list[Figure] = []


class PackedFile:
    """The valid figures of one coverage file, packed per region in the order read.

    What a file packs to depends on its text alone, and on its place among the files: kept
    between loads, an unchanged file's figures are merged again without being read or packed.
    """

    def __init__(self, name: str, index: int) -> None:
        self.name = name
        self.index = index  # its place among the coverage files, in every record
        self.dates: dict[int, PartialDate] = {}
        self.sources: list[str] = []
        self._source_index: dict[str, int] = {}
        self.regions: dict[str, bytearray] = {}
        self.count = 0

    def add(self, figure: Figure) -> None:
        p = figure.printed
        population, participants, active = p.population, p.participants, p.active_participants
        pct, not_enrolled = p.coverage_pct, p.not_enrolled
        mask = (
            (population is not None)
            | (participants is not None) << 1
            | (active is not None) << 2
            | (pct is not None) << 3
            | (not_enrolled is not None) << 4
            | (p.active_pct is not None) << 5
        )
        packed = self.regions.get(figure.region_code)
        if packed is None:
            packed = self.regions[figure.region_code] = bytearray()
        key = date_key(figure.as_of)
        self.dates.setdefault(key, figure.as_of)
        source = self._source_index.get(figure.source_id)
        if source is None:
            source = self._source_index[figure.source_id] = len(self.sources)
            self.sources.append(figure.source_id)
        packed += RECORD.pack(
            key,
            self.index,
            figure.line,
            source,
            p.pct_decimals,
            mask,
            population or 0,  # 0 where not printed: the mask says which were
            participants or 0,
            active or 0,
            pct or 0.0,
            not_enrolled or 0,
            p.active_pct or 0.0,
            p.active_decimals,
            figure.as_printed * AS_PRINTED | figure.preferred * PREFERRED,
        )
        self.count += 1

    def dump(self) -> bytes:
        """The file's figures as bytes, for a later process (`PackedFile.undump`): no code in
        them, only numbers and text."""
        header = {
            "name": self.name,
            "index": self.index,
            "count": self.count,
            "sources": self.sources,
            "dates": [[key, d.year, d.month, d.day] for key, d in self.dates.items()],
            "regions": [[code, len(packed)] for code, packed in self.regions.items()],
        }
        text = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()
        return b"".join([DUMP_MARK, HEADER_LENGTH.pack(len(text)), text, *self.regions.values()])

    @classmethod
    def undump(cls, data: bytes, name: str, index: int) -> PackedFile | None:
        """The PackedFile `dump` gave, at the `index`th place; None for bytes that are not a
        whole dump of the file called `name` (cut short, or of another format)."""
        if not data.startswith(DUMP_MARK):
            return None
        try:
            start = len(DUMP_MARK) + HEADER_LENGTH.size
            (length,) = HEADER_LENGTH.unpack_from(data, len(DUMP_MARK))
            header = json.loads(data[start : start + length])
            packed = cls(header["name"], header["index"])
            packed.count = header["count"]
            packed.sources = [str(s) for s in header["sources"]]
            packed._source_index = {s: i for i, s in enumerate(packed.sources)}
            for key, year, month, day in header["dates"]:
                packed.dates[key] = PartialDate(year, month, day)
            offset = start + length
            for code, size in header["regions"]:
                packed.regions[code] = bytearray(data[offset : offset + size])
                offset += size
        except (ValueError, KeyError, TypeError, struct.error):
            return None
        records = sum(len(r) for r in packed.regions.values())
        if packed.name != name or offset != len(data) or records != packed.count * RECORD.size:
            return None
        return packed.at(index)

    def at(self, index: int) -> PackedFile:
        """The same figures for the file at another place (a file before it came or went)."""
        if index == self.index:
            return self
        moved = PackedFile(self.name, index)
        moved.dates, moved.sources, moved.count = self.dates, self.sources, self.count
        moved._source_index = self._source_index
        for code, packed in self.regions.items():
            records = bytearray(packed)
            for offset in range(4, len(records), RECORD.size):
                FILE_FIELD.pack_into(records, offset, index)
            moved.regions[code] = records
        return moved


class FigureStore(Figures):
    """Every region's figures, newest last, as the sources printed them: packed, 58 bytes each.

    A region's Snapshots, with their derived values, are made when asked and not kept. A 10×
    national set has 600,000 figures; held as Snapshot and Value objects they took about 450 MB.
    """

    def __init__(self, files: Iterable[PackedFile] = ()) -> None:
        self._adding: dict[str, PackedFile] = {f.name: f for f in files}
        self._packed: dict[str, bytes] = {}
        self._dates: dict[int, PartialDate] = {}
        self._sources: list[list[str]] = []  # each file's
        self._files: list[str] = []
        self.count = 0
        self._sorted = False
        self._tables: tuple = ()
        self._others: dict[str, dict[int, list[bytes]]] = {}  # by code, then date

    def add(self, figure: Figure) -> None:
        """Keep a validated figure (before `finish`); files in the order they are read."""
        packed = self._adding.get(figure.file)
        if packed is None:
            packed = self._adding[figure.file] = PackedFile(figure.file, len(self._adding))
        packed.add(figure)

    def finish(self, rank: Callable[[Figure], Any] | None = None) -> Settled:
        """Sort each region's figures by date, regions by code. Figures sharing a region and date
        are settled: the same source again is a duplicate (the first kept); other sources are
        kept beside the figure, which is the one `rank` puts highest (the first read without
        one). The packed files are read, never changed."""
        files = [f.at(index) for index, f in enumerate(self._adding.values())]
        self._files = [f.name for f in files]
        self._sources = [f.sources for f in files]
        for f in files:
            self._dates.update(f.dates)
        settled = Settled()
        size = RECORD.size
        for code in sorted({code for f in files for code in f.regions}):
            joined = b"".join(f.regions[code] for f in files if code in f.regions)
            records = [joined[i : i + size] for i in range(0, len(joined), size)]
            records.sort(key=SORTED_BY)  # stable: figures of one line stay as added
            if len({r[:4] for r in records}) < len(records):
                records = self._settle(code, records, rank, settled)
            self._packed[code] = b"".join(records)
            self.count += len(records)
        for code, packed in self._packed.items():
            for record in RECORD.iter_unpack(packed):
                date = record[0]
                if record[-1] & PREFERRED and date not in self._others.get(code, {}):
                    settled.lone_preferred.append(self._figure(code, record))
        self._adding = {}
        self._sorted = True
        self._tables = (tuple(self._files), tuple(tuple(s) for s in self._sources))
        return settled

    def fingerprint(self, code: str) -> tuple[bytes, tuple]:
        """A region's figures, whole, without making them: its packed records (with the other
        sources' beside them) and the file names and source ids they point into (dates are
        packed whole). Equal fingerprints, equal figures, in this store or another."""
        assert self._sorted, "FigureStore.finish() before reading"
        others = self._others.get(code, {})
        extra = b"".join(b"".join(records) for _, records in sorted(others.items()))
        return self._packed.get(code, b"") + extra, self._tables

    def _settle(
        self,
        code: str,
        records: list[bytes],
        rank: Callable[[Figure], Any] | None,
        settled: Settled,
    ) -> list[bytes]:
        groups: list[list[bytes]] = []
        for record in records:
            if groups and record[:4] == groups[-1][0][:4]:
                groups[-1].append(record)
            else:
                groups.append([record])
        kept: list[bytes] = []
        for group in groups:
            distinct: list[bytes] = []
            for record in group:
                again = self._figure(code, RECORD.unpack(record))
                first = next((r for r in distinct if self._source_of(r) == again.source_id), None)
                if first is None:
                    distinct.append(record)
                else:
                    settled.duplicates.append((self._figure(code, RECORD.unpack(first)), again))
            if len(distinct) > 1:
                figures = [self._figure(code, RECORD.unpack(r)) for r in distinct]
                order = list(range(len(distinct)))
                if rank is not None:  # stable: equals keep the order read
                    order.sort(key=lambda i: rank(figures[i]), reverse=True)
                settled.disagreements.append([figures[i] for i in order])
                self._others.setdefault(code, {})[RECORD.unpack(distinct[0])[0]] = [
                    distinct[i] for i in order[1:]
                ]
                kept.append(distinct[order[0]])
            else:
                kept.append(distinct[0])
        return kept

    def _source_of(self, record: bytes) -> str:
        unpacked = RECORD.unpack(record)
        return self._sources[unpacked[1]][unpacked[3]]

    def _figure(self, code: str, record: tuple) -> Figure:
        date, file, line, source, decimals, mask, *numbers, marks = record
        return Figure(
            code,
            self._dates[date],
            self._sources[file][source],
            self._files[file],
            line,
            printed_numbers(decimals, mask, numbers),
            bool(marks & AS_PRINTED),
            bool(marks & PREFERRED),
        )

    def __getitem__(self, code: str) -> tuple[Snapshot, ...]:
        assert self._sorted, "FigureStore.finish() before reading"
        return tuple(self._snapshot(code, r) for r in RECORD.iter_unpack(self._packed[code]))

    def _snapshot(self, code: str, record: tuple, alone: bool = False) -> Snapshot:
        date, file, line, source, decimals, mask, *numbers, marks = record
        others = () if alone else self._others.get(code, {}).get(date, ())
        return derive(
            printed_numbers(decimals, mask, numbers),
            code,
            self._dates[date],
            self._sources[file][source],
            self._files[file],
            line,
            bool(marks & AS_PRINTED),
            tuple(self._snapshot(code, RECORD.unpack(r), True) for r in others),
        )

    def figures(self, code: str) -> list[Figure]:
        """A region's figures as printed, oldest first, without deriving anything (for comparing
        two versions of the data): the figure of each date, not the other sources beside it."""
        assert self._sorted, "FigureStore.finish() before reading"
        return [self._figure(code, r) for r in RECORD.iter_unpack(self._packed.get(code, b""))]

    def other_figures(self, code: str) -> list[Figure]:
        """The other sources' figures of a region's dates, oldest date first, best first."""
        assert self._sorted, "FigureStore.finish() before reading"
        others = self._others.get(code, {})
        return [
            self._figure(code, RECORD.unpack(r)) for _, rs in sorted(others.items()) for r in rs
        ]

    def newest(self, code: str) -> Snapshot | None:
        """A region's newest figure, made alone."""
        packed = self._packed.get(code)
        if not packed:
            return None
        return self._snapshot(code, RECORD.unpack_from(packed, len(packed) - RECORD.size))

    def newest_of_each_year(self, code: str, counts: Callable[[Snapshot], bool]) -> list[Snapshot]:
        """For each year with one, oldest year first, the newest of a region's figures for which
        `counts` is true. Figures are made newest first within each year and only until one
        counts: usually one a year instead of twelve."""
        assert self._sorted, "FigureStore.finish() before reading"
        dates = self._dates
        found: list[Snapshot] = []
        done_year = None
        for record in reversed(list(RECORD.iter_unpack(self._packed.get(code, b"")))):
            year = dates[record[0]].year
            if year == done_year:
                continue
            snapshot = self._snapshot(code, record)
            if counts(snapshot):
                found.append(snapshot)
                done_year = year
        return found[::-1]

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def __contains__(self, code: object) -> bool:  # Mapping's would make the Snapshots
        return code in self._packed

    def dated(self, code: str) -> list[tuple[PartialDate, str]]:
        dates, sources = self._dates, self._sources
        packed = self._packed.get(code, b"")
        return [(dates[r[0]], sources[r[1]][r[3]]) for r in RECORD.iter_unpack(packed)]

    def at(self, code: str, index: int) -> Snapshot:
        return self._snapshot(code, RECORD.unpack_from(self._packed[code], index * RECORD.size))

    def source_ids(self, code: str) -> list[str]:
        """The sources a region's figures cite, in the order first cited (without the figures)."""
        sources = self._sources
        packed = self._packed.get(code, b"")
        others = [r for _, rs in sorted(self._others.get(code, {}).items()) for r in rs]
        records = itertools.chain(RECORD.iter_unpack(packed), map(RECORD.unpack, others))
        return list(dict.fromkeys(sources[r[1]][r[3]] for r in records))
