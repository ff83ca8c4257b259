"""The figure store (figures.FigureStore): figures kept packed, Snapshots made when asked.

A 10x national set has 600,000 figures; as Snapshot and Value objects they took most of a 1 GB
build. These tests check that packing loses nothing, that duplicates are still found with the
first figure named, and that loading and deriving the site keep no Snapshot per figure.
"""

from __future__ import annotations

import gc
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SITE_DATA, TODAY, build, make_project
from hypothesis import given
from hypothesis import strategies as st
from pelican.settings import read_settings
from uhc_portal import feeds, render
from uhc_portal.coverage import Figure, Printed, check_printed
from uhc_portal.dataset import load_dataset
from uhc_portal.errors import DataErrors
from uhc_portal.figures import FigureStore
from uhc_portal.loading import Row
from uhc_portal.model import PartialDate, Snapshot
from uhc_portal.schema import MAX_COUNT
from uhc_portal.views import Histories, build_site

from benchmarks import synthetic

HEADER = "region_code,as_of,population,participants,active_participants,coverage_pct,"
HEADER += "not_enrolled,source\n"

counts = st.none() | st.integers(0, MAX_COUNT)
percents = st.none() | st.tuples(st.integers(0, 2), st.integers(0, 200_00)).map(
    lambda t: (round(t[1] / 100, t[0]), t[0])
)
dates = st.builds(
    PartialDate,
    st.integers(2014, 2026),
    st.none() | st.integers(1, 12),
).map(lambda d: d if d.month else PartialDate(d.year))


@st.composite
def figures(draw) -> Figure:
    pct = draw(percents)
    printed = Printed(
        draw(counts),
        draw(counts),
        draw(counts),
        pct[0] if pct else None,
        pct[1] if pct else 2,
        draw(counts),
        *(lambda active: (active[0], active[1]) if active else (None, 2))(draw(percents)),
    )
    return Figure(
        draw(st.sampled_from(["73.13", "73", "17.06"])),
        draw(dates),
        draw(st.sampled_from(["a", "b-2020"])),
        draw(st.sampled_from(["data/coverage/x.csv", "data/coverage/y.csv"])),
        draw(st.integers(2, 10**6)),
        printed,
        draw(st.booleans()),
        draw(st.booleans()),
    )


@given(st.lists(figures(), max_size=30))
def test_packed_figures_give_the_snapshots_derived_directly(items: list[Figure]):
    """Whatever was printed (within the loader's bounds), a region's Snapshots from the store
    equal those derived from the row at once, in date order, each date once, with the other
    sources of that date beside it (without a rank: in the order read); the same source again
    is a duplicate."""
    items = sorted(items, key=lambda f: (f.file, f.line))  # as the loader reads them
    store = FigureStore()
    for figure in items:
        store.add(figure)
    settled = store.finish()
    groups: dict[tuple[str, PartialDate], dict[str, Figure]] = {}
    for figure in items:
        groups.setdefault((figure.region_code, figure.as_of), {}).setdefault(
            figure.source_id, figure
        )
    for code in sorted({f.region_code for f in items}):
        expected = sorted(
            (
                replace(
                    next(iter(by_source.values())).snapshot(),
                    others=tuple(f.snapshot() for f in list(by_source.values())[1:]),
                )
                for (c, _), by_source in groups.items()
                if c == code
            ),
            key=lambda s: s.as_of.sort_key(),
        )
        assert list(store[code]) == expected
        cited = [s.source_id for e in expected for s in (e, *e.others)]
        assert store.source_ids(code) == list(dict.fromkeys(cited))
    assert store.count == len(groups)
    assert len(settled.duplicates) == len(items) - sum(len(g) for g in groups.values())
    disagreeing = sorted(len(g) for g in groups.values() if len(g) > 1)
    assert sorted(len(g) for g in settled.disagreements) == disagreeing
    assert list(store) == sorted({f.region_code for f in items})


