"""Each region's verdicts: its newest figure judged, each year's verdict for the home chart and
its commitments' outcomes, a pure function of the region's figures, the rules and the
commitments judged on it (what `session.BuildSession` keeps them by)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from .histories import Histories
from .model import Commitment, Dataset, Forum, StatusRule
from .status import Assessment, CommitmentOutcome, Verdict, judge_commitment


class CommitmentAt(NamedTuple):
    """A commitment with its forum and its place among the forum's commitments."""

    forum: Forum
    index: int
    commitment: Commitment


class YearVerdict(NamedTuple):
    """A regency's verdict on the newest figure with a percentage of one year."""

    year: int
    verdict: Verdict


@dataclass(frozen=True)
class RegionVerdicts:
    """What the pages' model takes from one region's judged figures."""

    newest: Assessment | None
    """Its newest figure, judged (None without figures)."""
    years: tuple[YearVerdict, ...]
    """A regency's verdict for each year with a percentage, oldest first (none for others)."""
    outcomes: Mapping[tuple[str, int], CommitmentOutcome]
    """Its commitments' outcomes, by forum slug and the commitment's index."""


class VerdictInputs(NamedTuple):
    """Everything a region's verdicts are made from: equal inputs, equal verdicts."""

    figures: tuple[bytes, tuple]
    """The region's figures, packed (`FigureStore.fingerprint`)."""
    rules: tuple[StatusRule, ...]
    commitments: tuple[CommitmentAt, ...]


def commitments_by_region(dataset: Dataset) -> dict[str, list[CommitmentAt]]:
    """Every forum's commitments, by the region they are judged on."""
    found: dict[str, list[CommitmentAt]] = defaultdict(list)
    for forum in dataset.forums:
        for index, commitment in enumerate(forum.commitments):
            found[commitment.region_code].append(CommitmentAt(forum, index, commitment))
    return found


def judged_regions(dataset: Dataset, commitments: Mapping[str, list[CommitmentAt]]) -> list[str]:
    """The regions that have verdicts: those with figures or commitments, in code order."""
    return sorted(set(dataset.snapshots_by_region) | set(commitments))


def verdict_inputs(dataset: Dataset) -> dict[str, VerdictInputs]:
    """Each judged region's inputs, in code order."""
    commitments = commitments_by_region(dataset)
    store = dataset.snapshots_by_region
    return {
        code: VerdictInputs(
            store.fingerprint(code), dataset.rules, tuple(commitments.get(code, ()))
        )
        for code in judged_regions(dataset, commitments)
    }


def judge_region(
    dataset: Dataset, histories: Histories, code: str, commitments: tuple[CommitmentAt, ...]
) -> RegionVerdicts:
    """One region's verdicts. Only the figures needed are made: all of a region's only when a
    commitment is judged on them."""
    store = dataset.snapshots_by_region
    newest = store.newest(code)
    newest_judged = histories.judged(newest) if newest is not None else None
    years: list[YearVerdict] = []
    if code in dataset.regencies:
        for s in store.newest_of_each_year(code, lambda s: s.coverage_pct.known):
            years.append(YearVerdict(s.as_of.year, histories.judged(s).verdict))
    outcomes = {}
    if commitments:
        snapshots = store.get(code, ())
        for forum, index, commitment in commitments:
            outcomes[forum.slug, index] = judge_commitment(
                commitment, forum, snapshots, dataset.rules
            )
    return RegionVerdicts(newest_judged, tuple(years), outcomes)


def judge_regions(dataset: Dataset, histories: Histories) -> dict[str, RegionVerdicts]:
    """Every judged region's verdicts, in code order."""
    commitments = commitments_by_region(dataset)
    return {
        code: judge_region(dataset, histories, code, tuple(commitments.get(code, ())))
        for code in judged_regions(dataset, commitments)
    }
