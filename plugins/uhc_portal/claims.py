"""Claims (data/claims.csv): what BPJS Kesehatan or the government says about the whole
country ("416 dari 514 kabupaten/kota UHC per 31 Desember 2023"), each with its source, read
here; set beside what the portal itself holds in `national`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from .errors import DataError, error
from .i18n import M_
from .loading import MAX_ERRORS_PER_FILE, read_csv, too_many_errors
from .model import CLAIM_KINDS, Claim
from .rowcells import Cells
from .schema import Problem, parse_date

HEADER = ["as_of", "kind", "count", "total", "source"]
MAX_REGIONS = 100_000  # Indonesia has about 550 regions; a longer number is a typing slip


def parse_kind(text: str) -> str:
    if text in CLAIM_KINDS:
        return text
    raise Problem(M_("salah satu dari %(c)s") % {"c": ", ".join(CLAIM_KINDS)}, "bad-claim-kind")


def parse_regions(text: str) -> int:
    """A whole number of regions, digits only."""
    if text.isascii() and text.isdigit() and int(text) <= MAX_REGIONS:
        return int(text)
    raise Problem(
        M_("jumlah wilayah sebagai bilangan bulat, angka saja, paling banyak %(n)s (mis. 416)")
        % {"n": MAX_REGIONS},
        "not-whole-number",
    )


def read_claims(
    path: Path,
    root: Path,
    today: dt.date,
    excerpts: Iterable[tuple[str, str]],
    errors: list[DataError],
) -> tuple[Claim, ...]:
    """The valid claims of data/claims.csv (optional: no file, no claims), in line order. Each
    claim's source must be defined; its count and total are looked for in the source's excerpt
    by `excerpts.claim_errors`, as every printed number is."""
    if not path.exists():
        return ()
    excerpt_of = dict(excerpts)
    rows, problems = read_csv(path, root, HEADER)
    errors += problems
    claims: list[Claim] = []
    seen: dict[tuple, Claim] = {}
    count = len(problems)
    for row in rows:
        if count >= MAX_ERRORS_PER_FILE:
            errors.append(too_many_errors(row.file, row.line))
            break
        cells = Cells(row)
        cell, fail = cells.get, cells.fail
        as_of = cell("as_of", parse_date, today)
        kind = cell("kind", parse_kind)
        number = cell("count", parse_regions)
        total = cell("total", parse_regions, required=False)
        source = cell("source", str)
        if source is not None and source not in excerpt_of:
            fail(
                "source",
                source,
                M_("id yang didefinisikan di data/sources.yaml"),
                "unknown-source",
            )
        if number is not None and total is not None and number > total:
            fail(
                "count",
                str(number),
                M_("paling banyak sebesar total (%(n)s)") % {"n": total},
                "count-over-total",
            )
        count += len(cells.errors)
        errors += cells.errors
        if cells.errors:
            continue
        assert as_of is not None and kind is not None and number is not None and source
        claim = Claim(as_of, kind, number, total, source, row.file, row.line)
        first = seen.get((as_of, kind, source))
        if first is not None:
            errors.append(
                error(
                    row.file,
                    row.line,
                    "kind",
                    kind,
                    M_(
                        "tiap klaim sekali per sumber dan tanggal; %(k)s %(d)s dari %(s)s "
                        "sudah ada di %(w)s"
                    )
                    % {"k": kind, "d": as_of.iso, "s": source, "w": f"{first.file}:{first.line}"},
                    "duplicate-claim",
                )
            )
            continue
        seen[as_of, kind, source] = claim
        claims.append(claim)
    return tuple(claims)