@given(st.lists(figures(), max_size=30), st.sampled_from(["pct", "all", "none", "odd"]))
def test_newest_figures_made_alone_equal_those_of_the_whole_history(items, rule):
    """`newest` and `newest_of_each_year` (deriving the site without making every figure) give
    what scanning a region's whole history gives."""
    store = FigureStore()
    for figure in sorted(items, key=lambda f: (f.file, f.line)):
        store.add(figure)
    store.finish()
    counts = {
        "pct": lambda s: s.coverage_pct.known,
        "all": lambda s: True,
        "none": lambda s: False,
        "odd": lambda s: s.line % 2 == 1,
    }[rule]
    for code in ["73.13", "73", "17.06"]:
        history = list(store.get(code, ()))
        assert store.newest(code) == (history[-1] if history else None)
        by_year: dict[int, Snapshot] = {}
        for snapshot in history:
            if counts(snapshot):
                by_year[snapshot.as_of.year] = snapshot
        assert store.newest_of_each_year(code, counts) == list(by_year.values())


def test_the_site_derived_from_newest_figures_equals_one_from_whole_histories(tmp_path: Path):
    size = synthetic.Size(provinces=3, regencies=40, months=30, forums=12, sources=4)
    synthetic.generate(tmp_path / "data", size)
    dataset = load_dataset(tmp_path / "data", synthetic.TODAY)
    site = build_site(dataset)
    histories = Histories(dataset, keep=0)
    latest, by_year = {}, {}
    for code in dataset.snapshots_by_region:
        history = histories[code]
        latest[code] = history[-1]
        for a in history:
            if code in dataset.regencies and a.snapshot.coverage_pct.known:
                by_year.setdefault(a.snapshot.as_of.year, {})[code] = a.verdict
    assert site.latest == latest
    assert site.verdicts_by_year == by_year
    assert list(site.verdicts_by_year) == list(by_year), "years in the same order"
    assert len(by_year) >= 3 and sum(len(v) for v in by_year.values()) > 40


def test_printed_counts_fit_the_packed_record():
    """Counts are packed as 64-bit integers: the loader's bound keeps them far below."""
    assert MAX_COUNT < 2**63
    row = Row("data/coverage/x.csv", 2, {})
    assert check_printed(Printed(MAX_COUNT, MAX_COUNT, None, None, 2, 0), row) == []


