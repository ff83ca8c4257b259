"""Numbers as published tables print them, read exactly: Indonesian (2.307.677; 93,71) and
international (2,307,677; 93.71) formats, never through a float.

A lone separator followed by three digits ("1.234", "1,234") could be either a thousands group
or a decimal part. Which one is decided per column, then per table, never per cell:
- a percentage column: a separator is always the decimal one (a thousands group would make a
  percentage of 1,000 or more, which no coverage figure is), so "98,4%" is 98.4 in any table;
- a count column whose cells show the format (two or more groups "2.307.677", both separators
  "1.234,5", a decimal part that is not three digits) follows it; failing that, the table's
  other number columns decide (a percentage printed "93,71" makes it an Indonesian table);
  failing that, a column whose every cell is grouped ("1.234", "45.678") is read as grouped;
- otherwise the cell is ambiguous and refused, with its row and cell named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from .i18n import M_

Convention = Literal["id", "intl"]  # Indonesian: . groups, , decimals; international: the reverse
Reading = Literal["id", "intl", "grouped"]  # how a count column's lone groups ("1.234") read

NIL = {"", "-", "–", "—", "n/a", "na", "nan"}  # what tables print for "no figure"
DIGITS = re.compile(r"\d+")
GROUPED = {  # whole numbers grouped by threes, one pattern per separator
    ".": re.compile(r"\d{1,3}(\.\d{3})+"),
    ",": re.compile(r"\d{1,3}(,\d{3})+"),
    " ": re.compile(r"\d{1,3}( \d{3})+"),
}
GROUPED_DECIMAL = {  # 1.234.567,89 (id) and 1,234,567.89 (intl)
    "id": re.compile(r"\d{1,3}(\.\d{3})+,\d+"),
    "intl": re.compile(r"\d{1,3}(,\d{3})+\.\d+"),
}
DECIMAL = re.compile(r"\d+[.,]\d+")
FLOAT_WHOLE = re.compile(r"\d+\.0")  # a whole number from a spreadsheet's number cell
SUFFIXES = re.compile(r"\s*(%|persen|jiwa|orang|\*+\)?|\(\d\))$", re.IGNORECASE)


class NumberProblem(Exception):
    def __init__(self, expected: str, kind: str):
        super().__init__(expected)
        self.expected = expected
        self.kind = kind


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell's text tidied of spaces, signs and units, ready to be read."""

    text: str
    typed: bool = False  # a spreadsheet's number cell: its digits show no format

    @classmethod
    def of(cls, value: object) -> Cell:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return cls(number_text(value), typed=True)
        text = "" if value is None else str(value)
        text = text.replace("\u00a0", " ").replace("\u202f", " ").strip()
        while True:  # "98,4 %", "2.149 jiwa", "93,71*)" — units and footnote marks
            shorter = SUFFIXES.sub("", text).strip()
            if shorter == text:
                break
            text = shorter
        return cls(text)

    @property
    def empty(self) -> bool:
        return self.text.lower() in NIL

    def evidence(self) -> Convention | None:
        """The convention this cell shows on its own, if it shows one."""
        t = self.text
        if self.typed:
            return None
        if GROUPED_DECIMAL["id"].fullmatch(t) or (GROUPED["."].fullmatch(t) and t.count(".") > 1):
            return "id"
        if GROUPED_DECIMAL["intl"].fullmatch(t) or (GROUPED[","].fullmatch(t) and t.count(",") > 1):
            return "intl"
        if DECIMAL.fullmatch(t) and len(re.split(r"[.,]", t)[1]) != 3:
            return "id" if "," in t else "intl"
        return None

    def lone_group(self) -> bool:
        """'1.234' or '1,234': a thousands group or a decimal part, the cell cannot tell."""
        return not self.typed and bool(re.fullmatch(r"\d{1,3}[.,]\d{3}", self.text))


def column_evidence(cells: list[Cell]) -> Convention | None:
    """The convention a column's cells show, or None; NumberProblem if they show both."""
    seen = {e for c in cells if (e := c.evidence())}
    if len(seen) > 1:
        raise NumberProblem(
            M_(
                "satu format bilangan per kolom; kolom ini mencampur 2.307.677 / 93,71 "
                "(Indonesia) dengan 2,307,677 / 93.71 (internasional)"
            ),
            "mixed-number-formats",
        )
    return seen.pop() if seen else None


def count_reading(cells: list[Cell], table: Convention | None) -> Reading | None:
    """How a count column's lone groups ('1.234') are read: by its own format, the table's,
    or as groups when every cell is grouped; None if they stay ambiguous."""
    own = column_evidence(cells)
    if own or table:
        return own or table
    filled = [c for c in cells if not c.empty]
    if filled and all(c.lone_group() or c.evidence() for c in filled):
        return "grouped"
    return None


def parse_count_cell(cell: Cell, reading: Reading | None) -> int:
    """An exact whole number of people."""
    t = cell.text
    reading = reading or cell.evidence()
    if DIGITS.fullmatch(t):
        return int(t)
    if GROUPED[" "].fullmatch(t):
        return int(t.replace(" ", ""))
    if t.startswith("-"):
        raise NumberProblem(M_("jumlah orang, nol atau lebih"), "negative-count")
    if cell.lone_group() and reading is None:
        raise NumberProblem(
            M_(
                "jumlah yang formatnya terlihat dari tabel: %(t)s bisa berarti %(w)s atau "
                "pecahan desimal; beri semua jumlah di kolom ini pemisah ribuannya, atau ketik "
                "yang ini tanpa pemisah"
            )
            % {"t": repr(t), "w": t[:-4] + t[-3:]},
            "ambiguous-number",
        )
    group = {"id": ".", "intl": ",", "grouped": "." if "." in t else ","}.get(reading or "", "")
    if group and GROUPED[group].fullmatch(t):
        return int(t.replace(group, ""))
    if FLOAT_WHOLE.fullmatch(t):  # a spreadsheet's number cell read as text: 2307677.0
        return int(t.split(".")[0])
    raise NumberProblem(
        M_("jumlah orang sebagai bilangan bulat (%(a)s atau 2307677)")
        % {"a": "2.307.677" if reading in ("id", None) else "2,307,677"},
        "not-whole-number",
    )


def parse_percent_cell(cell: Cell) -> str:
    """A percentage as the decimal text the contract takes, decimals kept: '98,40' → '98.40'."""
    t = cell.text
    if t.startswith("-"):
        raise NumberProblem(M_("persentase, nol atau lebih"), "negative-percent")
    if DIGITS.fullmatch(t):
        return str(int(t))
    if DECIMAL.fullmatch(t):
        whole, decimals = re.split(r"[.,]", t)
        return f"{int(whole)}.{decimals}"
    raise NumberProblem(M_("persentase seperti 93,71 atau 93.71"), "not-a-percent")


def number_text(value: object) -> str:
    """A spreadsheet cell as text without losing digits: a float by its shortest exact repr."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value != value:  # NaN: an empty cell
            return ""
        try:
            return format(Decimal(repr(value)), "f")
        except InvalidOperation:
            return repr(value)
    return "" if value is None else str(value)
