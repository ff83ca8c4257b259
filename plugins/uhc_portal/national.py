"""What the portal holds beside what the country is said to have: recognitions counted per
year, and each national claim set beside the portal's own figures. No Pelican, no I/O."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from .freshness import months_between
from .model import Claim, Dataset, PartialDate, Recognition, Snapshot
from .status import Assessment


@dataclass(frozen=True)
class AwardTally:
    """One award in one year: how many regencies/cities and provinces the portal records."""

    year: int
    award: str
    regencies: int
    provinces: int
    categories: tuple[tuple[str, int], ...]
    """(category, regions) for the categories recorded, in the order Utama, Madya, Pratama."""
    codes: tuple[str, ...] = ()
    """The regions, provinces first, each in code order."""


def award_tallies(dataset: Dataset) -> list[AwardTally]:
    """Per year (newest first) and award: the regions the portal records it for, each once."""
    regions: dict[tuple[int, str], dict[str, set[str]]] = {}
    for r in dataset.recognitions:
        found = regions.setdefault((r.year, r.award), {})
        found.setdefault(r.category or "", set()).add(r.region_code)
    tallies = []
    for (year, award), by_category in regions.items():
        every = set().union(*by_category.values())
        tallies.append(
            AwardTally(
                year,
                award,
                sum(1 for code in every if code in dataset.regencies),
                sum(1 for code in every if code in dataset.provinces),
                tuple(
                    (category, len(by_category[category]))
                    for category in ("Utama", "Madya", "Pratama")
                    if category in by_category
                ),
                tuple(sorted(every, key=lambda c: (c in dataset.regencies, c))),
            )
        )
    tallies.sort(key=lambda t: (-t.year, t.award))
    return tallies


@dataclass(frozen=True)
class Holding:
    """A claim and what the portal holds for the same regions and date.

    For a UHC or Prioritas claim at a date: `with_data` regions of the claim's level have a
    figure dated on or before that date, and `meeting` of them meet the rule in force on the
    date of their newest such figure (None for an award claim). With a window (`window_months`,
    UHC_STALE_MONTHS), a region whose newest such figure speaks for a day that many months or
    more before the claim's is not counted: a 2018 figure says nothing of 2023. `older` counts
    those regions. For an award claim: `with_data` regions of that level have a recognition of
    the claim's year recorded in the portal. `also`: the same claim (date, kind, count and
    total) printed by other sources, in file order, shown as one claim with every source."""

    claim: Claim
    with_data: int
    meeting: int | None
    older: int = 0
    window_months: int | None = None
    also: tuple[Claim, ...] = ()


def level_codes(dataset: Dataset, level: str) -> list[str]:
    if level == "kabkota":
        return sorted(dataset.regencies)
    if level == "provinsi":
        return sorted(dataset.provinces)
    return sorted(dataset.provinces) + sorted(dataset.regencies)


def newest_by(figures: Iterable[Snapshot], day: PartialDate) -> Snapshot | None:
    """The newest of a region's figures (oldest first) dated on or before `day`'s end."""
    found = None
    for s in figures:
        if s.as_of.end <= day.end:
            found = s
        else:
            break
    return found


def holdings(
    dataset: Dataset,
    judged: Callable[[Snapshot], Assessment],
    window_months: int | None = None,
) -> list[Holding]:
    """Each claim (newest first, then in file order) beside the portal's own count; with
    `window_months`, only figures younger than that at the claim's date count. Each region's
    figures are made once for all claims."""
    store = dataset.snapshots_by_region
    awarded: dict[int, set[str]] = {}
    for r in dataset.recognitions:
        awarded.setdefault(r.year, set()).add(r.region_code)
    claims = dataset.claims
    with_data = [0] * len(claims)
    meeting = [0] * len(claims)
    older = [0] * len(claims)
    levels = {
        level: set(level_codes(dataset, level)) for level in ("kabkota", "provinsi", "daerah")
    }
    figure_claims = [i for i, c in enumerate(claims) if c.measure != "award"]
    if figure_claims:
        for code in levels["daerah"]:
            if code not in store:
                continue
            figures = store.get(code, ())
            for i in figure_claims:
                claim = claims[i]
                if code not in levels[claim.level]:
                    continue
                s = newest_by(figures, claim.as_of)
                if s is None:
                    continue
                if (
                    window_months is not None
                    and months_between(s.as_of.end, claim.as_of.end) >= window_months
                ):
                    older[i] += 1
                    continue
                with_data[i] += 1
                a = judged(s)
                verdict = a.verdict if claim.measure == "uhc" else a.priority_verdict
                meeting[i] += verdict == "meets"
    found: list[Holding] = []
    first: dict[tuple, int] = {}  # a claim's words → its holding in `found`
    for i, claim in enumerate(claims):
        same = (claim.as_of, claim.kind, claim.count, claim.total)
        if same in first:
            h = found[first[same]]
            found[first[same]] = replace(h, also=(*h.also, claim))
            continue
        first[same] = len(found)
        if claim.measure == "award":
            years = awarded.get(claim.as_of.year, set())
            found.append(Holding(claim, len(years & levels[claim.level]), None))
        else:
            found.append(Holding(claim, with_data[i], meeting[i], older[i], window_months))
    found.sort(key=lambda h: h.claim.as_of.sort_key(), reverse=True)  # stable: file order
    return found


def recognitions_of(dataset: Dataset) -> dict[str, list[Recognition]]:
    """Each region's recognitions, in file order."""
    found: dict[str, list[Recognition]] = {}
    for r in dataset.recognitions:
        found.setdefault(r.region_code, []).append(r)
    return found
