"""model → pages: what each page shows, as plain objects for the templates. No Pelican here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from . import urls
from .freshness import Age, Freshness, data_date
from .histories import Histories, History
from .i18n import N_, _
from .model import (
    NATIONAL,
    NATIONAL_NAME,
    Correction,
    Dataset,
    Forum,
    PartialDate,
    Province,
    Snapshot,
    Source,
    Tile,
)
from .national import AwardTally, Holding, award_tallies, holdings, recognitions_of
from .recognitions import Award, grouped
from .status import Assessment, CommitmentOutcome, Verdict
from .verdicts import RegionVerdicts, judge_regions

LATEST_ON_HOME = 10
FORUMS_ON_HOME = 5
FURTHEST_ON_HOME = 10


def figure_anchor(snapshot: Snapshot) -> str:
    """A figure's id on its region's page, the same in every build and after new data:
    `angka-2020-09`, from the date at the source's precision. Unique on the page because
    validation allows one figure per region and date (duplicate-snapshot)."""
    return f"angka-{snapshot.as_of.iso}"


def figure_path(snapshot: Snapshot) -> str:
    """A figure's permanent address below the site's root: `wilayah/73.13/#angka-2020-09`; a
    national figure's is on the home page, `#angka-2023-12-31`."""
    if snapshot.region_code == NATIONAL:
        return f"#{figure_anchor(snapshot)}"
    return urls.figure(snapshot.region_code, figure_anchor(snapshot))


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
    old: Age | None = None
    """The latest figure's age when it is older than UHC_STALE_MONTHS, else None."""

    @property
    def status(self) -> tuple[str, str]:
        return status_words(self.latest)


@dataclass
class RegionPage:
    code: str
    name: str
    province: Province
    history: Sequence[Assessment]
    forums: list[Forum]
    commitments: list[CommitmentOutcome]
    aliases: list[str]
    is_province: bool = False
    regions: list[RegionRow] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    """The sources its figures cite, by id, in the order they are first cited."""
    corrections: list[Correction] = field(default_factory=list)
    """Its figures corrected or withdrawn after publication, newest first."""
    recognitions: list[Award] = field(default_factory=list)
    """Its awards, newest year first, each once with every source recording it: never a
    figure, never part of its status."""
    old: Age | None = None
    """Its newest figure's age when older than UHC_STALE_MONTHS (shown beside the status)."""

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
    histories: Histories
    latest: dict[str, Assessment]
    """Each region's newest figure, judged, by code (regions without figures left out)."""
    verdicts_by_year: dict[int, dict[str, Verdict]]
    """Per year, the verdict on each regency's latest figure with a coverage % that year."""
    regions: dict[str, RegionPage]
    provinces: dict[str, RegionPage]
    forum_outcomes: dict[str, list[CommitmentOutcome]]
    national: RegionPage | None = None
    """The whole country's own series (region code ID), None without any ID figure: shown on
    the home page, never counted as a regency or a province."""
    freshness: Freshness | None = None
    """The data's date and UHC_STALE_MONTHS; None: no figure is marked old."""
    stale_months: int | None = None
    """UHC_STALE_MONTHS as the model was made with (None: not asked for)."""

    def old(self, code: str) -> Age | None:
        """The age of a region's newest figure when it is old, else None."""
        latest = self.latest.get(code)
        if latest is None or self.freshness is None:
            return None
        return self.freshness.old(latest.snapshot.as_of)

    @cached_property
    def award_tallies(self) -> list[AwardTally]:
        """Per year and award, the regions the portal records it for (the home page's count)."""
        return award_tallies(self.dataset)

    @cached_property
    def holdings(self) -> list[Holding]:
        """Each national claim beside what the portal holds for the same regions and date."""
        return holdings(self.dataset, self.histories.judged, self.stale_months)

    @property
    def rows(self) -> list[RegionRow]:
        return [row for page in self.provinces.values() for row in page.regions]

    def source(self, source_id: str) -> Source:
        return self.dataset.sources[source_id]

    def region_name(self, code: str) -> str:
        return self.dataset.region_name(code)

    @property
    def latest_assessments(self) -> list[Assessment]:
        return [a for code, a in self.latest.items() if code in self.dataset.regencies]

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
            "old": sum(1 for a in latest if self.old(a.snapshot.region_code)),
        }

    @cached_property
    def period(self) -> tuple[PartialDate, PartialDate] | None:
        """The oldest and the newest of the regencies' newest figures: the period the home
        page's counts and charts cover."""
        return span(a.snapshot.as_of for a in self.latest_assessments)

    @cached_property
    def current_period(self) -> tuple[PartialDate, PartialDate] | None:
        """The same, of the newest figures that are not old: the period the ranking covers."""
        dates = [a.snapshot.as_of for a in self.latest_assessments]
        return span(d for d in dates if self.freshness is None or self.freshness.old(d) is None)

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

    @cached_property
    def province_tallies(self) -> list[ProvinceTally]:
        """Per province, in code order: its regencies, how many have a figure, how many of
        those meet the rule in force on their latest figure's date, and how many of those
        figures are old (the home page's map)."""
        return [
            ProvinceTally(
                code,
                page.name,
                self.dataset.tiles.get(code),
                len(page.regions),
                sum(1 for row in page.regions if row.latest is not None),
                sum(1 for row in page.regions if row.latest is not None and row.latest.meets),
                sum(1 for row in page.regions if row.old is not None),
            )
            for code, page in self.provinces.items()
        ]

    @cached_property
    def below_threshold(self) -> list[tuple[Assessment, float]]:
        """The regencies whose latest figure is under the threshold it was judged by, with the
        gap in percentage points, by code."""
        return [
            (a, gap_to_threshold(a))
            for a in self.latest_assessments
            if a.verdict == "below" and a.rule is not None and a.snapshot.coverage_pct.known
        ]

    @cached_property
    def furthest_below(self) -> list[tuple[Assessment, float]]:
        """Of those, the ones furthest under their threshold, furthest first (ties by code),
        among current figures only: a 2018 figure is not ranked against a 2025 one (the old
        ones are `old_below`). The home page lists them in words under the map."""
        below = [p for p in self.below_threshold if not self.old(p[0].snapshot.region_code)]
        below.sort(key=lambda pair: (-pair[1], pair[0].snapshot.region_code))
        return below[:FURTHEST_ON_HOME]

    @cached_property
    def old_below(self) -> list[tuple[Assessment, float]]:
        """The regencies under their threshold whose newest figure is old, newest figure first
        (then by code): listed apart from the ranking, not ranked."""
        old = [p for p in self.below_threshold if self.old(p[0].snapshot.region_code)]
        old.sort(key=lambda p: p[0].snapshot.region_code)
        old.sort(key=lambda p: p[0].snapshot.as_of.sort_key(), reverse=True)
        return old

    @cached_property
    def a_to_z(self) -> list[tuple[str, str, list[AzEntry]]]:
        """Every regency and city by the first letter of its name without "Kabupaten"/"Kota",
        with the other spellings from aliases.yaml: the search box's target without JavaScript,
        where the browser's find-in-page finds "Gumas" too."""
        return a_to_z(self.dataset)

    @cached_property  # every page's footer asks; the dataset does not change during a build
    def data_as_of(self) -> PartialDate | None:
        """The newest figure's date: pages say how fresh the data is without a build clock."""
        dates = [a.snapshot.as_of for a in self.latest.values()]  # each region's newest
        return max(dates, key=PartialDate.sort_key) if dates else None


