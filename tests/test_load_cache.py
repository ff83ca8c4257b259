"""Loading data/ again through a BuildSession (session.BuildSession.dataset) gives exactly what a
load without one gives, after any edit: the same Dataset (same figures, packed the same, same
order of everything) or the same errors, with the same lines. When nothing changed it returns
the previous Dataset itself; one changed forum is read without starting worker processes."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import os
import random
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, note_every_excerpt
from support import HEADER, TODAY, DataEditor, rows_file
from uhc_portal import dataset, forums
from uhc_portal.dataset import load_dataset
from uhc_portal.errors import DataErrors
from uhc_portal.model import Dataset
from uhc_portal.session import BuildSession
from uhc_portal.views import build_site


def describe(data: Dataset) -> tuple:
    """Everything a Dataset holds, in order, to compare two of them: every field's repr (dicts
    in their order, a Source with its line), and each region's figures as printed, as derived
    and as packed in the store."""
    store = data.snapshots_by_region
    fields = [
        (f.name, repr(getattr(data, f.name)))
        for f in dataclasses.fields(data)
        if f.name != "snapshots_by_region"
    ]
    figures = [(code, store.figures(code), store[code], store.source_ids(code)) for code in store]
    packed = (store._packed, list(store._dates.items()), store._sources, store._files)
    return fields, figures, store.count, packed


def outcome(
    data: Path, today: dt.date, cache: BuildSession | None = None, kept_in: Path | None = None
) -> tuple:
    try:
        loaded = cache.dataset(data, today, kept_in) if cache else load_dataset(data, today)
    except DataErrors as failed:
        errors = [(e.file, e.line, e.field, e.value, e.expected, e.kind) for e in failed.errors]
        return "errors", errors
    return "dataset", describe(loaded)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The repository's data, with two more coverage files (figures of one region and date in
    two files are likely) and one more source."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    note_every_excerpt(data)
    with (data / "sources.yaml").open("a", encoding="utf-8") as sources_yaml:
        sources_yaml.write(  # published after support.EARLIER: an error that day
            'laporan-uji-2025:\n  title: Laporan uji\n  published: "2025-03-01"\n'
            "  excerpt: Angka uji.\n  excerpt_note: tabel uji\n"
        )
    rng = random.Random(7)
    codes = [line.split(",")[0] for line in (data / "regions/regencies.csv").open()][1:40]
    sources = re.findall(r"^([a-z0-9-]+):", (data / "sources.yaml").read_text("utf-8"), re.M)
    for name in ("bps-2023.csv", "dinkes-2024.csv"):
        (data / "coverage" / name).write_text(rows_file(rng, codes, sources, 25), "utf-8")
    return data


@pytest.mark.parametrize(("seed", "processes"), [(1, "one"), (2, "one"), (3, "new for each load")])
def test_after_every_edit_a_cached_load_equals_a_load_without_cache(
    data: Path, seed: int, processes: str
):
    """In one process (one BuildSession, and the readings kept on disk), or in a new process
    for each load (a new BuildSession: only what is kept on disk)."""
    editor = DataEditor(data, random.Random(seed))
    kept_in = data.parent / "kept"
    cache = BuildSession()
    assert outcome(data, TODAY, cache, kept_in) == outcome(data, TODAY)
    kinds = {"dataset": 0, "errors": 0}
    for step in range(90):
        edit = editor.rng.choice(editor.load_edits())
        what = edit()
        if processes != "one":
            cache = BuildSession()
        cached = outcome(data, editor.today, cache, kept_in)
        fresh = outcome(data, editor.today)
        assert cached == fresh, f"step {step}: {what}"
        kinds[fresh[0]] += 1
        if editor.rng.random() < 0.7:
            while editor.undo:
                editor.undo.pop()()
        if fresh[0] == "errors" and editor.rng.random() < 0.5:
            editor.repair({error[0] for error in fresh[1]})
        elif editor.rng.random() < 0.05:
            editor.reset()
    assert min(kinds.values()) >= 10, f"edits gave both datasets and errors: {kinds}"


def test_nothing_changed_gives_the_same_dataset_object(data: Path):
    cache = BuildSession()
    first = cache.dataset(data, TODAY)
    assert cache.dataset(data, TODAY) is first
    assert load_dataset(data, TODAY) is not first
    other_day = cache.dataset(data, TODAY + dt.timedelta(days=1))
    assert other_day is not first
    assert describe(other_day) == describe(first)  # nothing here depends on that day
    assert cache.dataset(data, TODAY) is not first, "only the last load is kept"


def test_the_same_errors_again_when_nothing_changed(data: Path):
    cache = BuildSession()
    (data / "coverage" / "bps-2023.csv").write_text(HEADER + "99.99,2020,1,1,,,,x\n", "utf-8")
    with pytest.raises(DataErrors) as first:
        cache.dataset(data, TODAY)
    with pytest.raises(DataErrors) as again:
        cache.dataset(data, TODAY)
    assert again.value.errors == first.value.errors
    assert ("data/coverage/bps-2023.csv", 2) in [(e.file, e.line) for e in again.value.errors]


def test_a_file_deleted_then_added_back(data: Path):
    cache = BuildSession()
    whole = cache.dataset(data, TODAY)
    dinkes = data / "coverage" / "dinkes-2024.csv"
    text = dinkes.read_text("utf-8")
    dinkes.unlink()
    without = cache.dataset(data, TODAY)
    assert describe(without) == describe(load_dataset(data, TODAY))
    # dinkes-2024.csv's random rows may share a region and date with a real figure: two sources
    # of one figure, which stays when one of them goes
    keys = {tuple(row[:2]) for row in csv.reader(text.splitlines()[1:])}
    elsewhere = {
        tuple(row[:2])
        for path in (data / "coverage").glob("*.csv")
        for row in csv.reader(path.read_text("utf-8").splitlines()[1:])
    }
    assert without.snapshots_by_region.count == whole.snapshots_by_region.count - len(
        keys - elsewhere
    )
    dinkes.write_text(text, "utf-8")
    again = cache.dataset(data, TODAY)
    assert describe(again) == describe(whole)
    (data / "forums" / "2018-blitar-rapat-persiapan-uhc.yaml").unlink()
    fewer = cache.dataset(data, TODAY)
    assert [f.slug for f in fewer.forums] == [
        f.slug for f in whole.forums if f.slug != "2018-blitar-rapat-persiapan-uhc"
    ]


def test_a_coverage_file_sorted_before_the_others_moves_them_all(data: Path):
    cache = BuildSession()
    cache.dataset(data, TODAY)
    (data / "coverage" / "0-awal.csv").write_text(HEADER + "73.13,2015-01,10,5,,,,x\n", "utf-8")
    with pytest.raises(DataErrors):
        cache.dataset(data, TODAY)  # unknown source x
    source = re.findall(r"^([a-z0-9-]+):", (data / "sources.yaml").read_text("utf-8"), re.M)[0]
    (data / "coverage" / "0-awal.csv").write_text(
        HEADER + f"73.13,2015-01,10,5,,,,{source}\n", "utf-8"
    )
    assert outcome(data, TODAY, cache) == outcome(data, TODAY)
    store = cache.dataset(data, TODAY).snapshots_by_region
    assert store.figures("73.13")[0].file == "data/coverage/0-awal.csv"


def test_one_changed_forum_is_read_without_worker_processes(data: Path, monkeypatch):
    for n in range(6):
        shutil.copy(
            data / "forums" / "2018-blitar-rapat-persiapan-uhc.yaml",
            data / "forums" / f"2019-salinan-{n}.yaml",
        )
    monkeypatch.setattr(forums, "PARALLEL_FORUMS_FROM", 4)
    monkeypatch.setattr(forums, "usable_cores", lambda: 2)
    started: list[int] = []
    real_pool = forums.spawn_pool
    monkeypatch.setattr(forums, "spawn_pool", lambda n: started.append(n) or real_pool(n))
    cache = BuildSession()
    first = cache.dataset(data, TODAY)
    assert started == [2], "twelve forums to read: in workers"
    edited = data / "forums" / "2019-salinan-3.yaml"
    edited.write_text(edited.read_text("utf-8").replace("title: ", "title: Ubah "), "utf-8")
    changed = cache.dataset(data, TODAY)
    assert started == [2], "one forum to read: here"
    title = next(f.title for f in changed.forums if f.slug == "2019-salinan-3")
    assert title.startswith("Ubah ")
    assert describe(changed) == describe(load_dataset(data, TODAY))
    assert changed.snapshots_by_region is first.snapshots_by_region, "no coverage file changed"


def test_deriving_the_site_leaves_the_dataset_as_it_was(data: Path):
    """A cached Dataset is handed to every later build: nothing downstream may change it."""
    loaded = BuildSession().dataset(data, TODAY)
    before = describe(loaded)
    site = build_site(loaded)
    for code in site.regions:
        site.histories[code]
    assert describe(loaded) == before


def test_an_edit_of_the_same_size_within_one_time_stamp_is_read(data: Path):
    cache = BuildSession()
    cache.dataset(data, TODAY)
    path = data / "coverage" / "berita-awal.csv"
    before = path.stat()
    path.write_text(path.read_text("utf-8").replace("311536", "311537"), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    wajo = cache.dataset(data, TODAY).snapshots_by_region.figures("73.13")
    assert [f.printed.participants for f in wajo if f.file == "data/coverage/berita-awal.csv"] == [
        311537
    ]


def test_a_file_made_invalid_then_valid_again(data: Path):
    cache = BuildSession()
    valid = outcome(data, TODAY, cache)
    forum = data / "forums" / "2020-10-26-wajo-forum-pku.yaml"
    text = forum.read_text("utf-8")
    forum.write_text(text.replace("title:", "title: [", 1), "utf-8")
    broken = outcome(data, TODAY, cache)
    assert broken[0] == "errors" and broken == outcome(data, TODAY)
    assert {e[0] for e in broken[1]} == {"data/forums/2020-10-26-wajo-forum-pku.yaml"}
    forum.write_text(text, "utf-8")
    assert outcome(data, TODAY, cache) == valid


def test_a_new_process_reads_no_unchanged_file_again(data: Path, monkeypatch):
    """The coverage files' packed figures and the forums are kept on disk (in no code's
    format): a new process takes them back for the same bytes, and reads only what changed."""
    kept_in = data.parent / "kept"
    first = BuildSession().dataset(data, TODAY, kept_in)
    packs = sorted(p.name for p in kept_in.glob("*.pack"))
    assert len(packs) == len(list((data / "coverage").glob("*.csv")))
    read: list[str] = []
    real_coverage, real_forum = dataset.read_coverage_file, forums.load_forum
    monkeypatch.setattr(
        dataset,
        "read_coverage_file",
        lambda path, *a: read.append(path.name) or real_coverage(path, *a),
    )
    monkeypatch.setattr(
        forums, "load_forum", lambda path, *a: read.append(path.name) or real_forum(path, *a)
    )
    again = BuildSession().dataset(data, TODAY, kept_in)
    assert read == []
    assert describe(again) == describe(first)
    edited = data / "coverage" / "dinkes-2024.csv"
    lines = edited.read_text("utf-8").splitlines(keepends=True)
    edited.write_text("".join(lines[:-1]), "utf-8")  # its last row gone
    forum = data / "forums" / "2018-blitar-rapat-persiapan-uhc.yaml"
    forum.write_text(forum.read_text("utf-8").replace("title: ", "title: Ubah "), "utf-8")
    changed = BuildSession().dataset(data, TODAY, kept_in)
    assert sorted(read) == ["2018-blitar-rapat-persiapan-uhc.yaml", "dinkes-2024.csv"]
    assert describe(changed) == describe(load_dataset(data, TODAY))
    now = sorted(p.name for p in kept_in.glob("*.pack"))
    assert len(now) == len(packs) and len(set(now) - set(packs)) == 1, "the old pack removed"
    read.clear()
    BuildSession().dataset(data, TODAY + dt.timedelta(days=1), kept_in)
    assert len(read) == len(packs) + len(list((data / "forums").glob("*.yaml"))), (
        "another day: every file read again"
    )


def test_a_kept_reading_that_is_cut_short_or_not_ours_is_read_again(data: Path):
    kept_in = data.parent / "kept"
    first = describe(BuildSession().dataset(data, TODAY, kept_in))
    packs = sorted(kept_in.glob("*.pack"))
    packs[0].write_bytes(packs[0].read_bytes()[:-7])
    packs[1].write_bytes(b"not a pack")
    (kept_in / forums.FORUMS_FILE).write_text('{"x": [1, 2]', "utf-8")
    assert describe(BuildSession().dataset(data, TODAY, kept_in)) == first
    lines = (kept_in / forums.FORUMS_FILE).read_text("utf-8").splitlines(keepends=True)
    name, _tab, record = lines[0].partition("\t")
    wrong = {**json.loads(record), "commitments": "not a list of them"}
    lines[0] = f"{name}\t{json.dumps(wrong)}\n"
    lines[1] = lines[1][: len(lines[1]) // 2]  # cut short
    (kept_in / forums.FORUMS_FILE).write_text("".join(lines), "utf-8")
    assert describe(BuildSession().dataset(data, TODAY, kept_in)) == first


def test_a_file_with_errors_is_not_kept(data: Path):
    kept_in = data.parent / "kept"
    (data / "coverage" / "bps-2023.csv").write_text(HEADER + "99.99,2020,1,1,,,,x\n", "utf-8")
    with pytest.raises(DataErrors):
        BuildSession().dataset(data, TODAY, kept_in)
    packs = len(list(kept_in.glob("*.pack")))
    assert packs == len(list((data / "coverage").glob("*.csv"))) - 1
