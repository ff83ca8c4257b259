"""The fast number and date filters print exactly what Babel prints, over wide ranges."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_decimal
from hypothesis import example, given
from hypothesis import strategies as st
from uhc_portal.filters import NBSP, angka, persen, tanggal
from uhc_portal.model import PartialDate

LOCALES = st.sampled_from(["id", "en", "de", "sv"])  # dots, commas and spaces as separators
# Babel itself stops at 28 significant digits (the default Decimal context's precision).
WHOLE = st.integers(min_value=-(10**27), max_value=10**27)
FINITE = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False)


def pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def half_way(digits: int, decimals: int) -> float:
    """A number that is exactly half way at `decimals` places once read as a decimal: 2.675."""
    return float(f"{digits / 10**decimals:.{decimals}f}5")


@given(WHOLE | FINITE, LOCALES)
@example(0, "id")
@example(-0.5, "id")
@example(2.5, "id")
@example(999_999_999, "id")
def test_angka_is_babel(amount, locale):
    expected = format_decimal(round(amount), format="#,##0", locale=locale)
    assert angka(amount, locale=locale) == expected


@given(FINITE | st.integers(-(10**20), 10**20), st.integers(0, 3), LOCALES)
@example(-0.0, 2, "id")
@example(-0.001, 2, "id")
@example(2.675, 2, "id")
@example(0.125, 2, "id")
@example(99.995, 2, "id")
@example(200.0, 0, "id")
def test_persen_is_babel(amount, decimals, locale):
    text = format_decimal(
        amount, format=pattern(decimals), locale=locale, decimal_quantization=True
    )
    assert persen(amount, decimals, locale=locale) == f"{text}{NBSP}%"


@given(st.integers(-(10**6), 10**6), st.integers(0, 3), st.booleans(), LOCALES)
def test_persen_rounds_half_cases_like_babel(digits, decimals, negative, locale):
    amount = -half_way(digits, decimals) if negative else half_way(digits, decimals)
    text = format_decimal(
        amount, format=pattern(decimals), locale=locale, decimal_quantization=True
    )
    assert persen(amount, decimals, locale=locale) == f"{text}{NBSP}%"


@given(st.dates(), LOCALES)
def test_tanggal_is_babel(day, locale):
    assert tanggal(day, locale=locale) == format_date(day, format="d MMMM y", locale=locale)
    partial = PartialDate(day.year, day.month, day.day)
    assert tanggal(partial, locale=locale) == format_date(day, format="d MMMM y", locale=locale)


def test_every_month_is_named_as_babel_names_it():
    for month in range(1, 13):
        day = dt.date(2020, month, 1)
        assert tanggal(PartialDate(2020, month)) == format_date(day, format="MMMM y", locale="id")
