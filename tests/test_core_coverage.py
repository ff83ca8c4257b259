"""Derivation and consistency checks of one coverage row (coverage.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from uhc_portal.coverage import HEADER, snapshot_from_row
from uhc_portal.loading import Row

TODAY = dt.date(2026, 11, 23)


def row(**cells: str) -> Row:
    values = dict.fromkeys(HEADER, "")
    values.update(region_code="73.13", as_of="2020-09", source="s")
    values.update(cells)
    return Row("data/coverage/t.csv", 7, values)


def snap(**cells: str):
    snapshot, errors = snapshot_from_row(row(**cells), TODAY, {"73.13"}, {"s"})
    assert errors == []
    return snapshot


def errors_of(**cells: str) -> list[tuple[str, str]]:
    snapshot, errors = snapshot_from_row(row(**cells), TODAY, {"73.13"}, {"s"})
    assert snapshot is None
    return [(e.field, e.kind) for e in errors]


def test_wajo_printed_numbers_are_kept_and_not_enrolled_derived():
    s = snap(population="376386", participants="311536", coverage_pct="82.77")
    assert (s.population.amount, s.population.origin) == (376386, "printed")
    assert (s.coverage_pct.amount, s.pct_decimals) == (82.77, 2)
    assert (s.not_enrolled.amount, s.not_enrolled.origin) == (64850, "derived")
    assert not s.not_enrolled.approximate


def test_population_from_participants_and_rounded_percent_is_approximate():
    s = snap(participants="158704", coverage_pct="70")
    assert s.population.amount == 226720
    assert s.population.origin == "derived" and s.population.approximate
    assert s.pct_decimals == 0


def test_a_number_from_a_rounded_percent_carries_the_bounds_the_rounding_allows():
    """70 % stands for 69.5–70.5 %: 158,704 participants are 158704/0.705 to 158704/0.695."""
    s = snap(participants="158704", coverage_pct="70")
    assert (s.population.lower, s.population.upper) == (225112, 228351)
    assert (s.not_enrolled.lower, s.not_enrolled.upper) == (225112 - 158704, 228351 - 158704)
    assert s.participants.lower is None and not s.participants.approximate
    people = snap(population="201227", coverage_pct="98.93")
    assert (people.participants.lower, people.participants.upper) == (199064, 199084)
    assert (people.not_enrolled.lower, people.not_enrolled.upper) == (2143, 2163)
    exact = snap(population="201227", coverage_pct="98.93", not_enrolled="2149")
    assert exact.participants.lower is None and exact.participants.upper is None


def test_participants_from_population_and_not_enrolled_is_exact():
    s = snap(population="201227", coverage_pct="98.93", not_enrolled="2149")
    assert (s.participants.amount, s.participants.approximate) == (199078, False)


def test_percent_derived_from_counts():
    s = snap(population="1000", participants="950")
    assert (s.coverage_pct.amount, s.coverage_pct.origin) == (95.0, "derived")


def test_coverage_above_100_is_kept_not_capped():
    s = snap(population="1000", participants="1018", coverage_pct="101.80")
    assert s.coverage_pct.amount == 101.80 and s.over_100
    assert s.not_enrolled.amount == 0


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"population": "376386", "participants": "311536", "coverage_pct": "82.78"},
            [("coverage_pct", "inconsistent-figures")],
        ),
        (
            {"population": "100", "participants": "90", "not_enrolled": "11"},
            [("not_enrolled", "inconsistent-figures")],
        ),
        (
            {"participants": "90", "active_participants": "91"},
            [("active_participants", "inconsistent-figures")],
        ),
        ({"population": "0", "participants": "0"}, [("population", "zero-population")]),
        ({"population": "376.386"}, [("population", "not-whole-number")]),
        ({"population": "376,386"}, [("population", "not-whole-number")]),
        ({"population": "12.5"}, [("population", "not-whole-number")]),
        ({"coverage_pct": "82,77"}, [("coverage_pct", "decimal-comma")]),
        ({"coverage_pct": "82.77%"}, [("coverage_pct", "not-a-percent")]),
        ({"coverage_pct": "-1"}, [("coverage_pct", "negative-percent")]),
        ({"coverage_pct": "250"}, [("coverage_pct", "percent-out-of-range")]),
        ({"as_of": "2020-02-30", "population": "5"}, [("as_of", "bad-date")]),
        ({"as_of": "30/09/2020", "population": "5"}, [("as_of", "bad-date")]),
        ({"as_of": "2027", "population": "5"}, [("as_of", "future-date")]),
        ({"region_code": "7313", "population": "5"}, [("region_code", "bad-code")]),
    ],
)
def test_bad_rows_are_refused_with_the_field_named(cells, expected):
    assert errors_of(**cells) == expected


def test_percent_within_rounding_of_printed_decimals_is_accepted():
    # 311536 / 376386 = 82.7703 %: printed "82.8" (1 decimal) and "83" (0 decimals) both agree.
    assert snap(population="376386", participants="311536", coverage_pct="82.8")
    assert snap(population="376386", participants="311536", coverage_pct="83")
    assert errors_of(population="376386", participants="311536", coverage_pct="82") == [
        ("coverage_pct", "inconsistent-figures")
    ]
