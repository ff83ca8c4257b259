"""The portal's vocabulary as frozen dataclasses; no I/O and no Pelican here."""

from __future__ import annotations

import calendar
import datetime as dt
from abc import abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

Origin = Literal["printed", "derived"]

NATIONAL = "ID"
"""The region code of the whole country in coverage rows: its figures are the national series,
never counted as a regency or a province."""
NATIONAL_NAME = "Indonesia"


@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A date at the precision the source gave: a day, a month or a year."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Literal["day", "month", "year"]:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def end(self) -> dt.date:
        """Last day covered; a figure "per September 2020" speaks for the end of that month."""
        if self.day is not None:
            return self.start
        if self.month is not None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def sort_key(self) -> tuple[dt.date, int]:
        return (self.end, {"year": 0, "month": 1, "day": 2}[self.precision])


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Regency:
    code: str
    province_code: str
    name: str

    @property
    def is_city(self) -> bool:
        return self.name.startswith("Kota ")


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    publisher: str | None
    url: str | None
    published: PartialDate | None
    accessed: PartialDate | None
    excerpt: str
    note: str | None = None
    excerpt_note: str | None = None
    """Where the source prints numbers its excerpt cannot quote ("tabel halaman 4"); its rows'
    numbers are then not looked for in the excerpt."""
    line: int = field(default=0, compare=False)
    """Its line in sources.yaml, for links that open the file there (not part of what it says)."""


@dataclass(frozen=True, slots=True)
class Value:
    """A number with where it came from: printed by the source, or derived by the portal."""

    amount: float | None
    origin: Origin | None = None
    approximate: bool = False
    derived_from: str = ""
    lower: float | None = None
    """For an approximate value, the least the printed rounding allows (None when exact)."""
    upper: float | None = None
    """For an approximate value, the most the printed rounding allows (None when exact or
    unbounded)."""

    @property
    def known(self) -> bool:
        return self.amount is not None

    @property
    def least(self) -> float | None:
        """The least the value can be: its amount when exact."""
        return self.lower if self.approximate and self.lower is not None else self.amount

    @property
    def most(self) -> float | None:
        """The most the value can be: its amount when exact; None when unbounded."""
        return self.upper if self.approximate else self.amount

    @property
    def bounded(self) -> bool:
        """Approximate with both bounds known: shown and cited only to their precision."""
        return self.approximate and self.lower is not None and self.upper is not None


MISSING = Value(None)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One coverage figure for one region on one date, from one source."""

    region_code: str
    as_of: PartialDate
    population: Value
    participants: Value
    active_participants: Value
    coverage_pct: Value
    not_enrolled: Value
    source_id: str
    file: str
    line: int
    pct_decimals: int = 2
    active_pct: Value = MISSING
    """An active-only rate the source printed as a % without the counts behind it (peserta
    aktif ÷ penduduk or ÷ peserta, as the source says): shown, never a coverage %."""
    active_decimals: int = 2
    as_printed: bool = False
    """The source's own numbers disagree with each other; they are shown as printed."""
    others: tuple[Snapshot, ...] = ()
    """What other sources print for the same region and date ("sumber lain mencatat"), the
    figure itself chosen by disagreement.rank."""

    @property
    def over_100(self) -> bool:
        return self.coverage_pct.known and (self.coverage_pct.amount or 0) > 100

    @property
    def active_pct_of_participants(self) -> float | None:
        if self.active_participants.known and self.participants.amount:
            return 100 * (self.active_participants.amount or 0) / self.participants.amount
        return None

    @property
    def active_pct_of_population(self) -> float | None:
        if self.active_participants.known and self.population.amount:
            return 100 * (self.active_participants.amount or 0) / self.population.amount
        return None


@dataclass(frozen=True, slots=True)
class StatusRule:
    """A rule a region's coverage is judged by, valid over a period."""

    id: str
    name: str
    tier: Literal["uhc", "prioritas"]
    valid_from: dt.date
    valid_to: dt.date | None
    min_coverage_pct: float
    coverage_strict: bool
    min_active_pct: float | None
    active_strict: bool
    other_conditions: str | None
    basis: str

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class NationalTarget:
    pct: float
    by: PartialDate
    basis: str


@dataclass(frozen=True, slots=True)
class Commitment:
    region_code: str
    target_pct: float | None
    deadline: PartialDate
    committed_by: str
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Agreement:
    number: str
    parties: tuple[str, ...]
    title: str


@dataclass(frozen=True, slots=True)
class Forum:
    slug: str
    date: PartialDate
    date_basis: Literal["event", "reported"]
    regions: tuple[str, ...]
    title: str
    kind: str
    summary: str
    attendees: tuple[str, ...]
    commitments: tuple[Commitment, ...]
    agreements: tuple[Agreement, ...]
    sources: tuple[str, ...]
    file: str


