"""Recognitions (data/recognitions/*.csv): awards a region received, each with its source.

A recognition is not a coverage figure: it never sets or changes a status. The same award may
be recorded twice with different sources (shown once, with both); the same source twice for it
is a slip (duplicate-recognition).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, error
from .i18n import M_
from .loading import MAX_ERRORS_PER_FILE, read_csv, too_many_errors
from .model import RECOGNITION_CATEGORIES, Recognition, Source
from .rowcells import Cells
from .schema import EARLIEST_YEAR, MAX_NAME, Problem, parse_code

HEADER = ["region_code", "year", "award", "category", "source"]


def parse_year(text: str, today: dt.date) -> int:
    """A year typed as four digits, from EARLIEST_YEAR to this year."""
    if not (len(text) == 4 and text.isascii() and text.isdigit()):
        raise Problem(M_("tahun empat angka, mis. 2024"), "bad-year")
    year = int(text)
    if year < EARLIEST_YEAR:
        raise Problem(M_("tahun %(y)s atau sesudahnya") % {"y": EARLIEST_YEAR}, "bad-year")
    if year > today.year:
        raise Problem(
            M_("tahun yang tidak melewati tahun ini (%(y)s)") % {"y": today.year}, "future-date"
        )
    return year


def parse_category(text: str) -> str:
    if text in RECOGNITION_CATEGORIES:
        return text
    raise Problem(
        M_("salah satu dari %(c)s, atau kosong (penghargaannya tanpa kategori)")
        % {"c": ", ".join(RECOGNITION_CATEGORIES)},
        "bad-category",
    )


def read_recognitions(
    paths: Iterable[Path],
    root: Path,
    today: dt.date,
    codes: frozenset[str],
    source_ids: frozenset[str],
    errors: list[DataError],
) -> tuple[Recognition, ...]:
    """Every valid recognition of the files, in file and line order; errors added to `errors`."""
    found: list[Recognition] = []
    seen: dict[tuple, Recognition] = {}
    for path in paths:
        rows, problems = read_csv(path, root, HEADER)
        errors += problems
        count = len(problems)
        for row in rows:
            if count >= MAX_ERRORS_PER_FILE:
                errors.append(too_many_errors(row.file, row.line))
                break
            cells = Cells(row)
            cell, fail = cells.get, cells.fail
            code = cell("region_code", parse_code)
            if code is not None and code not in codes:
                fail(
                    "region_code",
                    code,
                    M_(
                        "kode kabupaten/kota atau provinsi yang tercantum di "
                        "data/regions/regencies.csv atau provinces.csv"
                    ),
                    "unknown-region",
                )
            year = cell("year", parse_year, today)
            award = cell("award", str)
            if award is not None and len(award) > MAX_NAME:
                fail(
                    "award",
                    award,
                    M_("nama penghargaan paling panjang %(n)s karakter") % {"n": MAX_NAME},
                    "text-too-long",
                )
            category = cell("category", parse_category, required=False)
            source = cell("source", str)
            if source is not None and source not in source_ids:
                fail(
                    "source",
                    source,
                    M_("id yang didefinisikan di data/sources.yaml"),
                    "unknown-source",
                )
            count += len(cells.errors)
            errors += cells.errors
            if cells.errors:
                continue
            assert code is not None and year is not None and award and source
            recognition = Recognition(code, year, award, category, source, row.file, row.line)
            first = seen.get((recognition.key, source))
            if first is not None:
                errors.append(
                    error(
                        row.file,
                        row.line,
                        "source",
                        source,
                        M_(
                            "tiap penghargaan sekali per sumber; yang ini sudah ada di %(w)s "
                            "(sumber kedua untuknya boleh)"
                        )
                        % {"w": f"{first.file}:{first.line}"},
                        "duplicate-recognition",
                    )
                )
                continue
            seen[recognition.key, source] = recognition
            found.append(recognition)
    return tuple(found)


@dataclass(frozen=True)
class Award:
    """One recognition as a page shows it: once, with every source that records it."""

    region_code: str
    year: int
    award: str
    category: str | None
    sources: tuple[Source, ...]


def grouped(recognitions: Iterable[Recognition], sources: dict[str, Source]) -> list[Award]:
    """Recognitions as shown: the same one from several sources once, with all of them in the
    order recorded; newest year first, then by award and category."""
    by_key: dict[tuple, list[Recognition]] = {}
    for r in recognitions:
        by_key.setdefault(r.key, []).append(r)
    awards = [
        Award(
            rs[0].region_code,
            rs[0].year,
            rs[0].award,
            rs[0].category,
            tuple(sources[i] for i in dict.fromkeys(r.source_id for r in rs)),
        )
        for rs in by_key.values()
    ]
    order = {c: i for i, c in enumerate(RECOGNITION_CATEGORIES)}
    awards.sort(
        key=lambda a: (-a.year, a.award, order.get(a.category or "", len(order)), a.region_code)
    )
    return awards
