"""Jinja filters for numbers and dates in the active language: 311.536 · 82,77 % · 30 September
2020 in Indonesian, 311,536 · 82.77 % · 30 September 2020 in English (or in `locale` if given).

Babel is the source of truth: the separators and month names come from its locale data, and
tests/test_formats.py checks that these filters print exactly what `babel.numbers.format_decimal`
and `babel.dates.format_date` print. Only the arithmetic is done here, with format specs and
Decimal: a region page formats about 700 figures, and Babel parsing its locale and pattern
again for each of them was a quarter of the time a build spent on region pages.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from decimal import Decimal

from babel.dates import get_month_names
from babel.numbers import get_decimal_symbol, get_group_symbol

from .i18n import _, language
from .model import PartialDate, Value

NBSP = "\u00a0"
LOCALE = None  # a filter's default locale: None is the active language (i18n.activate)


def separators(locale: str | None = None) -> dict[int, str]:
    """Python's ',' and '.' turned into the locale's group and decimal symbols, in one pass."""
    return locale_separators(locale or language())


@functools.cache
def locale_separators(locale: str) -> dict[int, str]:
    return str.maketrans({",": get_group_symbol(locale), ".": get_decimal_symbol(locale)})


def month_names(locale: str | None = None) -> dict[int, str]:
    """Wide month names in the 'format' context, as in Babel's 'MMMM'."""
    return locale_month_names(locale or language(), "wide")


@functools.cache
def locale_month_names(locale: str, width: str) -> dict[int, str]:
    return dict(get_month_names(width, locale=locale))


def angka(value: Value | float | int | None, locale: str | None = None) -> str:
    """A whole count with thousands dots; '≈' marks a number derived from a rounded percentage,
    shown only to the precision its bounds allow (never '≈ 226.720' for 225.112–228.351)."""
    amount, approximate = unpack(value)
    if amount is None:
        return "–"
    if isinstance(value, Value) and value.bounded:
        return f"≈{NBSP}{kira(value, locale)}"
    text = f"{round(amount):,}".translate(separators(locale))  # Babel's '#,##0'
    return f"≈{NBSP}{text}" if approximate else text


def precision(lower: float, upper: float) -> int:
    """The power of ten a number between `lower` and `upper` can honestly be rounded to: that
    of the width of the range (225.112–228.351 is 3.239 wide: thousands)."""
    width = upper - lower
    return max(0, math.floor(math.log10(width))) if width >= 1 else 0


def kira(value: Value, locale: str | None = None) -> str:
    """The middle of a bounded value at the precision of its range, without '≈': '227 ribu',
    '1,2 juta', '2.150'."""
    assert value.lower is not None and value.upper is not None
    power = precision(value.lower, value.upper)
    middle = round((value.lower + value.upper) / 2 / 10**power) * 10**power
    if middle >= 1_000_000 and power >= 3:
        millions = Decimal(middle).scaleb(-6).quantize(quantum(max(0, 6 - power)))
        return _("%(n)s juta") % {"n": f"{millions:,f}".translate(separators(locale))}
    if middle >= 1000 and power >= 3:
        return _("%(n)s ribu") % {"n": f"{middle // 1000:,}".translate(separators(locale))}
    return f"{middle:,}".translate(separators(locale))


def rentang(value: Value, locale: str | None = None) -> str:
    """A bounded value's range: '225.112–228.351'."""
    return f"{angka(value.lower, locale)}–{angka(value.upper, locale)}"


def poin(value: float, decimals: int = 2, locale: str | None = None) -> str:
    """A difference of two percentages, in percentage points: '12,23 poin'."""
    return _("%(n)s poin") % {"n": selisih(value, decimals, locale)}


def selisih(value: float, decimals: int = 2, locale: str | None = None) -> str:
    """A difference of two percentages as a bare number at the figure's decimals, without
    '%' (its unit is the point): 95 − 69,6 → '25,4', never '25,40 %'."""
    return f"{rounded(value, max(decimals, 0)):,f}".translate(separators(locale))


def persen(value: Value | float | None, decimals: int = 2, locale: str | None = None) -> str:
    """A percentage with a decimal comma, as many decimals as the source printed."""
    amount, approximate = unpack(value)
    if amount is None:
        return "–"
    text = f"{rounded(amount, max(decimals, 0)):,f}".translate(separators(locale))
    return (f"≈{NBSP}" if approximate else "") + f"{text}{NBSP}%"


def rounded(amount: float | int, places: int) -> Decimal:
    """Babel's rounding: the shortest decimal that reads back as the float, then half to even
    at `places` (2.675 → 2,68, where the binary float would give 2,67); the sign stays, so
    -0.001 prints as -0,00."""
    return Decimal(str(amount)).quantize(quantum(places))


@functools.cache
def quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def tanggal(value: PartialDate | dt.date | None, locale: str | None = None) -> str:
    """A date at its own precision: '30 September 2020', 'September 2020' or '2020'."""
    if value is None:
        return "–"
    if isinstance(value, dt.date) or value.precision == "day":  # Babel's 'd MMMM y'
        return f"{value.day} {month_names(locale)[value.month]} {value.year}"
    if value.precision == "month":
        return f"{month_names(locale)[value.month]} {value.year}"
    return str(value.year)


def ukuran(size: int, locale: str | None = None) -> str:
    """A file's size in decimal units, one decimal: '850 B', '12,3 kB', '1,2 MB'."""
    if size < 1000:
        return f"{size}{NBSP}B"
    for unit, scale in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if size < scale * 1000 or unit == "GB":
            text = f"{rounded(size / scale, 1):,f}".translate(separators(locale))
            return f"{text}{NBSP}{unit}"
    raise AssertionError("unreachable")


def short_month_names(locale: str | None = None) -> dict[int, str]:
    """Abbreviated month names, as in Babel's 'MMM': Sep, Des."""
    return locale_month_names(locale or language(), "abbreviated")


def tanggal_singkat(value: PartialDate, locale: str | None = None) -> str:
    """A date at its own precision, months abbreviated: '30 Sep 2020', 'Sep 2020', '2020'."""
    if value.precision == "day":
        return f"{value.day} {short_month_names(locale)[value.month]} {value.year}"
    if value.precision == "month":
        return f"{short_month_names(locale)[value.month]} {value.year}"
    return str(value.year)


def unpack(value: Value | float | int | None) -> tuple[float | None, bool]:
    if isinstance(value, Value):
        return value.amount, value.approximate
    return value, False


FILTERS = {
    "angka": angka,
    "persen": persen,
    "poin": poin,
    "tanggal": tanggal,
    "rentang": rentang,
    "ukuran": ukuran,
}
