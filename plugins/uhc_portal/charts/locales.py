"""d3 number and time locales from Babel, for the renderer (vl-convert ships none for
Indonesian)."""

from __future__ import annotations

import re
from typing import Any

from babel import Locale
from babel.dates import get_day_names, get_month_names
from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol


def format_locale(locale: str = "id") -> dict[str, Any]:
    """d3-format locale from Babel: for Indonesian decimal ',' and thousands '.'."""
    return {
        "decimal": get_decimal_symbol(locale),
        "thousands": get_group_symbol(locale),
        "grouping": [3],
        "currency": ["Rp", ""] if locale == "id" else ["", ""],
        "minus": get_minus_sign_symbol(locale),
        "percent": "\u00a0%" if locale == "id" else "%",
    }


LDML_TO_D3 = {
    "EEEE": "%A",
    "EEE": "%a",
    "y": "%Y",
    "yyyy": "%Y",
    "yy": "%y",
    "MMMM": "%B",
    "MMM": "%b",
    "MM": "%m",
    "M": "%-m",
    "dd": "%d",
    "d": "%-d",
    "HH": "%H",
    "H": "%-H",
    "hh": "%I",
    "h": "%-I",
    "mm": "%M",
    "ss": "%S",
    "a": "%p",
}


def ldml_to_d3(pattern: str) -> str:
    """A Babel (LDML) date pattern as a d3-time-format specifier: 'dd/MM/yy' → '%d/%m/%y'."""
    out = []
    for match in re.finditer(r"'([^']*)'|([A-Za-z])\2*|(.)", pattern):
        quoted, letters, other = match.group(1), match.group(0), match.group(3)
        if quoted is not None:
            out.append(quoted.replace("%", "%%") or "'")
        elif other is not None:
            out.append("%%" if other == "%" else other)
        else:
            out.append(LDML_TO_D3.get(letters, letters))
    return "".join(out)


def time_format_locale(locale: str = "id") -> dict[str, Any]:
    """d3-time-format locale with month and day names from Babel (d3 weeks start on Sunday)."""
    loc = Locale.parse(locale)
    days = get_day_names("wide", locale=locale)
    short_days = get_day_names("abbreviated", locale=locale)
    periods = loc.day_periods["format"]["abbreviated"]
    date = ldml_to_d3(loc.date_formats["full"].pattern)
    time = ldml_to_d3(loc.time_formats["medium"].pattern)
    return {
        "dateTime": str(loc.datetime_formats["medium"]).replace("{1}", date).replace("{0}", time),
        "date": ldml_to_d3(loc.date_formats["short"].pattern),
        "time": time,
        "periods": [periods["am"], periods["pm"]],
        "days": [days[(i + 6) % 7] for i in range(7)],
        "shortDays": [short_days[(i + 6) % 7] for i in range(7)],
        "months": [get_month_names("wide", locale=locale)[m] for m in range(1, 13)],
        "shortMonths": [get_month_names("abbreviated", locale=locale)[m] for m in range(1, 13)],
    }
