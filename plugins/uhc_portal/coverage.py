"""Where coverage numbers are computed: one CSV row → a Snapshot with derived values marked.

The source's printed numbers are kept as they are. Missing ones are derived when the printed ones
allow it, preferring exact count arithmetic over a rounded percentage; when a row prints more
numbers than needed, they are checked against each other within the rounding of what was printed.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from dataclasses import dataclass

from .errors import DataError, error
from .i18n import M_, N_
from .loading import Row
from .model import MISSING, NATIONAL, FigureValues, PartialDate, Snapshot, Value
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
OPTIONAL_HEADER = ["active_pct", "as_printed", "preferred"]
"""Columns a coverage file may add after HEADER, in this order: an active-only rate as printed
(peserta aktif as a % the source gives without its counts, never a coverage %); `ya` for a row
whose printed numbers disagree with each other and are kept as the source printed them; `ya`
for the source a steward prefers when two sources give one region and date."""
COUNT_FIELDS = ("population", "participants", "active_participants", "not_enrolled")
FLAG = "ya"


# A national file repeats a few hundred codes and dates in 60,000 rows: each is parsed once,
# and every snapshot of a region or date shares one string or PartialDate instead of its own.
@functools.lru_cache(maxsize=65536)
def region_code(text: str) -> str:
    """A regency's or province's code, or NATIONAL ('ID'): the whole country."""
    return NATIONAL if text.strip() == NATIONAL else parse_code(text)


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
    active_pct: float | None = None
    """An active-only rate the source printed as a % (column active_pct)."""
    active_decimals: int = 2


@dataclass(frozen=True, slots=True)
class Figure:
    """A valid row before derivation: where, when, from which source, and what was printed."""

    region_code: str
    as_of: PartialDate
    source_id: str
    file: str
    line: int
    printed: Printed
    as_printed: bool = False
    """The source's own numbers disagree; kept as printed, shown with a warning."""
    preferred: bool = False
    """A steward's choice among two sources of one region and date."""

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
            self.printed,
            self.region_code,
            self.as_of,
            self.source_id,
            self.file,
            self.line,
            self.as_printed,
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
        text = row.cells.get(field, "").strip()
        if not text:
            return None
        try:
            return parse(text, *args)
        except Problem as problem:
            errors.append(error(row.file, row.line, field, text, problem.expected, problem.kind))
            return None

    code = cell("region_code", region_code)
    if code is not None and code != NATIONAL and code not in region_codes:
        errors.append(
            error(
                row.file,
                row.line,
                "region_code",
                code,
                M_(
                    "kode yang tercantum di data/regions/regencies.csv atau provinces.csv, "
                    "atau %(n)s untuk seluruh negeri"
                )
                % {"n": NATIONAL},
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
                M_("id yang didefinisikan di data/sources.yaml"),
                "unknown-source",
            )
        )
    for field, label in (
        ("region_code", N_("kode wilayah wajib diisi")),
        ("as_of", N_("tanggal wajib diisi")),
        ("source", N_("id sumber wajib diisi")),
    ):
        if not row.cells[field].strip():
            errors.append(error(row.file, row.line, field, "", M_(label), "missing-field"))
    counts = {field: cell(field, parse_count) for field in COUNT_FIELDS}
    pct = cell("coverage_pct", parse_percent)
    active_pct = cell("active_pct", parse_percent)
    as_printed, preferred = cell("as_printed", parse_flag), cell("preferred", parse_flag)
    printed = Printed(
        counts["population"],
        counts["participants"],
        counts["active_participants"],
        pct[0] if pct else None,
        pct[1] if pct else 2,
        counts["not_enrolled"],
        active_pct[0] if active_pct else None,
        active_pct[1] if active_pct else 2,
    )
    if errors:
        return None, errors

    # Process data.
    errors += kept_as_printed(check_printed(printed, row), bool(as_printed), row)
    if errors:
        return None, errors
    assert code is not None and as_of is not None
    flags = bool(as_printed), bool(preferred)
    return Figure(code, as_of, source, row.file, row.line, printed, *flags), []


def parse_flag(text: str) -> bool:
    """`ya`, or an empty cell (read as no before this is called)."""
    if text.strip().lower() != FLAG:
        raise Problem(M_("ya, atau kosong"), "bad-flag")
    return True