def span(dates: Iterable[PartialDate]) -> tuple[PartialDate, PartialDate] | None:
    ordered = sorted(dates, key=PartialDate.sort_key)
    return (ordered[0], ordered[-1]) if ordered else None


def gap_to_threshold(assessment: Assessment) -> float:
    """Percentage points between a figure's coverage and the threshold it was judged by."""
    amount = assessment.snapshot.coverage_pct.amount
    assert assessment.rule is not None and amount is not None
    return assessment.rule.min_coverage_pct - amount


@dataclass(frozen=True)
class ProvinceTally:
    code: str
    name: str
    tile: Tile | None
    regions: int
    with_data: int
    meets: int
    old: int = 0
    """Regencies whose newest figure is older than UHC_STALE_MONTHS (counted as they stand)."""


@dataclass(frozen=True)
class AzEntry:
    label: str
    """The name, or another spelling of it (`alias_of` is then the name)."""
    code: str
    province: str
    alias_of: str | None = None


NAME_PREFIXES = ("Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kab. ", "Kota ")


def sort_name(name: str) -> str:
    """'Kota Lubuk Linggau' → 'lubuk linggau': cities and regencies mixed, as a reader looks."""
    for prefix in NAME_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :].casefold()
    return name.casefold()


def a_to_z(dataset: Dataset) -> list[tuple[str, str, list[AzEntry]]]:
    """(letter, its anchor, entries); names not starting with A–Z come under '#'."""
    entries = [
        AzEntry(r.name, code, dataset.provinces[r.province_code].name)
        for code, r in dataset.regencies.items()
    ]
    seen = {(sort_name(r.name), code) for code, r in dataset.regencies.items()}
    # The shortest spelling of each: 'Lubuklinggau' rather than 'Kota Lubuklinggau'.
    for alias, code in sorted(dataset.aliases.items(), key=lambda a: (len(a[0]), a)):
        regency = dataset.regencies.get(code)
        if regency is not None and (sort_name(alias), code) not in seen:
            seen.add((sort_name(alias), code))
            province = dataset.provinces[regency.province_code].name
            entries.append(AzEntry(alias, code, province, alias_of=regency.name))
    entries.sort(key=lambda e: (sort_name(e.label), e.alias_of is not None, e.label, e.code))
    letters: dict[str, list[AzEntry]] = {}
    for entry in entries:
        first = sort_name(entry.label)[:1].upper()
        letters.setdefault(first if "A" <= first <= "Z" else "#", []).append(entry)
    return [
        (letter, "lain" if letter == "#" else letter, group) for letter, group in letters.items()
    ]


