"""data/rules.yaml: the status rules (when a region counts as UHC, or as a priority), each in
force for a period, and the national targets."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

from .datafile import require_file, yaml_mapping
from .errors import DataError, error
from .i18n import M_
from .model import NationalTarget, StatusRule
from .schema import Fields, Problem, parse_date, parse_number, parse_text
from .yamlfile import key_line

RULE_FIELDS = (
    "id",
    "name",
    "tier",
    "valid_from",
    "valid_to",
    "min_coverage_pct",
    "coverage_comparison",
    "min_active_pct",
    "active_comparison",
    "other_conditions",
    "basis",
)


def parse_comparison(value: Any) -> bool:
    if value in (">", ">="):
        return value == ">"
    raise Problem(M_("'>=' (paling sedikit) atau '>' (lebih dari)"), "bad-comparison")


def parse_tier(value: Any) -> str:
    if value in ("uhc", "prioritas"):
        return value
    raise Problem(M_("'uhc' atau 'prioritas'"), "bad-tier")


def load_rules(
    path: Path, root: Path, errors: list[DataError]
) -> tuple[list[StatusRule], list[NationalTarget]]:
    if not require_file(path, root, errors):
        return [], []
    data, name, lines = yaml_mapping(path, root, errors)
    if data is None:
        return [], []
    top = Fields(data, name, 1, errors, ("status_rules", "national_targets"), lines)
    far_past = dt.date(9999, 12, 31)
    rules: list[StatusRule] = []
    for index, (entry, line) in enumerate(top.items("status_rules", True)):
        f = Fields(entry, name, line, errors, RULE_FIELDS, lines, f"status_rules[{index}].")
        v = {k: f.get(k, parse_text) for k in ("id", "name", "basis")}
        tier = f.get("tier", parse_tier)
        start = f.get("valid_from", parse_date, True, far_past)
        end = f.get("valid_to", parse_date, False, far_past)
        minimum = f.get("min_coverage_pct", parse_number)
        strict = f.get("coverage_comparison", parse_comparison)
        active = f.get("min_active_pct", parse_number, False)
        active_strict = f.get("active_comparison", parse_comparison, False) or False
        other = f.get("other_conditions", parse_text, False)
        if f.ok and None not in (*v.values(), tier, start, minimum, strict):
            rules.append(
                StatusRule(
                    v["id"],
                    v["name"],
                    tier,
                    start.start,
                    end.end if end else None,
                    minimum,
                    strict,
                    active,
                    active_strict,
                    other,
                    v["basis"],
                )
            )
    check_rule_periods(rules, name, data, errors)
    targets: list[NationalTarget] = []
    for index, (entry, line) in enumerate(top.items("national_targets")):
        f = Fields(
            entry, name, line, errors, ("pct", "by", "basis"), lines, f"national_targets[{index}]."
        )
        pct, by, basis = (
            f.get("pct", parse_number),
            f.get("by", parse_date, True, far_past),
            f.get("basis", parse_text),
        )
        if None not in (pct, by, basis):
            targets.append(NationalTarget(pct, by, basis))
    return rules, targets


def check_rule_periods(
    rules: list[StatusRule], name: str, data: Any, errors: list[DataError]
) -> None:
    """Two rules of one tier in force on the same day would make a status ambiguous."""
    line = key_line(data, "status_rules")
    for tier in ("uhc", "prioritas"):
        ordered = sorted((r for r in rules if r.tier == tier), key=lambda r: r.valid_from)
        for earlier, later in itertools.pairwise(ordered):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                errors.append(
                    error(
                        name,
                        line,
                        "valid_to",
                        earlier.id,
                        M_("aturan '%(a)s' berakhir sebelum '%(b)s' mulai (%(d)s)")
                        % {"a": earlier.id, "b": later.id, "d": later.valid_from.isoformat()},
                        "overlapping-rules",
                    )
                )
