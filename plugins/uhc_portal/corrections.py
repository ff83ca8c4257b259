"""data/corrections.yaml: every published figure that was later changed or withdrawn, said in
public. Read and checked like the other files, and against the coverage files: a correction's
`now` must be what the data prints today, and a withdrawn figure must be gone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Set
from pathlib import Path
from typing import Any

from .coverage import COUNT_FIELDS, HEADER
from .errors import DataError, error
from .figures import FigureStore
from .loading import key_line, read_yaml
from .model import Correction, FigureValues, PartialDate
from .schema import Fields, Problem, parse_code, parse_count, parse_date, parse_percent, parse_text

ENTRY_FIELDS = ("region", "as_of", "was", "now", "withdrawn", "date", "reason", "source")
VALUE_FIELDS = tuple(HEADER[2:])  # a coverage row's values and its source, as in the CSV
COUNTS = COUNT_FIELDS


def read_corrections(
    path: Path,
    root: Path,
    today: dt.date,
    codes: Set[str],
    source_ids: Set[str],
    errors: list[DataError],
) -> tuple[Correction, ...]:
    """The valid corrections in the file's order, each checked on its own (see
    `checked_corrections` for the check against the coverage files)."""
    if not path.is_file():
        return ()
    data, problems, name = read_yaml(path, root)
    errors += problems
    if data is None:  # an empty file, comments only, or unreadable (then reported)
        return ()
    if not isinstance(data, dict):
        errors.append(
            error(
                name, 1, "", type(data).__name__, "a mapping 'corrections: [...]'", "not-a-mapping"
            )
        )
        return ()
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    top = Fields(data, name, 1, errors, ("corrections",), lines)
    found: list[Correction] = []
    seen: dict[tuple[str, str, str], int] = {}
    for index, (entry, line) in enumerate(top.items("corrections")):
        correction = read_entry(entry, line, index, name, lines, today, codes, source_ids, errors)
        if correction is None:
            continue
        key = (correction.region_code, correction.as_of.iso, correction.date.iso)
        if key in seen:
            errors.append(
                error(
                    name,
                    line,
                    f"corrections[{index}].date",
                    correction.date.iso,
                    f"one correction per figure and day; {key[0]} {key[1]} corrected on "
                    f"{key[2]} is already at line {seen[key]}",
                    "duplicate-correction",
                )
            )
            continue
        seen[key] = line
        found.append(correction)
    return tuple(found)


def checked_corrections(
    found: tuple[Correction, ...], figures: FigureStore | None, errors: list[DataError]
) -> tuple[Correction, ...]:
    """The corrections newest first, checked against `figures` (None when the coverage files
    had errors)."""
    if figures is not None:
        check_against_data(found, figures, errors)
    return tuple(
        sorted(
            found,
            key=lambda c: (c.date.sort_key(), c.region_code, c.as_of.sort_key()),
            reverse=True,
        )
    )


def read_entry(
    entry: Any,
    line: int,
    index: int,
    name: str,
    lines: list[str],
    today: dt.date,
    codes: Set[str],
    source_ids: Set[str],
    errors: list[DataError],
) -> Correction | None:
    where = f"corrections[{index}]."
    before = len(errors)
    f = Fields(entry, name, line, errors, ENTRY_FIELDS, lines, where)
    region = f.get("region", parse_code)
    if region is not None and region not in codes:
        f.report(
            "region", region, "a code listed in regencies.csv or provinces.csv", "unknown-region"
        )
    as_of = f.get("as_of", parse_date, True, today)
    was = read_values(f, "was", name, lines, errors, required=True)
    now = read_values(f, "now", name, lines, errors, required=False)
    withdrawn = f.get("withdrawn", parse_yes, False)
    has_now = f.ok and "now" in entry
    if f.ok and not has_now and not withdrawn:
        f.report(
            "now",
            "",
            "the figure's values now ('now: {…}'), or 'withdrawn: true' when it was removed",
            "missing-field",
        )
    elif has_now and withdrawn:
        f.report("withdrawn", "true", "either 'now' or 'withdrawn: true', not both", "bad-choice")
    date = f.get("date", parse_date, True, today)
    reason = f.get("reason", parse_text)
    source = f.get("source", parse_text)
    if source is not None and source not in source_ids:
        f.report("source", source, "an id defined in data/sources.yaml", "unknown-source")
    if now is not None and now.source_id not in source_ids:
        errors.append(
            error(
                name,
                key_line(entry.get("now"), "source", f.line_of("now")),
                where + "now.source",
                now.source_id,
                "an id defined in data/sources.yaml",
                "unknown-source",
            )
        )
    if len(errors) > before or None in (region, as_of, was, date, reason, source):
        return None
    return Correction(region, as_of, was, now, date, reason, source, name, line)


def parse_yes(value: Any) -> bool:
    if value is True:
        return True
    raise Problem("'true' (or leave the field out)", "bad-choice")


def read_values(
    f: Fields, key: str, name: str, lines: list[str], errors: list[DataError], required: bool
) -> FigureValues | None:
    """`was:` or `now:`: the numbers as the coverage row printed them, and its source."""
    if not f.ok or key not in f.mapping:
        if required and f.ok:
            f.report(key, "", f"the field '{key}' is required", "missing-field")
        return None
    v = Fields(
        f.mapping[key], name, f.line_of(key), errors, VALUE_FIELDS, lines, f"{f.where}{key}."
    )
    if not v.ok:
        return None
    before = len(errors)
    counts = {field: v.get(field, count_value, False) for field in COUNTS}
    pct = v.get("coverage_pct", lambda value: percent_value(value, v.raw("coverage_pct")), False)
    source = v.get("source", parse_text)
    if len(errors) > before or source is None:
        return None
    if pct is None and all(n is None for n in counts.values()):
        f.report(
            key,
            "",
            "at least one number (population, participants, active_participants, "
            "coverage_pct or not_enrolled)",
            "no-figures",
        )
        return None
    return FigureValues(
        counts["population"],
        counts["participants"],
        counts["active_participants"],
        pct[0] if pct else None,
        pct[1] if pct else 2,
        counts["not_enrolled"],
        source,
    )


def count_value(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise Problem("a whole number of people, digits only (e.g. 311536)", "not-whole-number")
    return parse_count(str(value))


def percent_value(value: Any, raw: str) -> tuple[float, int]:
    """As typed (82.80 keeps its two decimals), or as YAML read it."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise Problem("a percentage such as 82.77", "not-a-percent")
    return parse_percent(raw.strip("\"'") or str(value))