def build_site(
    dataset: Dataset,
    stale_months: int | None = None,
    verdicts: Mapping[str, RegionVerdicts] | None = None,
) -> Site:
    """The pages' model, a pure function of its inputs. `verdicts` are the judged regions'
    (`verdicts.judge_regions`, every one of them, in code order), made here when not given; a
    session that keeps them gives them. With `stale_months` (UHC_STALE_MONTHS), the regions
    whose newest figure is older than that at the data's date are marked old."""
    # Process data.
    histories = Histories(dataset)
    forums_by_region: dict[str, list[Forum]] = defaultdict(list)
    for forum in dataset.forums:
        for code in forum.regions:
            forums_by_region[code].append(forum)
    if verdicts is None:
        verdicts = judge_regions(dataset, histories)
    # Each region's newest figure, each year's verdicts for the home chart (the year's newest
    # figure with a %), and the commitments judged.
    judged: dict[tuple[str, int], CommitmentOutcome] = {}
    latest: dict[str, Assessment] = {}
    verdicts_by_year: dict[int, dict[str, Verdict]] = {}
    for code, region in verdicts.items():
        if region.newest is not None:
            latest[code] = region.newest
        for year, verdict in region.years:
            verdicts_by_year.setdefault(year, {})[code] = verdict
        judged.update(region.outcomes)
    forum_outcomes = {
        forum.slug: [judged[forum.slug, index] for index in range(len(forum.commitments))]
        for forum in dataset.forums
    }
    corrections: dict[str, list[Correction]] = defaultdict(list)
    for correction in dataset.corrections:  # newest first
        corrections[correction.region_code].append(correction)
    aliases: dict[str, list[str]] = defaultdict(list)
    for alias, code in sorted(dataset.aliases.items()):
        aliases[code].append(alias)
    recognitions = recognitions_of(dataset)
    today = data_date(dataset.sources.values(), (a.snapshot.as_of for a in latest.values()))
    freshness = None
    if stale_months is not None and today is not None:
        freshness = Freshness(today, stale_months)

    def old(code: str) -> Age | None:
        newest = latest.get(code)
        return freshness.old(newest.snapshot.as_of) if newest and freshness else None

    def page(code: str, province: Province, is_province: bool) -> RegionPage:
        outcomes = [
            o
            for f in forums_by_region.get(code, [])
            for o in forum_outcomes[f.slug]
            if o.commitment.region_code == code
        ]
        sources = {i: dataset.sources[i] for i in dataset.snapshots_by_region.source_ids(code)}
        awards = grouped(recognitions.get(code, ()), dataset.sources)
        return RegionPage(
            code,
            dataset.region_name(code),
            province,
            History(histories, code),
            forums_by_region.get(code, []),
            outcomes,
            aliases.get(code, []),
            is_province,
            sources=sources,
            corrections=corrections.get(code, []),
            recognitions=awards,
            old=old(code),
        )

    regions = {
        code: page(code, dataset.provinces[r.province_code], False)
        for code, r in sorted(dataset.regencies.items())
    }
    provinces = {code: page(code, p, True) for code, p in sorted(dataset.provinces.items())}
    for code, regency in sorted(dataset.regencies.items()):
        provinces[regency.province_code].regions.append(
            RegionRow(code, regency.name, regency.province_code, latest.get(code), old(code))
        )

    national = None
    if NATIONAL in dataset.snapshots_by_region:  # its chart and table: the home page's
        national = page(NATIONAL, Province(NATIONAL, NATIONAL_NAME), False)

    # Save outputs.
    return Site(
        dataset,
        histories,
        latest,
        verdicts_by_year,
        regions,
        provinces,
        forum_outcomes,
        national,
        freshness,
        stale_months,
    )
