"""Every figure packed per region; a region's Snapshots made when asked.

The store holds what the sources printed, not the derived values: a 10x national set is 600,000
figures, and deriving them all up front took about 450 MB.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator

from .coverage import Figure, Printed, derive
from .model import Figures, PartialDate, Snapshot

# One figure as the store keeps it: its date, source and file as indexes into the store's
# tables, its line, the printed percentage's decimals, which numbers were printed (a bit each,
# in Printed's order) and the numbers (counts are at most MAX_COUNT; the % is a double).
RECORD = struct.Struct("<IIIIBBqqqdq")
BITS = (1, 2, 4, 8, 16)


def printed_numbers(decimals: int, mask: int, numbers: list) -> Printed:
    """The Printed record of a packed figure: numbers whose bit is not set were not printed."""
    population, participants, active, pct, not_enrolled = numbers
    return Printed(
        population if mask & 1 else None,
        participants if mask & 2 else None,
        active if mask & 4 else None,
        pct if mask & 8 else None,
        decimals,
        not_enrolled if mask & 16 else None,
    )


class FigureStore(Figures):
    """Every region's figures, newest last, as the sources printed them: packed, 58 bytes each.

    A region's Snapshots, with their derived values, are made when asked and not kept. A 10×
    national set has 600,000 figures; held as Snapshot and Value objects they took about 450 MB.
    """

    def __init__(self) -> None:
        self._packed: dict[str, bytearray] = {}
        # while adding, each date, source id and file name → its index in the records; made
        # into lists by `finish`
        self._date_index: dict[PartialDate, int] = {}
        self._source_index: dict[str, int] = {}
        self._file_index: dict[str, int] = {}
        self._dates: list[PartialDate] = []
        self._sources: list[str] = []
        self._files: list[str] = []
        self.count = 0
        self._sorted = False

    def add(self, figure: Figure) -> None:
        """Keep a validated figure (before `finish`)."""
        p = figure.printed
        numbers = (p.population, p.participants, p.active_participants, p.coverage_pct)
        numbers += (p.not_enrolled,)
        mask = sum(bit for n, bit in zip(numbers, BITS, strict=True) if n is not None)
        packed = self._packed.get(figure.region_code)
        if packed is None:
            packed = self._packed[figure.region_code] = bytearray()
        dates, sources, files = self._date_index, self._source_index, self._file_index
        packed += RECORD.pack(
            dates.setdefault(figure.as_of, len(dates)),
            sources.setdefault(figure.source_id, len(sources)),
            files.setdefault(figure.file, len(files)),
            figure.line,
            p.pct_decimals,
            mask,
            *(0 if n is None else n for n in numbers),
        )
        self.count += 1

    def finish(self) -> list[tuple[Figure, Figure]]:
        """Sort each region's figures by date, regions by code; return each figure whose region
        and date an earlier one (files in name order, lines in order) already has, with it."""
        self._dates, self._sources, self._files = (
            list(self._date_index),
            list(self._source_index),
            list(self._file_index),
        )
        keys = [d.sort_key() for d in self._dates]
        duplicates: list[tuple[Figure, Figure]] = []
        for code in sorted(self._packed):
            packed = self._packed.pop(code)
            records = sorted(  # by date, then as read: file, line
                RECORD.iter_unpack(packed), key=lambda r: (keys[r[0]], r[2], r[3])
            )
            kept: list[tuple] = []
            for record in records:
                if kept and record[0] == kept[-1][0]:
                    duplicates.append((self._figure(code, kept[-1]), self._figure(code, record)))
                    self.count -= 1
                else:
                    kept.append(record)
            self._packed[code] = bytearray(b"".join(RECORD.pack(*r) for r in kept))
        self._date_index, self._source_index, self._file_index = {}, {}, {}
        self._sorted = True
        return duplicates

    def _figure(self, code: str, record: tuple) -> Figure:
        date, source, file, line, decimals, mask, *numbers = record
        return Figure(
            code,
            self._dates[date],
            self._sources[source],
            self._files[file],
            line,
            printed_numbers(decimals, mask, numbers),
        )

    def __getitem__(self, code: str) -> tuple[Snapshot, ...]:
        assert self._sorted, "FigureStore.finish() before reading"
        return tuple(self._snapshot(code, r) for r in RECORD.iter_unpack(self._packed[code]))

    def _snapshot(self, code: str, record: tuple) -> Snapshot:
        d, s, f, line, decimals, mask, *numbers = record
        return derive(
            printed_numbers(decimals, mask, numbers),
            code,
            self._dates[d],
            self._sources[s],
            self._files[f],
            line,
        )

    def figures(self, code: str) -> list[Figure]:
        """A region's figures as printed, oldest first, without deriving anything (for comparing
        two versions of the data)."""
        assert self._sorted, "FigureStore.finish() before reading"
        return [self._figure(code, r) for r in RECORD.iter_unpack(self._packed.get(code, b""))]

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

    def source_ids(self, code: str) -> list[str]:
        """The sources a region's figures cite, in the order first cited (without the figures)."""
        ids = (self._sources[r[1]] for r in RECORD.iter_unpack(self._packed.get(code, b"")))
        return list(dict.fromkeys(ids))
