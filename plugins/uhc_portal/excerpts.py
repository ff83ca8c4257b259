"""Does a source's excerpt print the numbers a coverage row says it printed?

The one place that answers it, for validation, the figure diff and the importer alike (and for
the counts of national claims, data/claims.csv). A number
is found in any spelling sources use:
- a count: 311.536 (Indonesian), 311536, 311,536 (English) or 311 536 (a space, a no-break or
  a narrow space between groups of three); a source's slip mixing them, "1,392.488", still
  reads as 1392488 (a count has no decimals for the comma to be);
- a percentage: 82,77 or 82.77, with the decimals the row keeps (those the source printed);
  a whole one as 70.
A number is found whole only: 70 is not in 170, 70,5, 5,70 or 1.700.

A source may say instead where its numbers stand (`excerpt_note: tabel halaman 4`): a table or
an image the excerpt cannot quote. Its rows are not checked; the page shows the note.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .coverage import COUNT_FIELDS, Figure, Printed
from .errors import DataError, error
from .figures import FigureStore
from .i18n import M_
from .model import Claim, Source

GROUP_SEPARATORS = "[.,\u0020\u00a0\u202f]"  # dot, comma, space, no-break and narrow no-break
DECIMAL_SEPARATORS = "[.,]"
# Whole numbers only: not the tail of a longer one (1.700, 5,70, 170, 1\u00a0700), nor its head
# (170, 70,5, 70.500, "1 700 jiwa"). A plain space before a number is not taken as a group
# separator: "per Juni 2018 70 persen" prints 70.
BEFORE = "(?<!\\d)(?<!\\d[.,\u00a0\u202f])"
AFTER = "(?!\\d)(?![.,]\\d)(?![\u0020\u00a0\u202f]\\d{3}(?!\\d))"


@dataclass(frozen=True, slots=True)
class PrintedNumber:
    """One number a row printed: its field, its cell, and how an Indonesian text writes it."""

    field: str
    typed: str  # as the coverage file has it: 311536, 82.77
    text: str  # as an Indonesian text prints it: 311.536, 82,77
    pattern: str  # every spelling of it, as a regular expression without the boundaries
    longer: str = ""  # a percentage printed with more zeros (92,50 for 92.5), to say so


def count_number(field: str, count: int) -> PrintedNumber:
    """311536 → '311.536', found as 311.536, 311536, 311,536 or 311 536."""
    digits = str(count)
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    if len(groups) == 1:
        return PrintedNumber(field, digits, digits, digits)
    grouped = GROUP_SEPARATORS.join(groups)
    return PrintedNumber(field, digits, ".".join(groups), f"(?:{digits}|{grouped})")


def percent_number(field: str, pct: float, decimals: int) -> PrintedNumber:
    """82.77 with 2 decimals → '82,77', found as 82,77 or 82.77; 70 with none → '70'."""
    typed = f"{pct:.{decimals}f}"
    whole, _, fraction = typed.partition(".")
    longer = f"{whole}{DECIMAL_SEPARATORS}{fraction}0+" if decimals else f"{whole}[.,]0+"
    if not decimals:
        return PrintedNumber(field, typed, whole, whole, longer)
    text, pattern = f"{whole},{fraction}", f"{whole}{DECIMAL_SEPARATORS}{fraction}"
    return PrintedNumber(field, typed, text, pattern, longer)


def printed_numbers(printed: Printed) -> list[PrintedNumber]:
    """The numbers a row printed, the percentage first, then the counts in the file's order."""
    numbers = []
    if printed.coverage_pct is not None:
        numbers.append(percent_number("coverage_pct", printed.coverage_pct, printed.pct_decimals))
    if printed.active_pct is not None:
        numbers.append(percent_number("active_pct", printed.active_pct, printed.active_decimals))
    for field in COUNT_FIELDS:
        count = getattr(printed, field)
        if count is not None:
            numbers.append(count_number(field, count))
    return numbers


@functools.lru_cache(maxsize=4096)
def spelling(pattern: str) -> re.Pattern[str]:
    return re.compile(BEFORE + pattern + AFTER)


def contains(excerpt: str, number: PrintedNumber) -> bool:
    """Whether the excerpt prints the number whole, in any of its spellings."""
    return spelling(number.pattern).search(excerpt) is not None


def printed_longer(excerpt: str, number: PrintedNumber) -> str | None:
    """The number as the excerpt prints it with more decimals, all zeros (92,50 for 92.5): the
    row dropped decimals the source printed."""
    found = number.longer and spelling(number.longer).search(excerpt)
    return found.group(0) if found else None


def absent_numbers(printed: Printed, excerpt: str) -> list[PrintedNumber]:
    """The numbers a row printed that its excerpt does not."""
    return [n for n in printed_numbers(printed) if not contains(excerpt, n)]


def checked(source: Source | None) -> bool:
    """Whether rows citing the source are held to its excerpt (no note says where else)."""
    return source is not None and not source.excerpt_note


def store_errors(store: FigureStore, sources: Mapping[str, Source]) -> list[DataError]:
    """The excerpt errors of every figure kept; a region citing only sources with an
    excerpt_note (a national table of 60,000 rows) is not unpacked."""
    held = {source_id for source_id, source in sources.items() if checked(source)}
    figures = (
        figure
        for code in store
        if held.intersection(store.source_ids(code))
        for figure in (*store.figures(code), *store.other_figures(code))
    )
    return excerpt_errors(figures, sources)


def excerpt_errors(figures: Iterable[Figure], sources: Mapping[str, Source]) -> list[DataError]:
    """A data error for each number a row printed that its source's excerpt does not print."""
    return cited_errors(
        ((f.file, f.line, f.source_id, printed_numbers(f.printed)) for f in figures), sources
    )


def claim_errors(claims: Iterable[Claim], sources: Mapping[str, Source]) -> list[DataError]:
    """The same for national claims: "416 dari 514 kabupaten/kota" must stand in the excerpt."""
    return cited_errors(
        (
            (
                c.file,
                c.line,
                c.source_id,
                [
                    count_number(field, n)
                    for field, n in (("count", c.count), ("total", c.total))
                    if n is not None
                ],
            )
            for c in claims
        ),
        sources,
    )


def cited_errors(
    rows: Iterable[tuple[str, int, str, list[PrintedNumber]]], sources: Mapping[str, Source]
) -> list[DataError]:
    """For each (file, line, source id, numbers) a data error per number the excerpt lacks."""
    errors, kind = [], "not-in-excerpt"
    for file, line, source_id, numbers in rows:
        source = sources.get(source_id)
        if not checked(source):
            continue
        for number in numbers:
            if contains(source.excerpt, number):
                continue
            expected = M_("%(n)s di kutipan sumber '%(s)s' (%(w)s)") % {
                "n": number.text,
                "s": source.id,
                "w": f"data/sources.yaml:{source.line}",
            }
            longer = printed_longer(source.excerpt, number)
            if longer:
                decimals = len(re.split("[.,]", longer)[1])
                expected += M_(
                    "; sumber mencetak %(l)s: tulis %(w)s, dengan desimal yang dicetak sumber"
                ) % {"l": longer, "w": f"{float(number.typed):.{decimals}f}"}
            else:
                expected += M_(
                    ", disalin kata demi kata dari sumber; jika sumber mencetaknya di tabel atau "
                    "gambar, excerpt_note yang menyebut di mana (mis. 'tabel halaman 4')"
                )
            errors.append(error(file, line, number.field, number.typed, expected, kind))
    return errors
