"""Loading data/ again with a LoadCache (dataset.load_dataset(..., cache)) gives exactly what a
load without one gives, after any edit: the same Dataset (same figures, packed the same, same
order of everything) or the same errors, with the same lines. When nothing changed it returns
the previous Dataset itself; one changed forum is read without starting worker processes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, note_every_excerpt
from uhc_portal import dataset
from uhc_portal.datacache import LoadCache
from uhc_portal.dataset import load_dataset
from uhc_portal.errors import DataErrors
from uhc_portal.model import Dataset
from uhc_portal.views import build_site

HEADER = "region_code,as_of,population,participants,active_participants,coverage_pct,"
HEADER += "not_enrolled,source\n"
EARLIER = dt.date(2024, 12, 31)  # a `today` before some figures' dates: they become errors


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


def outcome(data: Path, today: dt.date, cache: LoadCache | None = None) -> tuple:
    try:
        loaded = load_dataset(data, today, cache)
    except DataErrors as failed:
        errors = [(e.file, e.line, e.field, e.value, e.expected, e.kind) for e in failed.errors]
        return "errors", errors
    return "dataset", describe(loaded)


def rows_file(rng: random.Random, codes: list[str], sources: list[str], count: int) -> str:
    lines = [HEADER]
    for _ in range(count):
        population = rng.randrange(50_000, 3_000_000)
        participants = rng.randrange(population // 2, population)
        year, month = rng.randrange(2015, 2026), rng.randrange(1, 13)
        source = rng.choice(sources)
        lines.append(
            f"{rng.choice(codes)},{year}-{month:02d},{population},{participants},,,,{source}\n"
        )
    return "".join(lines)


class Editor:
    """Random edits of a data folder, each a steward's kind of change, with a fixed seed."""

    def __init__(self, data: Path, seed: int):
        self.data = data
        self.rng = random.Random(seed)
        self.today = TODAY
        self.original = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
        self.codes = [line.split(",")[0] for line in self.lines("regions/regencies.csv")[1:]]
        self.sources = re.findall(r"^([a-z0-9-]+):", self.text("sources.yaml"), re.M)
        self.made = 0
        self.undo: list[Callable[[], None]] = []  # edits that break other files, undone later

    def later_restore(self, name: str) -> None:
        path, before = self.data / name, (self.data / name).read_bytes()
        self.undo.append(lambda: path.write_bytes(before))

    def text(self, name: str) -> str:
        return (self.data / name).read_text(encoding="utf-8")

    def lines(self, name: str) -> list[str]:
        return self.text(name).splitlines(keepends=True)

    def write(self, name: str, lines: list[str] | str) -> None:
        text = lines if isinstance(lines, str) else "".join(lines)
        (self.data / name).write_text(text, encoding="utf-8")

    def coverage_files(self) -> list[str]:
        return [f"coverage/{p.name}" for p in sorted((self.data / "coverage").glob("*.csv"))]

    def forum_files(self) -> list[str]:
        return [f"forums/{p.name}" for p in sorted((self.data / "forums").glob("*.yaml"))]

    def pick_row(self) -> tuple[str, list[str], int] | None:
        files = [f for f in self.coverage_files() if len(self.lines(f)) > 1]
        if not files:
            return None
        name = self.rng.choice(files)
        lines = self.lines(name)
        return name, lines, self.rng.randrange(1, len(lines))

    # Coverage files

    def row_changed(self) -> str:
        if not (picked := self.pick_row()):
            return self.row_added()
        name, lines, index = picked
        cells = lines[index].rstrip("\n").split(",")
        if len(cells) == 8 and cells[3].isdigit():
            cells[3] = str(int(cells[3]) + self.rng.choice((-1, 1, 1000)))
        lines[index] = ",".join(cells) + "\n"
        self.write(name, lines)
        return f"row changed in {name}"

    def row_added(self) -> str:
        name = self.rng.choice(self.coverage_files() or ["coverage/baru.csv"])
        lines = self.lines(name) if (self.data / name).exists() else [HEADER]
        row = rows_file(self.rng, self.codes[:40], self.sources, 1).split("\n", 1)[1]
        lines.insert(self.rng.randrange(1, len(lines) + 1), row)
        self.write(name, lines)
        return f"row added to {name}"

    def row_removed(self) -> str:
        if not (picked := self.pick_row()):
            return self.row_added()
        name, lines, index = picked
        del lines[index]
        self.write(name, lines)
        return f"row removed from {name}"

    def row_made_invalid(self) -> str:
        if not (picked := self.pick_row()):
            return self.row_added()
        name, lines, index = picked
        cells = lines[index].rstrip("\n").split(",")
        if len(cells) == 8:
            field = self.rng.randrange(4)
            cells[field] = ("99.99", "2020-13", "1.000.000", "82,77")[field]
        lines[index] = ",".join(cells) + "\n"
        self.write(name, lines)
        return f"row made invalid in {name}"

    def same_size_edit(self) -> str:
        """One digit changed for another, the file's size and time stamp kept."""
        if not (picked := self.pick_row()):
            return self.row_added()
        name, lines, index = picked
        path = self.data / name
        before = path.stat()
        digits = [i for i, c in enumerate(lines[index]) if c in "123456789" and i > 12]
        if digits:
            i = self.rng.choice(digits)
            line = lines[index]
            lines[index] = line[:i] + str(int(line[i]) % 9 + 1) + line[i + 1 :]
        self.write(name, lines)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert path.stat().st_size == before.st_size
        return f"one digit changed in {name}, same size and time"

    def coverage_file_added(self) -> str:
        self.made += 1
        name = f"coverage/{self.rng.choice('0az')}-tambahan-{self.made}.csv"
        self.write(name, rows_file(self.rng, self.codes[:60], self.sources, 8))
        return f"{name} added"

    def coverage_file_removed(self) -> str:
        name = self.rng.choice(self.coverage_files())
        (self.data / name).unlink()
        return f"{name} removed"

    def coverage_file_renamed(self) -> str:
        name = self.rng.choice(self.coverage_files())
        self.made += 1
        new = f"coverage/{self.rng.choice('0az')}-nama-{self.made}.csv"
        (self.data / name).rename(self.data / new)
        return f"{name} renamed {new}"

    # Forums

    def forum_added(self) -> str:
        self.made += 1
        new = f"forums/2023-salinan-{self.made}.yaml"
        self.write(new, self.text(self.rng.choice(self.forum_files())))
        return f"{new} added"

    def forum_edited(self) -> str:
        name = self.rng.choice(self.forum_files())
        text = self.text(name)
        change = self.rng.randrange(4)
        if change == 0:
            text = re.sub(r"^title: (.*)$", r"title: \1 (diubah)", text, count=1, flags=re.M)
        elif change == 1:
            text = re.sub(r'^regions: \["', 'regions: ["99.99", "', text, count=1, flags=re.M)
        elif change == 2:
            text = re.sub(r"^date: .*$", 'date: "2025-06-01"', text, count=1, flags=re.M)
        else:
            text = text.replace("title:", "title: [", 1)  # not YAML any more
        self.write(name, text)
        return f"{name} edited ({change})"

    def forum_removed(self) -> str:
        name = self.rng.choice(self.forum_files())
        (self.data / name).unlink()
        return f"{name} removed"

    # Sources, corrections, regions, aliases, rules

    def source_retitled(self) -> str:
        text = self.text("sources.yaml")
        titles = list(re.finditer(r"^  title: .*$", text, re.M))
        found = self.rng.choice(titles)
        self.write("sources.yaml", text[: found.end()] + " (edisi baru)" + text[found.end() :])
        return "a source retitled"

    def source_moved(self) -> str:
        """The last source's block moved to the top: same sources, other lines."""
        text = self.text("sources.yaml")
        starts = [m.start() for m in re.finditer(r"^[a-z0-9-]+:", text, re.M)]
        if len(starts) < 2:
            return "no source to move"
        self.write("sources.yaml", text[starts[-1] :] + text[: starts[-1]])
        return "a source moved"

    def source_removed(self) -> str:
        text = self.text("sources.yaml")
        blocks = list(re.finditer(r"^[a-z0-9-]+:\n(?:  .*\n|    .*\n)*", text, re.M))
        found = self.rng.choice(blocks)
        self.later_restore("sources.yaml")
        self.write("sources.yaml", text[: found.start()] + text[found.end() :])
        return "a source removed"

    def correction_added(self) -> str:
        if not (picked := self.pick_row()):
            return self.row_added()
        name, lines, index = picked
        cells = lines[index].rstrip("\n").split(",")
        if len(cells) != 8:
            return "no correction (a broken row)"
        code, as_of, *numbers, source = cells
        fields = ("population", "participants", "active_participants", "coverage_pct")
        fields += ("not_enrolled",)
        now = [f"{f}: {n}" for f, n in zip(fields, numbers, strict=True) if n]
        if self.rng.random() < 0.3 and now:
            now[0] += "1"  # not what the row prints: a mismatch
        text = self.text("corrections.yaml").replace("corrections: []", "corrections:")
        self.made += 1
        text += (
            f'  - region: "{code}"\n    as_of: "{as_of}"\n'
            f"    was: {{population: 1, source: {source}}}\n"
            f"    now: {{{', '.join([*now, f'source: {source}'])}}}\n"
            f'    date: "2024-0{self.rng.randrange(1, 10)}-01"\n'
            f"    reason: Uji {self.made}.\n    source: {source}\n"
        )
        self.write("corrections.yaml", text)
        return f"a correction of {name}:{index + 1} added"

    def region_renamed(self) -> str:
        lines = self.lines("regions/regencies.csv")
        index = self.rng.randrange(1, len(lines))
        lines[index] = lines[index].rstrip("\n") + " Baru\n"
        self.write("regions/regencies.csv", lines)
        return "a regency renamed"

    def region_removed(self) -> str:
        lines = self.lines("regions/regencies.csv")
        used = [i for i, line in enumerate(lines) if line[:5] in ("73.13", "17.06", "16.73")]
        index = self.rng.choice(used)
        del lines[index]
        self.later_restore("regions/regencies.csv")
        self.write("regions/regencies.csv", lines)
        return "a regency removed (its figures' code now unknown)"

    def province_removed(self) -> str:
        lines = self.lines("regions/provinces.csv")
        index = self.rng.randrange(1, len(lines))
        del lines[index]
        self.later_restore("regions/provinces.csv")
        self.write("regions/provinces.csv", lines)
        return "a province removed (its tile and regencies now unknown)"

    def alias_edited(self) -> str:
        text = self.text("regions/aliases.yaml")
        self.made += 1
        code = self.rng.choice([*self.codes[:20], "99.99"])
        self.write("regions/aliases.yaml", text + f'"Nama lain {self.made}": "{code}"\n')
        return "an alias added"

    def rules_touched(self) -> str:
        text = self.text("rules.yaml")
        if self.rng.random() < 0.5:
            text = "# komentar baru\n" + text  # every line moves down one
        else:
            text = text.replace('valid_to: "2024-12-31"', 'valid_to: "2025-06-30"', 1)
        self.write("rules.yaml", text)
        return "rules.yaml touched"

    def today_changed(self) -> str:
        self.today = EARLIER
        self.undo.append(lambda: setattr(self, "today", TODAY))
        return f"today is {self.today}"

    def restored(self) -> str:
        """A file back as it was (an invalid one becomes valid again), or a removed one back."""
        path = self.rng.choice(sorted(self.original))
        path.write_bytes(self.original[path])
        return f"{path.relative_to(self.data)} restored"

    def nothing(self) -> str:
        return "nothing"

    def repair(self, files: set[str]) -> None:
        """The files named in errors back as they were (or gone, if new): often valid again."""
        for name in files:
            path = self.data.parent / name
            if path in self.original:
                path.write_bytes(self.original[path])
            elif path.exists():
                path.unlink()

    def reset(self) -> None:
        """Every file as it was at the start, none other."""
        for path in self.data.rglob("*"):
            if path.is_file() and path not in self.original:
                path.unlink()
        for path, content in self.original.items():
            path.write_bytes(content)

    def edits(self) -> list[Callable[[], str]]:
        return [
            self.row_changed,
            self.row_changed,
            self.row_added,
            self.row_removed,
            self.row_made_invalid,
            self.same_size_edit,
            self.coverage_file_added,
            self.coverage_file_removed,
            self.coverage_file_renamed,
            self.forum_added,
            self.forum_edited,
            self.forum_removed,
            self.source_retitled,
            self.source_moved,
            self.source_removed,
            self.correction_added,
            self.correction_added,
            self.region_renamed,
            self.region_removed,
            self.province_removed,
            self.alias_edited,
            self.rules_touched,
            self.today_changed,
            self.restored,
            self.restored,
            self.restored,
            self.nothing,
        ]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The repository's data, with two more coverage files (figures of one region and date in
    two files are likely) and one more source."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    note_every_excerpt(data)
    with (data / "sources.yaml").open("a", encoding="utf-8") as sources_yaml:
        sources_yaml.write(  # published after EARLIER: an error on that day
            'laporan-uji-2025:\n  title: Laporan uji\n  published: "2025-03-01"\n'
            "  excerpt: Angka uji.\n  excerpt_note: tabel uji\n"
        )
    rng = random.Random(7)
    codes = [line.split(",")[0] for line in (data / "regions/regencies.csv").open()][1:40]
    sources = re.findall(r"^([a-z0-9-]+):", (data / "sources.yaml").read_text("utf-8"), re.M)
    for name in ("bps-2023.csv", "dinkes-2024.csv"):
        (data / "coverage" / name).write_text(rows_file(rng, codes, sources, 25), "utf-8")
    return data


