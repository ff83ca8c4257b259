"""When two sources print a figure for one region and date: which one the portal shows.

Both are kept and both are shown ("sumber lain mencatat …"); the figure that sets the status,
the charts and the rankings is chosen by one stated rule, in this order:

1. the row a steward marked `preferred: ya`;
2. the official publisher: a government site (`.go.id`) or BPJS Kesehatan itself;
3. the source printing more numbers (counts let a reader check the %);
4. the later publication;
5. the row read first (files by name, lines in order).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from .coverage import Figure
from .model import Source

REASONS = ("preferred", "official", "more-numbers", "later", "first")


def official(source: Source | None) -> bool:
    """Published by the government or by BPJS Kesehatan itself."""
    if source is None:
        return False
    host = urlsplit(source.url or "").hostname or ""
    return host.endswith(".go.id") or (source.publisher or "").lower().startswith("bpjs kesehatan")


def numbers_printed(figure: Figure) -> int:
    p = figure.printed
    numbers = (p.population, p.participants, p.active_participants, p.coverage_pct, p.not_enrolled)
    return sum(n is not None for n in numbers)


def published_key(source: Source | None) -> tuple:
    if source is None or source.published is None:
        return ()
    return source.published.sort_key()


def ranker(sources: Mapping[str, Source]) -> Callable[[Figure], tuple]:
    """The rule above as a sort key: the highest key is the figure shown."""

    def rank(figure: Figure) -> tuple:
        source = sources.get(figure.source_id)
        return (
            figure.preferred,
            official(source),
            numbers_printed(figure),
            published_key(source),
        )

    return rank


def reason(shown: Figure, other: Figure, sources: Mapping[str, Source]) -> str:
    """Which step of the rule put `shown` before `other`: one of REASONS."""
    rank = ranker(sources)
    for name, a, b in zip(REASONS, rank(shown), rank(other), strict=False):
        if a != b:
            return name
    return "first"