def test_duplicates_across_files_name_the_first(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(SITE_DATA, data)
    row = "73.13,2019-05,376386,311536,,,,wajo-2020\n"
    (data / "coverage" / "a-first.csv").write_text(HEADER + row, encoding="utf-8")
    (data / "coverage" / "b-again.csv").write_text(HEADER + "\n" + row + row, encoding="utf-8")
    with pytest.raises(DataErrors) as caught:
        load_dataset(data, TODAY)
    errors = [e for e in caught.value.errors if e.kind == "duplicate-snapshot"]
    assert [(e.file, e.line) for e in errors] == [
        ("data/coverage/b-again.csv", 3),
        ("data/coverage/b-again.csv", 4),
    ]
    assert all(
        "73.13 2019-05 is already at data/coverage/a-first.csv:2 from the same source" in e.expected
        for e in errors
    )


def snapshots_alive() -> int:
    gc.collect()
    return sum(isinstance(o, Snapshot) for o in gc.get_objects())


def test_no_snapshot_is_kept_per_figure(tmp_path: Path):
    """Loading keeps none; deriving the site keeps each region's newest and a few histories."""
    size = synthetic.Size(provinces=3, regencies=40, months=24, forums=12, sources=4)
    synthetic.generate(tmp_path / "data", size)
    before = snapshots_alive()
    dataset = load_dataset(tmp_path / "data", synthetic.TODAY)
    assert dataset.snapshots_by_region.count >= 40 * 24
    assert snapshots_alive() == before
    site = build_site(dataset)
    site.histories.keep = 2
    kept = snapshots_alive() - before
    assert kept <= len(site.latest) + 2 * 24 + sum(len(f.commitments) for f in dataset.forums)
    assert kept < dataset.snapshots_by_region.count / 4
    del site, dataset


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The region codes whose Snapshots the figure store makes, in order."""
    codes: list[str] = []
    real = FigureStore.__getitem__

    def counting(store: FigureStore, code: str):
        codes.append(code)
        return real(store, code)

    monkeypatch.setattr(FigureStore, "__getitem__", counting)
    return codes


def test_histories_make_a_region_once_while_kept(made: list[str]):
    dataset = load_dataset(SITE_DATA, TODAY)
    histories = Histories(dataset, keep=1)
    codes = list(dataset.snapshots_by_region)
    assert len(codes) >= 2
    assert "73.13" in dataset.snapshots_by_region and "99.99" not in dataset.snapshots_by_region
    assert made == [], "asking whether a region has figures makes none of them"
    assert histories[codes[0]] is histories[codes[0]]
    histories[codes[1]]
    histories[codes[0]]
    assert made == [codes[0], codes[1], codes[0]]
    assert histories["99.99"] == []


def test_a_build_judges_each_regions_figures_once_for_chart_page_and_downloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, made: list[str]
):
    """A region's figures are made for its chart, and its page and downloads read them while
    they are kept, in each language's run; only judging a commitment makes them once more (once
    a build: the languages' runs share the model made from the same data)."""
    size = synthetic.Size(provinces=3, regencies=40, months=24, forums=12, sources=4)
    synthetic.generate(tmp_path / "data", size)
    # keep fewer regions than the site has: a second pass over them would make them again
    monkeypatch.setattr(render, "AHEAD", 1)
    monkeypatch.setattr(Histories.__init__, "__defaults__", (4,))
    project = make_project(tmp_path / "project", tmp_path / "data")
    output = build(project, UHC_TODAY=synthetic.TODAY.isoformat(), UHC_CHART_WORKERS=1)
    counts = Counter(made)
    dataset = load_dataset(tmp_path / "data", synthetic.TODAY)
    assert len(dataset.snapshots_by_region) > 1 + 16 + 4
    judged = {c.region_code for forum in dataset.forums for c in forum.commitments}
    assert judged and set(dataset.snapshots_by_region) - judged, "both kinds of region"
    settings = read_settings(str(project / "pelicanconf.py"))
    languages = len(settings["UHC_LANGUAGES"])  # each language's run charts them
    for code in dataset.snapshots_by_region:
        assert counts[code] == languages + (code in judged), code
        assert (
            code in dataset.provinces
            or (output / "wilayah" / code / f"cakupan-{code}.csv").is_file()
        )


@given(st.lists(figures(), max_size=30))
def test_figures_dated_and_made_one_at_a_time_are_those_of_the_whole_history(items):
    """`dated` (the national feed keys figures it does not make) and `at` (it makes the few
    still among the newest at the end) agree with the region's whole history."""
    store = FigureStore()
    for figure in sorted(items, key=lambda f: (f.file, f.line)):
        store.add(figure)
    store.finish()
    for code in store:
        history = list(store[code])
        assert store.dated(code) == [(s.as_of, s.source_id) for s in history]
        assert [store.at(code, i) for i in range(len(history))] == history


def test_the_national_feed_keys_every_figure_as_its_made_figure_sorts():
    dataset = load_dataset(SITE_DATA, TODAY)
    store = dataset.snapshots_by_region
    for code in store:
        for (as_of, source), snapshot in zip(store.dated(code), store[code], strict=True):
            key = feeds.figure_key(code, as_of, source, dataset)
            assert key == feeds.sort_key(snapshot, dataset)


def test_one_changed_row_makes_only_its_regions_figures_for_the_national_files(
    tmp_path: Path, made: list[str]
):
    """After one row changed, the national CSV and JSON take every other region's part from the
    last build and the national feed keys their figures without making them: the figure store
    makes the changed region's figures (and those of regions with a commitment to judge), not
    every region's, in either language's run."""
    size = synthetic.Size(provinces=3, regencies=40, months=24, forums=12, sources=4)
    synthetic.generate(tmp_path / "data", size)
    project = make_project(tmp_path / "project", tmp_path / "data")
    settings = {"UHC_TODAY": synthetic.TODAY.isoformat(), "UHC_CHART_WORKERS": 1}
    build(project, **settings)
    changed = sorted(synthetic.regency_codes(size))[7]
    synthetic.change_one_row(project / "data", changed)
    made.clear()
    output = build(project, **settings)
    dataset = load_dataset(project / "data", synthetic.TODAY)
    judged = {c.region_code for forum in dataset.forums for c in forum.commitments}
    assert changed in made
    assert set(made) <= {changed, *judged}
    assert len(set(dataset.snapshots_by_region) - {changed, *judged}) > 10
    national = (output / "data" / "cakupan.csv").read_text(encoding="utf-8")
    assert national.count("\n") - 1 == dataset.snapshots_by_region.count