@pytest.mark.parametrize("seed", [1, 2])
def test_after_every_edit_a_cached_load_equals_a_load_without_cache(data: Path, seed: int):
    editor = Editor(data, seed)
    cache = LoadCache()
    assert outcome(data, TODAY, cache) == outcome(data, TODAY)
    kinds = {"dataset": 0, "errors": 0}
    for step in range(90):
        edit = editor.rng.choice(editor.edits())
        what = edit()
        cached = outcome(data, editor.today, cache)
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
    cache = LoadCache()
    first = load_dataset(data, TODAY, cache)
    assert load_dataset(data, TODAY, cache) is first
    assert load_dataset(data, TODAY) is not first
    other_day = load_dataset(data, TODAY + dt.timedelta(days=1), cache)
    assert other_day is not first
    assert describe(other_day) == describe(first)  # nothing here depends on that day
    assert load_dataset(data, TODAY, cache) is not first, "only the last load is kept"


def test_the_same_errors_again_when_nothing_changed(data: Path):
    cache = LoadCache()
    (data / "coverage" / "bps-2023.csv").write_text(HEADER + "99.99,2020,1,1,,,,x\n", "utf-8")
    with pytest.raises(DataErrors) as first:
        load_dataset(data, TODAY, cache)
    with pytest.raises(DataErrors) as again:
        load_dataset(data, TODAY, cache)
    assert again.value.errors == first.value.errors
    assert ("data/coverage/bps-2023.csv", 2) in [(e.file, e.line) for e in again.value.errors]


