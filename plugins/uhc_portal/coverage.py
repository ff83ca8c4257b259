"""Where coverage numbers are computed: one CSV row → a Snapshot with derived values marked.

The source's printed numbers are kept as they are. Missing ones are derived when the printed ones
allow it, preferring exact count arithmetic over a rounded percentage; when a row prints more
numbers than needed, they are checked against each other within the rounding of what was printed.
"""

from __future__ import annotations

import datetime as dt
import functools
import struct
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from .errors import DataError, error
from .loading import Row
from .model import MISSING, FigureValues, PartialDate, Snapshot, Value
from .schema import Problem, parse_code, parse_count, parse_date, parse_percent

HEADER = [
    "region_code",
    "as_of",
    "population",
    "participants",
    "active_participants",
    "coverage_pct",
    "not_enrolled",
    "source",
]
COUNT_FIELDS = ("population", "participants", "active_participants", "not_enrolled")


# A national file repeats a few hundred codes and dates in 60,000 rows: each is parsed once,
# and every snapshot of a region or date shares one string or PartialDate instead of its own.
@functools.lru_cache(maxsize=65536)
def region_code(text: str) -> str:
    return parse_code(text)


@functools.lru_cache(maxsize=4096)
def as_of_date(text: str, today: dt.date) -> PartialDate:
    return parse_date(text, today)


@dataclass(slots=True)
class Printed:
    """The numbers of one row as the source printed them (None where the cell is empty)."""

    population: int | None
    participants: int | None
    active_participants: int | None
    coverage_pct: float | None
    pct_decimals: int
    not_enrolled: int | None


@dataclass(frozen=True, slots=True)
class Figure:
    """A valid row before derivation: where, when, from which source, and what was printed."""

    region_code: str
    as_of: PartialDate
    source_id: str
    file: str
    line: int
    printed: Printed

    @property
    def values(self) -> FigureValues:
        p = self.printed
        return FigureValues(
            p.population,
            p.participants,
            p.active_participants,
            p.coverage_pct,
            p.pct_decimals if p.coverage_pct is not None else 2,
            p.not_enrolled,
            self.source_id,
        )

    def snapshot(self) -> Snapshot:
        return derive(
            self.printed, self.region_code, self.as_of, self.source_id, self.file, self.line
        )


def snapshot_from_row(
    row: Row, today: dt.date, region_codes: set[str], source_ids: set[str]
) -> tuple[Snapshot | None, list[DataError]]:
    figure, errors = figure_from_row(row, today, region_codes, source_ids)
    return (figure.snapshot() if figure else None), errors


def figure_from_row(
    row: Row, today: dt.date, region_codes: set[str], source_ids: set[str]
) -> tuple[Figure | None, list[DataError]]:
    # Load inputs.
    errors: list[DataError] = []

    def cell(field: str, parse, *args):
        text = row.cells[field].strip()
        if not text:
            return None
        try:
            return parse(text, *args)
        except Problem as problem:
            errors.append(error(row.file, row.line, field, text, problem.expected, problem.kind))
            return None

    code = cell("region_code", region_code)
    if code is not None and code not in region_codes:
        errors.append(
            error(
                row.file,
                row.line,
                "region_code",
                code,
                "a code listed in data/regions/regencies.csv or provinces.csv",
                "unknown-region",
            )
        )
    as_of = cell("as_of", as_of_date, today)
    source = sys.intern(row.cells["source"].strip())
    if source and source not in source_ids:
        errors.append(
            error(
                row.file,
                row.line,
                "source",
                source,
                "an id defined in data/sources.yaml",
                "unknown-source",
            )
        )
    for field, label in (
        ("region_code", "region code"),
        ("as_of", "date"),
        ("source", "source id"),
    ):
        if not row.cells[field].strip():
            errors.append(
                error(row.file, row.line, field, "", f"a {label}; it is required", "missing-field")
            )
    counts = {field: cell(field, parse_count) for field in COUNT_FIELDS}
    pct = cell("coverage_pct", parse_percent)
    printed = Printed(
        counts["population"],
        counts["participants"],
        counts["active_participants"],
        pct[0] if pct else None,
        pct[1] if pct else 2,
        counts["not_enrolled"],
    )
    if errors:
        return None, errors

    # Process data.
    errors += check_printed(printed, row)
    if errors:
        return None, errors
    assert code is not None and as_of is not None
    return Figure(code, as_of, source, row.file, row.line, printed), []


def pct_tolerance(decimals: int) -> float:
    """Half a unit of the last printed decimal: 82.77 stands for 82.765–82.775."""
    return 0.5 * 10 ** (-decimals) + 1e-9


