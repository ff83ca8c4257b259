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
from .i18n import M_
from .model import Correction, FigureValues, PartialDate
from .schema import Fields, Problem, parse_code, parse_count, parse_date, parse_percent, parse_text
from .yamlfile import key_line, read_yaml

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
                name,
                1,
                "",
                type(data).__name__,
                M_("pasangan 'corrections: [...]'"),
                "not-a-mapping",
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
                    M_(
                        "satu koreksi per angka dan hari; %(c)s %(d)s yang dikoreksi pada %(k)s "
                        "sudah ada di baris %(l)s"
                    )
                    % {"c": key[0], "d": key[1], "k": key[2], "l": seen[key]},
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
            "region",
            region,
            M_("kode yang tercantum di regencies.csv atau provinces.csv"),
            "unknown-region",
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
            M_(
                "nilai angka itu sekarang ('now: {…}'), "
                "atau 'withdrawn: true' bila angkanya dihapus"
            ),
            "missing-field",
        )
    elif has_now and withdrawn:
        f.report(
            "withdrawn",
            "true",
            M_("'now' atau 'withdrawn: true', bukan keduanya"),
            "bad-choice",
        )
    date = f.get("date", parse_date, True, today)
    reason = f.get("reason", parse_text)
    source = f.get("source", parse_text)
    if source is not None and source not in source_ids:
        f.report(
            "source", source, M_("id yang didefinisikan di data/sources.yaml"), "unknown-source"
        )
    if now is not None and now.source_id not in source_ids:
        errors.append(
            error(
                name,
                key_line(entry.get("now"), "source", f.line_of("now")),
                where + "now.source",
                now.source_id,
                M_("id yang didefinisikan di data/sources.yaml"),
                "unknown-source",
            )
        )
    if len(errors) > before or None in (region, as_of, was, date, reason, source):
        return None
    return Correction(region, as_of, was, now, date, reason, source, name, line)


def parse_yes(value: Any) -> bool:
    if value is True:
        return True
    raise Problem(M_("'true' (atau hapus kolom ini)"), "bad-choice")


def read_values(
    f: Fields, key: str, name: str, lines: list[str], errors: list[DataError], required: bool
) -> FigureValues | None:
    """`was:` or `now:`: the numbers as the coverage row printed them, and its source."""
    if not f.ok or key not in f.mapping:
        if required and f.ok:
            f.report(key, "", M_("kolom '%(f)s' wajib diisi") % {"f": key}, "missing-field")
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
            M_(
                "paling sedikit satu bilangan (population, participants, active_participants, "
                "coverage_pct atau not_enrolled)"
            ),
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
        raise Problem(
            M_("jumlah orang sebagai bilangan bulat, angka saja (mis. 311536)"), "not-whole-number"
        )
    return parse_count(str(value))


def percent_value(value: Any, raw: str) -> tuple[float, int]:
    """As typed (82.80 keeps its two decimals), or as YAML read it."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise Problem(M_("persentase seperti 82.77"), "not-a-percent")
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
                    M_(
                        "angka %(c)s %(d)s sudah tidak ada di berkas cakupan; angka itu masih di "
                        "%(w)s (hapus barisnya, atau tulis 'now:')"
                    )
                    % {"c": code, "d": as_of.iso, "w": f"{figure.file}:{figure.line}"},
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
                    M_(
                        "angka %(c)s %(d)s di berkas cakupan (tidak ditemukan); untuk angka yang "
                        "dihapus tulis 'withdrawn: true'"
                    )
                    % {"c": code, "d": as_of.iso},
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
                    M_("yang dicetak %(w)s: %(v)s")
                    % {"w": f"{figure.file}:{figure.line}", "v": flow(figure.values)},
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