def kept_as_printed(errors: list[DataError], as_printed: bool, row: Row) -> list[DataError]:
    """A row marked as_printed keeps numbers that disagree with each other (the source's typo,
    recorded as printed); the mark on a row whose numbers agree is itself an error, so that it
    never hides a steward's own typo."""
    if not as_printed:
        return errors
    mismatches = [e for e in errors if e.kind == "inconsistent-figures"]
    if mismatches:
        return [e for e in errors if e.kind != "inconsistent-figures"]
    needless = M_(
        "kosong: angka baris ini cocok; 'ya' hanya untuk angka sumber yang tidak saling cocok"
    )
    mark = row.cells["as_printed"].strip()
    return [*errors, error(row.file, row.line, "as_printed", mark, needless, "needless-as-printed")]


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
        and p.active_pct is None
    ):
        errors.append(
            error(
                row.file,
                row.line,
                "",
                "",
                M_(
                    "paling sedikit satu angka (population, participants, active_participants, "
                    "coverage_pct atau not_enrolled)"
                ),
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
            M_("population − participants = %(n)s") % {"n": p.population - p.participants},
        )
    if p.not_enrolled is not None and p.population is not None and p.not_enrolled > p.population:
        mismatch(
            "not_enrolled",
            p.not_enrolled,
            M_("paling banyak sebesar population (%(n)s)") % {"n": p.population},
        )
    if (
        p.active_participants is not None
        and p.participants is not None
        and p.active_participants > p.participants
    ):
        mismatch(
            "active_participants",
            p.active_participants,
            M_("paling banyak sebesar participants (%(n)s)") % {"n": p.participants},
        )
    if p.population == 0:
        errors.append(
            error(
                row.file,
                row.line,
                "population",
                0,
                M_("population lebih dari nol"),
                "zero-population",
            )
        )
        return errors
    if p.coverage_pct is not None:
        exact = exact_ratio(p)
        if exact is not None and abs(exact - p.coverage_pct) > pct_tolerance(p.pct_decimals):
            mismatch(
                "coverage_pct",
                f"{p.coverage_pct:g}",
                M_("%(x)s dari jumlah-jumlah di baris yang sama (dalam pembulatan %(d)s desimal)")
                % {"x": f"{exact:.{p.pct_decimals + 2}f}", "d": p.pct_decimals},
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
    p: Printed,
    code: str,
    as_of: PartialDate,
    source: str,
    file: str,
    line: int,
    as_printed: bool = False,
    others: tuple[Snapshot, ...] = (),
) -> Snapshot:
    """Fill what can be derived; mark it as derived, approximate when it rests on a rounded %,
    with the bounds that rounding allows (70 % stands for 69.5–70.5 %)."""
    population = printed(p.population)
    participants = printed(p.participants)
    pct = printed(p.coverage_pct)
    not_enrolled = printed(p.not_enrolled)
    if p.coverage_pct is not None:
        half = 0.5 * 10 ** (-p.pct_decimals)
        pct_low, pct_high = max(p.coverage_pct - half, 0.0), p.coverage_pct + half

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
                round(p.participants * 100 / pct_high),
                round(p.participants * 100 / pct_low) if pct_low > 0 else None,
            )
        elif p.not_enrolled is not None and p.coverage_pct is not None and p.coverage_pct < 100:
            population = Value(
                round(p.not_enrolled * 100 / (100 - p.coverage_pct)),
                "derived",
                True,
                "not_enrolled ÷ (100 − coverage_pct)",
                round(p.not_enrolled * 100 / (100 - pct_low)),
                round(p.not_enrolled * 100 / (100 - pct_high)) if pct_high < 100 else None,
            )
    if not participants.known and population.known:
        if p.not_enrolled is not None:
            participants = Value(
                population.amount - p.not_enrolled,
                "derived",
                population.approximate,
                "population − not_enrolled",
                *shifted(population, -p.not_enrolled),
            )
        elif p.coverage_pct is not None:
            participants = Value(
                round(population.amount * p.coverage_pct / 100),
                "derived",
                True,
                "population × coverage_pct",
                round(population.least * pct_low / 100),
                None if population.most is None else round(population.most * pct_high / 100),
            )
    if not pct.known and participants.known and population.amount:
        approximate = participants.approximate or population.approximate
        pct = Value(
            100 * participants.amount / population.amount,
            "derived",
            approximate,
            "participants ÷ population",
            *(ratio_bounds(participants, population) if approximate else (None, None)),
        )
    if not not_enrolled.known and participants.known and population.known:
        approximate = participants.approximate or population.approximate
        not_enrolled = Value(
            max(0, population.amount - participants.amount),
            "derived",
            approximate,
            "population − participants",
            *(difference_bounds(population, participants) if approximate else (None, None)),
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
        active_pct=printed(p.active_pct),
        active_decimals=p.active_decimals,
        as_printed=as_printed,
        others=others,
    )


def shifted(value: Value, by: float) -> tuple[float | None, float | None]:
    """The bounds of value + by (none for an exact value)."""
    if not value.approximate:
        return None, None
    top = value.most
    return value.least + by, None if top is None else top + by


def difference_bounds(a: Value, b: Value) -> tuple[float | None, float | None]:
    """The bounds of a − b, never below zero."""
    top_a, top_b = a.most, b.most
    lowest = 0 if top_b is None else max(0, a.least - top_b)
    highest = None if top_a is None else max(0, top_a - b.least)
    return lowest, highest


def ratio_bounds(part: Value, whole: Value) -> tuple[float | None, float | None]:
    """The bounds of 100 × part ÷ whole, in percent."""
    top_part, top_whole = part.most, whole.most
    lowest = 100 * part.least / top_whole if top_whole else 0.0
    highest = 100 * top_part / whole.least if top_part is not None and whole.least else None
    return lowest, highest


def printed(amount: float | None) -> Value:
    return MISSING if amount is None else Value(amount, "printed")