class Figures(Mapping[str, "tuple[Snapshot, ...]"]):
    """Each region's figures, oldest first: what pages ask of the figure store. Declared here,
    made in figures.FigureStore, so that the model imports none of the modules built on it."""

    count: int

    @abstractmethod
    def newest(self, code: str) -> Snapshot | None:
        """A region's newest figure."""

    @abstractmethod
    def newest_of_each_year(self, code: str, counts: Callable[[Snapshot], bool]) -> list[Snapshot]:
        """For each year, oldest first, the newest of a region's figures for which `counts` is
        true."""

    @abstractmethod
    def source_ids(self, code: str) -> list[str]:
        """The sources a region's figures cite, in the order first cited."""

    @abstractmethod
    def dated(self, code: str) -> list[tuple[PartialDate, str]]:
        """Each of a region's figures' date and source id, oldest first, without making the
        figures; `at(code, i)` makes the `i`th."""

    @abstractmethod
    def at(self, code: str, index: int) -> Snapshot:
        """A region's `index`th figure, oldest first: `self[code][index]` alone."""


TILE_COLUMNS, TILE_ROWS = 11, 6  # the tile map's grid: its chart is drawn this size
TILE_LABEL = 9  # characters that fit on a tile at the chart's font size


@dataclass(frozen=True, slots=True)
class Tile:
    """A province's square on the home page's tile map (data/regions/tiles.csv)."""

    code: str
    label: str  # the short name written on the tile: "Sulsel"
    row: int  # 0 at the top
    col: int  # 0 at the left


@dataclass(frozen=True, slots=True)
class FigureValues:
    """What a coverage row printed, and its source: what a correction says was, and is, public."""

    population: int | None
    participants: int | None
    active_participants: int | None
    coverage_pct: float | None
    pct_decimals: int
    not_enrolled: int | None
    source_id: str


@dataclass(frozen=True, slots=True)
class Correction:
    """A figure that was public and was later changed (`now`) or withdrawn (`now` is None)."""

    region_code: str
    as_of: PartialDate
    was: FigureValues
    now: FigureValues | None
    date: PartialDate
    reason: str
    source_id: str
    file: str
    line: int

    @property
    def anchor(self) -> str:
        """A stable id: the figure's region and date and the day of the correction."""
        return f"koreksi-{self.region_code}-{self.as_of.iso}-{self.date.iso}"


RECOGNITION_CATEGORIES = ("Utama", "Madya", "Pratama")


@dataclass(frozen=True, slots=True)
class Recognition:
    """An award a region received (data/recognitions/*.csv): never a figure, never a status."""

    region_code: str
    year: int
    award: str
    category: str | None
    source_id: str
    file: str
    line: int

    @property
    def key(self) -> tuple[str, int, str, str]:
        """What makes two rows the same recognition (then shown once, with both sources)."""
        return (self.region_code, self.year, self.award, self.category or "")


CLAIM_KINDS = (
    "kabkota-uhc",
    "provinsi-uhc",
    "daerah-uhc",
    "kabkota-prioritas",
    "provinsi-prioritas",
    "daerah-prioritas",
    "kabkota-award",
    "provinsi-award",
    "daerah-award",
)


@dataclass(frozen=True, slots=True)
class Claim:
    """What BPJS Kesehatan or the government says about the whole country (data/claims.csv):
    `count` of `total` regions of a kind at a date, as printed."""

    as_of: PartialDate
    kind: str
    count: int
    total: int | None
    source_id: str
    file: str
    line: int

    @property
    def level(self) -> str:
        """kabkota, provinsi or daerah (both)."""
        return self.kind.split("-")[0]

    @property
    def measure(self) -> str:
        """uhc, prioritas or award."""
        return self.kind.split("-")[1]


@dataclass(frozen=True, slots=True)
class Dataset:
    """Everything validated from data/, ready for status and pages."""

    provinces: dict[str, Province]
    regencies: dict[str, Regency]
    aliases: dict[str, str]
    sources: dict[str, Source]
    snapshots_by_region: Figures
    """Each region's figures, oldest first, made when asked: a mapping of code to Snapshots."""
    rules: tuple[StatusRule, ...]
    targets: tuple[NationalTarget, ...]
    forums: tuple[Forum, ...]
    tiles: dict[str, Tile] = field(default_factory=dict)
    """Each province's place on the tile map, by code; empty without data/regions/tiles.csv."""
    corrections: tuple[Correction, ...] = ()
    """Newest first (by date, then region and figure date)."""
    recognitions: tuple[Recognition, ...] = ()
    """In file order: by file name, then line."""
    claims: tuple[Claim, ...] = ()
    """In file order."""

    @property
    def snapshots(self) -> tuple[Snapshot, ...]:
        """All figures, by region and date; every one made anew (for tests and tools)."""
        return tuple(s for figures in self.snapshots_by_region.values() for s in figures)

    def region_name(self, code: str) -> str:
        if code == NATIONAL:
            return NATIONAL_NAME
        if code in self.regencies:
            return self.regencies[code].name
        return self.provinces[code].name