def check_against_data(
    corrections: Iterable[Correction], figures: FigureStore, errors: list[DataError]
) -> None:
    """The newest correction of each figure must describe the data as it is now."""
    newest: dict[tuple[str, PartialDate], Correction] = {}
    for c in corrections:
        key = (c.region_code, c.as_of)
        if key not in newest or c.date.sort_key() >= newest[key].date.sort_key():
            newest[key] = c
    for (code, as_of), c in sorted(newest.items(), key=lambda item: item[1].line):
        figure = next((f for f in figures.figures(code) if f.as_of == as_of), None)
        if c.now is None and figure is not None:
            errors.append(
                error(
                    c.file,
                    c.line,
                    "withdrawn",
                    "true",
                    f"the figure {code} {as_of.iso} to be gone from the coverage files; it is "
                    f"still at {figure.file}:{figure.line} (remove the row, or write 'now:')",
                    "correction-mismatch",
                )
            )
        elif c.now is not None and figure is None:
            errors.append(
                error(
                    c.file,
                    c.line,
                    "now",
                    flow(c.now),
                    f"a figure {code} {as_of.iso} in the coverage files (none found); "
                    "for a removed figure write 'withdrawn: true'",
                    "correction-mismatch",
                )
            )
        elif c.now is not None and figure is not None and figure.values != c.now:
            errors.append(
                error(
                    c.file,
                    c.line,
                    "now",
                    flow(c.now),
                    f"what {figure.file}:{figure.line} prints: {flow(figure.values)}",
                    "correction-mismatch",
                )
            )


def flow(values: FigureValues) -> str:
    """The values as a YAML flow mapping, in the coverage files' column order and as typed."""
    parts = []
    for field in COUNTS[:3]:
        amount = getattr(values, field)
        if amount is not None:
            parts.append(f"{field}: {amount}")
    if values.coverage_pct is not None:
        parts.append(f"coverage_pct: {values.coverage_pct:.{values.pct_decimals}f}")
    if values.not_enrolled is not None:
        parts.append(f"not_enrolled: {values.not_enrolled}")
    parts.append(f"source: {values.source_id}")
    return "{" + ", ".join(parts) + "}"