def test_a_file_deleted_then_added_back(data: Path):
    cache = LoadCache()
    whole = load_dataset(data, TODAY, cache)
    dinkes = data / "coverage" / "dinkes-2024.csv"
    text = dinkes.read_text("utf-8")
    dinkes.unlink()
    without = load_dataset(data, TODAY, cache)
    assert describe(without) == describe(load_dataset(data, TODAY))
    assert without.snapshots_by_region.count == whole.snapshots_by_region.count - 25
    dinkes.write_text(text, "utf-8")
    again = load_dataset(data, TODAY, cache)
    assert describe(again) == describe(whole)
    (data / "forums" / "2018-blitar-rapat-persiapan-uhc.yaml").unlink()
    fewer = load_dataset(data, TODAY, cache)
    assert [f.slug for f in fewer.forums] == [
        f.slug for f in whole.forums if f.slug != "2018-blitar-rapat-persiapan-uhc"
    ]


def test_a_coverage_file_sorted_before_the_others_moves_them_all(data: Path):
    cache = LoadCache()
    load_dataset(data, TODAY, cache)
    (data / "coverage" / "0-awal.csv").write_text(HEADER + "73.13,2015-01,10,5,,,,x\n", "utf-8")
    with pytest.raises(DataErrors):
        load_dataset(data, TODAY, cache)  # unknown source x
    source = re.findall(r"^([a-z0-9-]+):", (data / "sources.yaml").read_text("utf-8"), re.M)[0]
    (data / "coverage" / "0-awal.csv").write_text(
        HEADER + f"73.13,2015-01,10,5,,,,{source}\n", "utf-8"
    )
    assert outcome(data, TODAY, cache) == outcome(data, TODAY)
    store = load_dataset(data, TODAY, cache).snapshots_by_region
    assert store.figures("73.13")[0].file == "data/coverage/0-awal.csv"


