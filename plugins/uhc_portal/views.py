"""model → pages: what each page shows, as plain objects for the templates. No Pelican here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .i18n import N_, _
from .model import Dataset, Forum, PartialDate, Province, Snapshot, Source
from .status import Assessment, CommitmentOutcome, assess, judge_commitment

LATEST_ON_HOME = 10
FORUMS_ON_HOME = 5


def status_words(assessment: Assessment | None) -> tuple[str, str]:
    """Status in words (never colour alone) and a CSS class for the badge."""
    if assessment is None:
        return _("Belum ada data"), "nodata"
    return {
        "meets": (_("Sudah UHC"), "meets"),
        "below": (_("Belum UHC"), "below"),
        "unknown": (_("Tidak dapat dinilai"), "unknown"),
        "no-rule": (_("Tidak ada aturan UHC pada tanggal itu"), "unknown"),
    }[assessment.verdict]


OUTCOME_WORDS = {
    "met": N_("Tercapai sebelum tenggat"),
    "met-late": N_("Tercapai setelah tenggat"),
    "missed": N_("Tidak tercapai pada tenggat"),
    "open": N_("Belum dapat dinilai: belum ada data setelah tenggat"),
}

FORUM_KIND_WORDS = {
    "forum-pku": N_("Forum Komunikasi Pemangku Kepentingan Utama"),
    "rapat": N_("Rapat"),
    "sosialisasi": N_("Sosialisasi dan rapat koordinasi"),
    "penghargaan": N_("Penghargaan"),
    "lainnya": N_("Lainnya"),
}


@dataclass
class RegionRow:
    """A region with its latest figure, as listed in tables."""

    code: str
    name: str
    province_code: str
    latest: Assessment | None

    @property
    def status(self) -> tuple[str, str]:
        return status_words(self.latest)


@dataclass
class RegionPage:
    code: str
    name: str
    province: Province
    history: list[Assessment]
    forums: list[Forum]
    commitments: list[CommitmentOutcome]
    aliases: list[str]
    is_province: bool = False
    regions: list[RegionRow] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    """The sources its figures cite, by id, in the order they are first cited."""

    @property
    def latest(self) -> Assessment | None:
        return self.history[-1] if self.history else None

    @property
    def status(self) -> tuple[str, str]:
        return status_words(self.latest)

    @property
    def figures(self) -> list[tuple[Assessment, Snapshot, Source]]:
        """The table of all figures, newest first, each row with the source it cites: looked up
        here once rather than in the template, which pays for every lookup on 120 rows."""
        return [(a, a.snapshot, self.sources[a.snapshot.source_id]) for a in reversed(self.history)]

    @property
    def agreements(self) -> list[tuple[Forum, Any]]:
        return [(forum, a) for forum in self.forums for a in forum.agreements]

    @property
    def regions_without_data(self) -> list[RegionRow]:
        return [r for r in self.regions if r.latest is None]


@dataclass
class Site:
    dataset: Dataset
    assessments: dict[str, list[Assessment]]
    regions: dict[str, RegionPage]
    provinces: dict[str, RegionPage]
    forum_outcomes: dict[str, list[CommitmentOutcome]]

    @property
    def rows(self) -> list[RegionRow]:
        return [row for page in self.provinces.values() for row in page.regions]

    def source(self, source_id: str) -> Source:
        return self.dataset.sources[source_id]

    def region_name(self, code: str) -> str:
        return self.dataset.region_name(code)

    @property
    def latest_assessments(self) -> list[Assessment]:
        return [h[-1] for code, h in self.assessments.items() if code in self.dataset.regencies]

    @property
    def summary(self) -> dict[str, int]:
        latest = self.latest_assessments
        return {
            "regions": len(self.dataset.regencies),
            "with_data": len(latest),
            "meets": sum(1 for a in latest if a.verdict == "meets"),
            "below": sum(1 for a in latest if a.verdict == "below"),
            "unknown": sum(1 for a in latest if a.verdict in ("unknown", "no-rule")),
            "over_100": sum(1 for a in latest if a.snapshot.over_100),
        }

    @property
    def newest_figures(self) -> list[Assessment]:
        ordered = sorted(
            self.latest_assessments,
            key=lambda a: (a.snapshot.as_of.sort_key(), a.snapshot.region_code),
            reverse=True,
        )
        return ordered[:LATEST_ON_HOME]

    @property
    def newest_forums(self) -> list[Forum]:
        return list(self.dataset.forums[:FORUMS_ON_HOME])

    @cached_property  # every page's footer asks; the dataset does not change during a build
    def data_as_of(self) -> PartialDate | None:
        """The newest figure's date: pages say how fresh the data is without a build clock."""
        dates = [s.as_of for s in self.dataset.snapshots]
        return max(dates, key=PartialDate.sort_key) if dates else None


def build_site(dataset: Dataset) -> Site:
    # Process data.
    assessments: dict[str, list[Assessment]] = {
        code: [assess(s, dataset.rules) for s in snapshots]
        for code, snapshots in sorted(dataset.snapshots_by_region.items())
    }
    forums_by_region: dict[str, list[Forum]] = defaultdict(list)
    for forum in dataset.forums:
        for code in forum.regions:
            forums_by_region[code].append(forum)
    forum_outcomes = {
        forum.slug: [
            judge_commitment(
                c, forum, dataset.snapshots_by_region.get(c.region_code, ()), dataset.rules
            )
            for c in forum.commitments
        ]
        for forum in dataset.forums
    }
    aliases: dict[str, list[str]] = defaultdict(list)
    for alias, code in sorted(dataset.aliases.items()):
        aliases[code].append(alias)

    def page(code: str, province: Province, is_province: bool) -> RegionPage:
        outcomes = [
            o
            for f in forums_by_region.get(code, [])
            for o in forum_outcomes[f.slug]
            if o.commitment.region_code == code
        ]
        history = assessments.get(code, [])
        sources = {a.snapshot.source_id: dataset.sources[a.snapshot.source_id] for a in history}
        return RegionPage(
            code,
            dataset.region_name(code),
            province,
            history,
            forums_by_region.get(code, []),
            outcomes,
            aliases.get(code, []),
            is_province,
            sources=sources,
        )

    regions = {
        code: page(code, dataset.provinces[r.province_code], False)
        for code, r in sorted(dataset.regencies.items())
    }
    provinces = {code: page(code, p, True) for code, p in sorted(dataset.provinces.items())}
    for code, regency in sorted(dataset.regencies.items()):
        latest = assessments[code][-1] if code in assessments else None
        provinces[regency.province_code].regions.append(
            RegionRow(code, regency.name, regency.province_code, latest)
        )

    # Save outputs.
    return Site(dataset, assessments, regions, provinces, forum_outcomes)