def check_printed(p: Printed, row: Row) -> list[DataError]:
    """Printed numbers must agree with each other within the rounding of what was printed."""
    errors: list[DataError] = []

    def mismatch(field: str, value: object, expected: str) -> None:
        errors.append(error(row.file, row.line, field, value, expected, "inconsistent-figures"))

    if (
        p.population is None
        and p.participants is None
        and p.active_participants is None
        and p.coverage_pct is None
        and p.not_enrolled is None
    ):
        errors.append(
            error(
                row.file,
                row.line,
                "",
                "",
                "at least one figure (population, "
                "participants, active_participants, coverage_pct or not_enrolled)",
                "no-figures",
            )
        )
        return errors
    counts = (p.population, p.participants, p.not_enrolled)
    if (
        None not in counts
        and p.participants + p.not_enrolled != p.population
        and p.participants <= p.population
    ):
        mismatch(
            "not_enrolled",
            p.not_enrolled,
            f"population − participants = {p.population - p.participants}",
        )
    if p.not_enrolled is not None and p.population is not None and p.not_enrolled > p.population:
        mismatch("not_enrolled", p.not_enrolled, f"at most the population ({p.population})")
    if (
        p.active_participants is not None
        and p.participants is not None
        and p.active_participants > p.participants
    ):
        mismatch(
            "active_participants",
            p.active_participants,
            f"at most the participants ({p.participants})",
        )
    if p.population == 0:
        errors.append(
            error(row.file, row.line, "population", 0, "a population above zero", "zero-population")
        )
        return errors
    if p.coverage_pct is not None:
        exact = exact_ratio(p)
        if exact is not None and abs(exact - p.coverage_pct) > pct_tolerance(p.pct_decimals):
            mismatch(
                "coverage_pct",
                f"{p.coverage_pct:g}",
                f"{exact:.{p.pct_decimals + 2}f} from the counts in the same row "
                f"(within rounding of {p.pct_decimals} decimals)",
            )
    return errors


def exact_ratio(p: Printed) -> float | None:
    """Coverage % from counts alone, when the counts allow it."""
    population = p.population
    participants = p.participants
    if participants is None and population is not None and p.not_enrolled is not None:
        participants = population - p.not_enrolled
    if population is None and participants is not None and p.not_enrolled is not None:
        population = participants + p.not_enrolled
    if population and participants is not None:
        return 100 * participants / population
    return None


def derive(
    p: Printed, code: str, as_of: PartialDate, source: str, file: str, line: int
) -> Snapshot:
    """Fill what can be derived; mark it as derived, approximate when it rests on a rounded %."""
    population = printed(p.population)
    participants = printed(p.participants)
    pct = printed(p.coverage_pct)
    not_enrolled = printed(p.not_enrolled)

    if not population.known:
        if p.participants is not None and p.not_enrolled is not None:
            population = Value(
                p.participants + p.not_enrolled, "derived", False, "participants + not_enrolled"
            )
        elif p.participants is not None and p.coverage_pct:
            population = Value(
                round(p.participants * 100 / p.coverage_pct),
                "derived",
                True,
                "participants ÷ coverage_pct",
            )
        elif p.not_enrolled is not None and p.coverage_pct is not None and p.coverage_pct < 100:
            population = Value(
                round(p.not_enrolled * 100 / (100 - p.coverage_pct)),
                "derived",
                True,
                "not_enrolled ÷ (100 − coverage_pct)",
            )
    if not participants.known and population.known:
        if p.not_enrolled is not None:
            participants = Value(
                population.amount - p.not_enrolled,
                "derived",
                population.approximate,
                "population − not_enrolled",
            )
        elif p.coverage_pct is not None:
            participants = Value(
                round(population.amount * p.coverage_pct / 100),
                "derived",
                True,
                "population × coverage_pct",
            )
    if not pct.known and participants.known and population.amount:
        pct = Value(
            100 * participants.amount / population.amount,
            "derived",
            participants.approximate or population.approximate,
            "participants ÷ population",
        )
    if not not_enrolled.known and participants.known and population.known:
        not_enrolled = Value(
            max(0, population.amount - participants.amount),
            "derived",
            participants.approximate or population.approximate,
            "population − participants",
        )

    # Save outputs.
    return Snapshot(
        region_code=code,
        as_of=as_of,
        population=population,
        participants=participants,
        active_participants=printed(p.active_participants),
        coverage_pct=pct,
        not_enrolled=not_enrolled,
        source_id=source,
        file=file,
        line=line,
        pct_decimals=p.pct_decimals if p.coverage_pct is not None else 2,
    )


def printed(amount: float | None) -> Value:
    return MISSING if amount is None else Value(amount, "printed")


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


class FigureStore(Mapping[str, tuple[Snapshot, ...]]):
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