def test_one_changed_forum_is_read_without_worker_processes(data: Path, monkeypatch):
    for n in range(6):
        shutil.copy(
            data / "forums" / "2018-blitar-rapat-persiapan-uhc.yaml",
            data / "forums" / f"2019-salinan-{n}.yaml",
        )
    monkeypatch.setattr(dataset, "PARALLEL_FORUMS_FROM", 4)
    monkeypatch.setattr(dataset, "usable_cores", lambda: 2)
    started: list[int] = []
    real_pool = dataset.spawn_pool
    monkeypatch.setattr(dataset, "spawn_pool", lambda n: started.append(n) or real_pool(n))
    cache = LoadCache()
    first = load_dataset(data, TODAY, cache)
    assert started == [2], "twelve forums to read: in workers"
    edited = data / "forums" / "2019-salinan-3.yaml"
    edited.write_text(edited.read_text("utf-8").replace("title: ", "title: Ubah "), "utf-8")
    changed = load_dataset(data, TODAY, cache)
    assert started == [2], "one forum to read: here"
    title = next(f.title for f in changed.forums if f.slug == "2019-salinan-3")
    assert title.startswith("Ubah ")
    assert describe(changed) == describe(load_dataset(data, TODAY))
    assert changed.snapshots_by_region is first.snapshots_by_region, "no coverage file changed"


