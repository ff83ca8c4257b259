"""Which rule applies on a date, the verdict, the people needed, and commitment outcomes."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import REAL_TODAY, ROOT, TODAY
from uhc_portal.dataset import load_dataset
from uhc_portal.model import Commitment, Forum, PartialDate, Snapshot, Value
from uhc_portal.status import assess, judge_commitment, rule_in_force


@pytest.fixture(scope="module")
def rules():
    return load_dataset(ROOT / "data", REAL_TODAY).rules


def snapshot(
    as_of: PartialDate,
    pct: float,
    population: float | None = None,
    participants: float | None = None,
    active: float | None = None,
) -> Snapshot:
    def v(x):
        return Value(x, "printed") if x is not None else Value(None)

    return Snapshot(
        "73.13", as_of, v(population), v(participants), v(active), v(pct), Value(None), "s", "f", 1
    )


@pytest.mark.parametrize(
    ("day", "threshold"),
    [(dt.date(2018, 6, 30), 95), (dt.date(2024, 12, 31), 95), (dt.date(2025, 1, 1), 98)],
)
def test_rule_in_force_follows_the_dates_in_rules_yaml(rules, day, threshold):
    assert rule_in_force(rules, day).min_coverage_pct == threshold


def test_no_rule_before_2014(rules):
    assert assess(snapshot(PartialDate(2013), 50), rules).verdict == "no-rule"


def test_wajo_needs_46031_people(rules):
    a = assess(snapshot(PartialDate(2020, 9), 82.77, 376386, 311536), rules)
    assert a.verdict == "below" and a.rule.id == "uhc-95"
    assert a.people_needed.amount == 46031


def test_a_year_figure_is_judged_at_the_end_of_that_year(rules):
    assert assess(snapshot(PartialDate(2024), 96), rules).verdict == "meets"
    assert assess(snapshot(PartialDate(2025, 1), 96), rules).verdict == "below"


def test_threshold_is_inclusive_for_at_least(rules):
    assert assess(snapshot(PartialDate(2020), 95.0), rules).verdict == "meets"


def test_priority_needs_active_counts(rules):
    no_active = assess(snapshot(PartialDate(2025, 6), 99, 1000, 990), rules)
    assert no_active.priority_verdict == "unknown"
    active = assess(snapshot(PartialDate(2025, 6), 99, 1000, 990, 800), rules)
    assert active.priority_verdict == "meets"  # 800 / 990 = 80.8 % of participants, > 80 %
    assert active.snapshot.active_pct_of_participants == pytest.approx(80.808, abs=1e-3)
    low = assess(snapshot(PartialDate(2025, 6), 99, 1000, 990, 792), rules)
    assert low.priority_verdict == "below"  # exactly 80 %: the 2025 rule wants more than 80 %


def forum(date: PartialDate) -> Forum:
    return Forum("f", date, "event", ("73.13",), "t", "rapat", "", (), (), (), ("s",), "f.yaml")


@pytest.mark.parametrize(
    ("figures", "outcome"),
    [
        ([], "open"),
        ([(PartialDate(2021, 6), 96)], "met"),
        ([(PartialDate(2022, 1), 96)], "met-late"),
        ([(PartialDate(2022, 1), 90)], "missed"),
        ([(PartialDate(2019, 1), 99)], "open"),  # before the forum: not progress on the commitment
    ],
)
def test_commitment_outcome_is_judged_from_data_only(rules, figures, outcome):
    commitment = Commitment("73.13", None, PartialDate(2021), "Sekda")
    snapshots = tuple(snapshot(d, p) for d, p in figures)
    result = judge_commitment(commitment, forum(PartialDate(2020, 10, 26)), snapshots, rules)
    assert result.outcome == outcome
    assert result.target_pct == 95


def test_people_needed_from_a_rounded_percent_carries_its_bounds(rules, seed_dir):
    """Lubuk Linggau, 158,704 at "70 %": a population of 225,112–228,351, so 95 % of it is
    213,857–216,934 people, 55,153–58,230 more than enrolled."""
    linggau = load_dataset(seed_dir, TODAY).snapshots_by_region["16.73"][-1]
    needed = assess(linggau, rules).people_needed
    assert needed.approximate and (needed.lower, needed.upper) == (55153, 58230)
    assert needed.lower <= needed.amount <= needed.upper
