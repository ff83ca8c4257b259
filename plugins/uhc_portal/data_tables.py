"""The CSV tables of data/: what each column means (the table schemas of the figures and of
the reference tables), and the reference tables (regions, sources, rules) as written."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import downloads
from .i18n import N_
from .model import NATIONAL, NATIONAL_NAME, Dataset, PartialDate

DATE_PATTERN = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"
REGION_PATTERN = r"ID|[0-9]{2}(\.[0-9]{2})?"
FIELDS_OF_FIGURES = ("population", "participants", "active_participants", "coverage_pct")
APPROXIMATE_NAMES = "(population|participants|active_participants|coverage_pct|not_enrolled)"
FIGURES_LICENCE = N_("Angka menurut sumbernya (disebut di tiap baris); nama wilayah ODbL 1.0.")
REGIONS_LICENCE = N_("ODbL 1.0 (idn-area-data 4.0.1, Kepmendagri 300.2.2-2138/2025)")
SOURCES_LICENCE = N_("Kutipan singkat dari tiap sumber, dengan judul, penerbit dan alamatnya.")
RULES_LICENCE = N_("Disusun dari laporan yang disebut di kolom basis.")


def _text(name: str, description: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "type": "string", "description": description, **more}


def _count(name: str, description: str) -> dict[str, Any]:
    """Counts of persons are numbers, not integers: a count derived from a percentage is not
    whole, and the download keeps the four decimals it was derived with."""
    return {
        "name": name,
        "type": "number",
        "description": description,
        "unit": "jiwa",
        "constraints": {"minimum": 0},
    }


def _origin(of: str) -> dict[str, Any]:
    return _text(
        f"{of}_origin",
        f"printed: {of} as the source printed it; derived: computed by the portal from the "
        "other printed numbers; empty when the number is unknown.",
        constraints={"enum": ["printed", "derived"]},
    )


def _bounds(of: str, unit: str) -> list[dict[str, Any]]:
    """The least and most a value derived from a rounded percentage can be."""
    return [
        {
            "name": f"{of}_{end}",
            "type": "number",
            "description": f"The {word} {of} can be, given the rounding of the printed "
            "percentage it was derived from; empty when the value is exact"
            + ("." if end == "lower" else ", or when the rounding leaves no upper bound."),
            "unit": unit,
            "constraints": {"minimum": 0},
        }
        for end, word in (("lower", "least"), ("upper", "most"))
    ]


FIGURE_FIELDS: list[dict[str, Any]] = [
    _text(
        "region_code",
        "Kemendagri code of the regency/city (73.13) or province (73); ID for a figure of the "
        "whole country (the national series).",
        constraints={"required": True, "pattern": REGION_PATTERN},
    ),
    _text("region_name", "Name in the Kemendagri list.", constraints={"required": True}),
    _text(
        "as_of",
        "Date the figure speaks for, at the precision the source gave: YYYY-MM-DD, YYYY-MM "
        "or YYYY. Empty on rows of a region without any figure (status no-data).",
        constraints={"pattern": DATE_PATTERN},
    ),
    _count("population", "Residents (jumlah penduduk)."),
    _origin("population"),
    _count("participants", "Residents enrolled in JKN (peserta)."),
    _origin("participants"),
    _count("active_participants", "Enrolled residents whose membership is active."),
    _origin("active_participants"),
    {
        "name": "coverage_pct",
        "type": "number",
        "description": "Participants as a percentage of population (cakupan kepesertaan); "
        "a printed percentage keeps the decimals the source printed. May exceed 100 when "
        "population figures lag registrations.",
        "unit": "percent",
        "constraints": {"minimum": 0},
    },
    _origin("coverage_pct"),
    _count("not_enrolled", "Residents not yet enrolled (belum terdaftar)."),
    _origin("not_enrolled"),
    _text(
        "approximate_fields",
        "Space-separated names of the fields derived from a rounded percentage, so only as "
        "precise as that rounding allows (shown with ≈ on the site).",
        constraints={"pattern": f"{APPROXIMATE_NAMES}( {APPROXIMATE_NAMES})*"},
    ),
    *(
        field
        for name in downloads.BOUNDED
        for field in _bounds(name, "percent" if name == "coverage_pct" else "jiwa")
    ),
    _text(
        "status",
        "The figure judged against the UHC rule in force on its date: meets, below, unknown "
        "(no percentage), no-rule (no rule in force), no-data (a region without any figure).",
        constraints={"required": True, "enum": ["meets", "below", "unknown", "no-rule", "no-data"]},
    ),
    _text("rule_id", "The rule used for the status (see the rules table)."),
    {
        "name": "rule_min_coverage_pct",
        "type": "number",
        "description": "The rule's coverage threshold.",
        "unit": "percent",
        "constraints": {"minimum": 0, "maximum": 100},
    },
    _count("people_needed", "More participants needed to reach the rule's threshold."),
    *_bounds("people_needed", "jiwa"),
    _text("source_id", "The source the figure comes from (see the sources table)."),
    _text("source_title", "The source's title."),
    _text("source_publisher", "The source's publisher, when known."),
    _text("source_url", "The source's address, when known.", format="uri"),
    {
        "name": "active_pct",
        "type": "number",
        "description": "An active-only rate the source printed as a percentage without the "
        "counts behind it (tingkat keaktifan): never a coverage percentage.",
        "unit": "percent",
        "constraints": {"minimum": 0},
    },
    _text(
        "as_printed",
        "'yes' when the source's own numbers disagree with each other (a typo of the source): "
        "they are kept as printed, not corrected.",
        constraints={"enum": ["yes"]},
    ),
    _text(
        "other_sources",
        "Other sources for the same region and date, space-separated, each 'source_id=value' "
        "(its printed percentage, else 'field:count'); the figure in this row was chosen by "
        "the rule in the data guide (steward's choice, official publisher, more numbers, "
        "later publication).",
    ),
]

REGION_FIELDS: list[dict[str, Any]] = [
    _text(
        "code",
        "Kemendagri code: 73 for a province, 73.13 for a regency or city; ID for the whole "
        "country.",
        constraints={"required": True, "unique": True, "pattern": REGION_PATTERN},
    ),
    _text(
        "level",
        "nasional (the whole country), provinsi, kabupaten or kota.",
        constraints={"required": True, "enum": ["nasional", "provinsi", "kabupaten", "kota"]},
    ),
    _text("province_code", "The province of a regency or city; empty for a province."),
    _text("name", "Name in the Kemendagri list.", constraints={"required": True}),
]

SOURCE_FIELDS: list[dict[str, Any]] = [
    _text(
        "id",
        "The source's id, cited by each figure.",
        constraints={"required": True, "unique": True},
    ),
    _text("title", "Title of the article or document.", constraints={"required": True}),
    _text("publisher", "Who published it, when known."),
    _text("url", "Its address, when known.", format="uri"),
    _text(
        "published",
        "Publication date (YYYY-MM-DD, YYYY-MM or YYYY).",
        constraints={"pattern": DATE_PATTERN},
    ),
    _text("accessed", "When the portal read it.", constraints={"pattern": DATE_PATTERN}),
    _text("excerpt", "The passage the figures were read from.", constraints={"required": True}),
    _text(
        "excerpt_note",
        "Where the source prints figures its excerpt cannot quote (a table, an image).",
    ),
    _text("note", "A steward's note."),
]

RULE_FIELDS: list[dict[str, Any]] = [
    _text(
        "id",
        "The rule's id, cited by each figure's status.",
        constraints={"required": True, "unique": True},
    ),
    _text("name", "The rule's name.", constraints={"required": True}),
    _text(
        "tier",
        "uhc, or prioritas (UHC Prioritas).",
        constraints={"required": True, "enum": ["uhc", "prioritas"]},
    ),
    {
        "name": "valid_from",
        "type": "date",
        "description": "First day in force.",
        "constraints": {"required": True},
    },
    {"name": "valid_to", "type": "date", "description": "Last day in force; empty while in force."},
    {
        "name": "min_coverage_pct",
        "type": "number",
        "description": "Coverage threshold.",
        "unit": "percent",
        "constraints": {"required": True, "minimum": 0, "maximum": 100},
    },
    {
        "name": "coverage_strict",
        "type": "boolean",
        "description": "true: coverage must exceed the threshold; false: reach it.",
    },
    {
        "name": "min_active_pct",
        "type": "number",
        "description": "Active participants threshold, percent of participants.",
        "unit": "percent",
    },
    {
        "name": "active_strict",
        "type": "boolean",
        "description": "true: the active rate must exceed its threshold.",
    },
    _text("other_conditions", "Other conditions of the rule, in words."),
    _text("basis", "Where the rule comes from.", constraints={"required": True}),
]


@dataclass(frozen=True)
class Table:
    """A CSV download in data/: its name in the package, file, words and schema."""

    name: str
    file: str
    title: str
    description: str
    licence: str
    fields: list[dict[str, Any]]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    """(field, resource, field of that resource); an empty resource is the table itself."""


TABLES = (
    Table(
        "cakupan",
        "cakupan.csv",
        N_("Semua angka cakupan"),
        N_(
            "Setiap angka cakupan JKN di portal, satu baris per wilayah dan tanggal, urut kode "
            "wilayah lalu tanggal: angka yang dicetak sumber dan yang dihitung (kolom *_origin), "
            "yang hanya perkiraan (approximate_fields), status dengan aturan yang dipakai, dan "
            "sumbernya."
        ),
        FIGURES_LICENCE,
        FIGURE_FIELDS,
        ("region_code", "as_of"),
        (
            ("region_code", "wilayah", "code"),
            ("source_id", "sumber", "id"),
            ("rule_id", "aturan", "id"),
        ),
    ),
    Table(
        "wilayah",
        "wilayah.csv",
        N_("Daftar wilayah"),
        N_("Setiap provinsi dan kabupaten/kota dengan kode dan nama Kemendagri."),
        REGIONS_LICENCE,
        REGION_FIELDS,
        ("code",),
        (("province_code", "", "code"),),
    ),
    Table(
        "sumber",
        "sumber.csv",
        N_("Daftar sumber"),
        N_("Setiap sumber yang dikutip: judul, penerbit, alamat, tanggal dan kutipannya."),
        SOURCES_LICENCE,
        SOURCE_FIELDS,
        ("id",),
    ),
    Table(
        "aturan",
        "aturan.csv",
        N_("Aturan status UHC"),
        N_("Aturan yang dipakai menilai status tiap angka, dengan masa berlaku dan dasarnya."),
        RULES_LICENCE,
        RULE_FIELDS,
        ("id",),
    ),
)


def csv_bytes(header: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([downloads.neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def _iso(date: PartialDate | None) -> str:
    return date.iso if date else ""


def regions_csv(dataset: Dataset) -> bytes:
    """The country (ID, which national figures name), provinces, then regencies and cities,
    each in code order."""
    rows: list[list[str]] = [[NATIONAL, "nasional", "", NATIONAL_NAME]]
    rows += [[p.code, "provinsi", "", p.name] for _code, p in sorted(dataset.provinces.items())]
    rows += [
        [r.code, "kota" if r.is_city else "kabupaten", r.province_code, r.name]
        for _code, r in sorted(dataset.regencies.items())
    ]
    return csv_bytes([f["name"] for f in REGION_FIELDS], rows)


def sources_csv(dataset: Dataset) -> bytes:
    rows = [
        [
            s.id,
            s.title,
            s.publisher or "",
            s.url or "",
            _iso(s.published),
            _iso(s.accessed),
            s.excerpt,
            s.excerpt_note or "",
            s.note or "",
        ]
        for _id, s in sorted(dataset.sources.items())
    ]
    return csv_bytes([f["name"] for f in SOURCE_FIELDS], rows)


def rules_csv(dataset: Dataset) -> bytes:
    def flag(value: bool) -> str:
        return "true" if value else "false"

    rows = [
        [
            r.id,
            r.name,
            r.tier,
            r.valid_from.isoformat(),
            r.valid_to.isoformat() if r.valid_to else "",
            f"{r.min_coverage_pct:g}",
            flag(r.coverage_strict),
            f"{r.min_active_pct:g}" if r.min_active_pct is not None else "",
            flag(r.active_strict),
            r.other_conditions or "",
            r.basis,
        ]
        for r in dataset.rules
    ]
    return csv_bytes([f["name"] for f in RULE_FIELDS], rows)


def reference_tables(dataset: Dataset) -> dict[str, bytes]:
    """The small tables the figures point to, by file name in data/."""
    return {
        "wilayah.csv": regions_csv(dataset),
        "sumber.csv": sources_csv(dataset),
        "aturan.csv": rules_csv(dataset),
    }
