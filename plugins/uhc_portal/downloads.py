"""Downloads of exactly what a page shows: CSV for spreadsheets, JSON for programs."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any, BinaryIO

from .model import Dataset, Snapshot, Value
from .status import Assessment

BOUNDED = ("population", "participants", "coverage_pct", "not_enrolled")
"""The fields that can be derived from a rounded percentage, so carry bounds when they are."""
COLUMNS = [
    "region_code",
    "region_name",
    "as_of",
    "population",
    "population_origin",
    "participants",
    "participants_origin",
    "active_participants",
    "active_participants_origin",
    "coverage_pct",
    "coverage_pct_origin",
    "not_enrolled",
    "not_enrolled_origin",
    "approximate_fields",
    *(f"{name}_{end}" for name in BOUNDED for end in ("lower", "upper")),
    "status",
    "rule_id",
    "rule_min_coverage_pct",
    "people_needed",
    "people_needed_lower",
    "people_needed_upper",
    "source_id",
    "source_title",
    "source_publisher",
    "source_url",
    "active_pct",
    "as_printed",
    "other_sources",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: Any) -> Any:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def number(value: Value) -> float | int | str:
    if value.amount is None:
        return ""
    if float(value.amount).is_integer() and value.derived_from != "participants ÷ population":
        return int(value.amount)
    return round(value.amount, 4)


def bounds(value: Value) -> tuple[float | int | str, float | int | str]:
    """The least and the most an approximate value can be (empty when exact; an empty upper
    bound beside a lower one: no upper bound)."""
    if not value.approximate:
        return "", ""
    return bound(value.lower), bound(value.upper)


def bound(amount: float | None) -> float | int | str:
    if amount is None:
        return ""
    return int(amount) if float(amount).is_integer() else round(amount, 4)


def record(assessment: Assessment, dataset: Dataset) -> dict[str, Any]:
    """A figure's row, its fields in COLUMNS order."""
    s = assessment.snapshot
    source = dataset.sources[s.source_id]
    rule = assessment.rule
    population, participants, active = s.population, s.participants, s.active_participants
    coverage, not_enrolled = s.coverage_pct, s.not_enrolled
    approximate = [
        name
        for name, value in (
            ("population", population),
            ("participants", participants),
            ("active_participants", active),
            ("coverage_pct", coverage),
            ("not_enrolled", not_enrolled),
        )
        if value.approximate
    ]
    population_lower, population_upper = bounds(population)
    participants_lower, participants_upper = bounds(participants)
    coverage_lower, coverage_upper = bounds(coverage)
    not_enrolled_lower, not_enrolled_upper = bounds(not_enrolled)
    needed = assessment.people_needed
    needed_lower, needed_upper = bounds(needed)
    return {
        "region_code": s.region_code,
        "region_name": dataset.region_name(s.region_code),
        "as_of": s.as_of.iso,
        "population": number(population),
        "population_origin": population.origin or "",
        "participants": number(participants),
        "participants_origin": participants.origin or "",
        "active_participants": number(active),
        "active_participants_origin": active.origin or "",
        "coverage_pct": f"{coverage.amount:.{s.pct_decimals}f}"
        if coverage.origin == "printed"
        else number(coverage),
        "coverage_pct_origin": coverage.origin or "",
        "not_enrolled": number(not_enrolled),
        "not_enrolled_origin": not_enrolled.origin or "",
        "approximate_fields": " ".join(approximate),
        "population_lower": population_lower,
        "population_upper": population_upper,
        "participants_lower": participants_lower,
        "participants_upper": participants_upper,
        "coverage_pct_lower": coverage_lower,
        "coverage_pct_upper": coverage_upper,
        "not_enrolled_lower": not_enrolled_lower,
        "not_enrolled_upper": not_enrolled_upper,
        "status": assessment.verdict,
        "rule_id": rule.id if rule else "",
        "rule_min_coverage_pct": f"{rule.min_coverage_pct:g}" if rule else "",
        "people_needed": number(needed),
        "people_needed_lower": needed_lower,
        "people_needed_upper": needed_upper,
        "source_id": source.id,
        "source_title": source.title,
        "source_publisher": source.publisher or "",
        "source_url": source.url or "",
        "active_pct": f"{s.active_pct.amount:.{s.active_decimals}f}" if s.active_pct.known else "",
        "as_printed": "yes" if s.as_printed else "",
        "other_sources": " ".join(other_words(o) for o in s.others),
    }


def other_words(o: Snapshot) -> str:
    """Another source's figure for the same region and date: 'id=85.40' (its %), else
    'id=participants:311536', 'id=population:…' or 'id=active_pct:…', as printed."""
    if o.coverage_pct.origin == "printed":
        return f"{o.source_id}={o.coverage_pct.amount:.{o.pct_decimals}f}"
    for name in ("participants", "population", "active_participants", "not_enrolled"):
        value = getattr(o, name)
        if value.origin == "printed":
            return f"{o.source_id}={name}:{int(value.amount)}"
    if o.active_pct.known:
        return f"{o.source_id}=active_pct:{o.active_pct.amount:.{o.active_decimals}f}"
    return o.source_id


def no_data_record(code: str, dataset: Dataset) -> dict[str, Any]:
    """A region listed on a page without any figure: in the download too, so rows match."""
    return {"region_code": code, "region_name": dataset.region_name(code), "status": "no-data"}


def csv_rows(rows: list[dict[str, Any]], header: bool = True) -> str:
    """CSV text of records (see `record`) in COLUMNS order, formula-like text neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(COLUMNS)
    writer.writerows([neutralise(row.get(column, "")) for column in COLUMNS] for row in rows)
    return buffer.getvalue()


def to_csv(assessments: list[Assessment | str], dataset: Dataset) -> bytes:
    """One row per assessment; a bare region code stands for a region without data."""
    rows = [
        no_data_record(item, dataset) if isinstance(item, str) else record(item, dataset)
        for item in assessments
    ]
    return csv_rows(rows).encode("utf-8")


# One record at a time, with json.dumps(indent=1)'s line breaks as the C encoder's separators:
# the bytes of json.dumps(rows, ensure_ascii=False, indent=1) + "\n" without holding every row
# as a dict and the whole text three times (600 MB at the peak for the national synthetic set).
_RECORD = json.JSONEncoder(ensure_ascii=False, separators=(",\n  ", ": "))


class JsonArray:
    """A JSON array written to a binary file record by record, as json.dumps(indent=1) would."""

    def __init__(self, out: BinaryIO):
        self.out = out
        self.separator = "\n "
        out.write(b"[")

    def write(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            inner = _RECORD.encode(row)[1:-1]
            body = f"{{\n  {inner}\n }}" if inner else "{}"
            self.out.write(f"{self.separator}{body}".encode())
            self.separator = ",\n "

    def close(self) -> None:
        self.out.write(b"]\n" if self.separator == "\n " else b"\n]\n")


def link_shared(shared: Path | None, folder: Path, names: list[str]) -> bool:
    """Hard-link (else copy) each named file from `shared` into `folder`, when `shared` has
    them all: the language-free downloads, written once per build and linked into the other
    languages' folders. False, with nothing made, when any is missing (then they are written)."""
    if shared is None or not all((shared / name).is_file() for name in names):
        return False
    for name in names:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        try:
            os.link(shared / name, target)
        except OSError:
            shutil.copyfile(shared / name, target)
    return True
