"""Which UHC rule applies on a figure's date, and what the figure means against it."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

from .model import MISSING, Commitment, Forum, PartialDate, Snapshot, StatusRule, Value

Verdict = Literal["meets", "below", "unknown", "no-rule"]


@dataclass(frozen=True, slots=True)
class Assessment:
    """A snapshot judged against the rule in force on its date."""

    snapshot: Snapshot
    rule: StatusRule | None
    verdict: Verdict
    priority_rule: StatusRule | None
    priority_verdict: Verdict

    @property
    def meets(self) -> bool:
        return self.verdict == "meets"

    @property
    def people_needed(self) -> Value:
        """Made when asked (for a page's newest figure and the downloads), not kept for each of
        the 600,000 figures of a 10x national set: about 56 MB."""
        if self.rule is None or self.verdict not in ("meets", "below"):
            return MISSING
        return people_needed(self.snapshot, self.rule)


def rule_in_force(
    rules: tuple[StatusRule, ...], day: dt.date, tier: str = "uhc"
) -> StatusRule | None:
    for rule in rules:
        if rule.tier == tier and rule.in_force(day):
            return rule
    return None


def passes(value: float, threshold: float, strict: bool) -> bool:
    return value > threshold if strict else value >= threshold


def people_needed(snapshot: Snapshot, rule: StatusRule) -> Value:
    """How many more participants reach the threshold, at the figure's own population; with
    bounds when the population or participants rest on a rounded percentage."""
    population, participants = snapshot.population, snapshot.participants
    if not (population.known and participants.known):
        return MISSING
    approximate = population.approximate or participants.approximate
    needed = needed_at(rule, population.amount, participants.amount)
    if not approximate:
        return Value(needed, "derived", False, "threshold × population − participants")
    lowest = needed_at(rule, population.least, participants.most)
    highest = needed_at(rule, population.most, participants.least)
    return Value(needed, "derived", True, "threshold × population − participants", lowest, highest)


def needed_at(rule: StatusRule, population: float | None, participants: float | None) -> int | None:
    """Participants still missing for `rule` at a population; None when either is unbounded."""
    if population is None or participants is None:
        return None
    needed_total = math.ceil(rule.min_coverage_pct * population / 100 - 1e-9)
    if rule.coverage_strict and needed_total * 100 == rule.min_coverage_pct * population:
        needed_total += 1
    return max(0, needed_total - int(participants))


def assess(snapshot: Snapshot, rules: tuple[StatusRule, ...]) -> Assessment:
    return judge(snapshot, *rules_on(snapshot.as_of, rules))


def rules_on(
    as_of: PartialDate, rules: tuple[StatusRule, ...]
) -> tuple[StatusRule | None, StatusRule | None]:
    """The UHC rule and the UHC Prioritas rule in force on the last day a figure speaks for."""
    day = as_of.end
    return rule_in_force(rules, day), rule_in_force(rules, day, "prioritas")


def judge(snapshot: Snapshot, rule: StatusRule | None, priority: StatusRule | None) -> Assessment:
    pct = snapshot.coverage_pct.amount
    if rule is None:
        verdict: Verdict = "no-rule"
    elif pct is None:
        verdict = "unknown"
    else:
        verdict = "meets" if passes(pct, rule.min_coverage_pct, rule.coverage_strict) else "below"
    return Assessment(snapshot, rule, verdict, priority, assess_priority(snapshot, priority))


def assess_priority(snapshot: Snapshot, rule: StatusRule | None) -> Verdict:
    """UHC Prioritas needs the active rate too; without active counts it cannot be judged."""
    if rule is None:
        return "no-rule"
    pct = snapshot.coverage_pct.amount
    active = snapshot.active_pct_of_participants
    if pct is None:
        return "unknown"
    if not passes(pct, rule.min_coverage_pct, rule.coverage_strict):
        return "below"
    if rule.min_active_pct is None:
        return "meets"
    if active is None:
        return "unknown"
    return "meets" if passes(active, rule.min_active_pct, rule.active_strict) else "below"


Outcome = Literal["met", "met-late", "missed", "open"]


@dataclass(frozen=True, slots=True)
class CommitmentOutcome:
    commitment: Commitment
    forum: Forum
    target_pct: float | None
    outcome: Outcome
    evidence: Snapshot | None


def judge_commitment(
    commitment: Commitment,
    forum: Forum,
    snapshots: tuple[Snapshot, ...],
    rules: tuple[StatusRule, ...],
) -> CommitmentOutcome:
    """Met, missed or still open, judged only from figures in the data (never from a clock).

    The target is the commitment's own percentage, or else the UHC threshold in force on the
    deadline. Figures dated before the forum do not count as progress on the commitment.
    """
    deadline = commitment.deadline.end
    target = commitment.target_pct
    if target is None:
        rule = rule_in_force(rules, deadline)
        target = rule.min_coverage_pct if rule else None
    relevant = [s for s in snapshots if s.as_of.end >= forum.date.start and s.coverage_pct.known]
    reached = [s for s in relevant if target is not None and (s.coverage_pct.amount or 0) >= target]
    on_time = [s for s in reached if s.as_of.end <= deadline]
    after = [s for s in relevant if s.as_of.start > deadline]
    if on_time:
        return CommitmentOutcome(commitment, forum, target, "met", on_time[0])
    if reached:
        return CommitmentOutcome(commitment, forum, target, "met-late", reached[0])
    if after:
        return CommitmentOutcome(commitment, forum, target, "missed", after[0])
    return CommitmentOutcome(commitment, forum, target, "open", None)