def test_deriving_the_site_leaves_the_dataset_as_it_was(data: Path):
    """A cached Dataset is handed to every later build: nothing downstream may change it."""
    loaded = load_dataset(data, TODAY, LoadCache())
    before = describe(loaded)
    site = build_site(loaded)
    for code in site.regions:
        site.histories[code]
    assert describe(loaded) == before


def test_an_edit_of_the_same_size_within_one_time_stamp_is_read(data: Path):
    cache = LoadCache()
    load_dataset(data, TODAY, cache)
    path = data / "coverage" / "berita-awal.csv"
    before = path.stat()
    path.write_text(path.read_text("utf-8").replace("311536", "311537"), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    wajo = load_dataset(data, TODAY, cache).snapshots_by_region.figures("73.13")
    assert [f.printed.participants for f in wajo if f.file == "data/coverage/berita-awal.csv"] == [
        311537
    ]


def test_a_file_made_invalid_then_valid_again(data: Path):
    cache = LoadCache()
    valid = outcome(data, TODAY, cache)
    forum = data / "forums" / "2020-10-26-wajo-forum-pku.yaml"
    text = forum.read_text("utf-8")
    forum.write_text(text.replace("title:", "title: [", 1), "utf-8")
    broken = outcome(data, TODAY, cache)
    assert broken[0] == "errors" and broken == outcome(data, TODAY)
    assert {e[0] for e in broken[1]} == {"data/forums/2020-10-26-wajo-forum-pku.yaml"}
    forum.write_text(text, "utf-8")
    assert outcome(data, TODAY, cache) == valid
