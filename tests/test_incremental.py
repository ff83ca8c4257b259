"""An incremental build equals a clean build, byte for byte, whatever was edited.

The property test edits a small site at random — a coverage row changed, added or removed, a
forum or a recognition added or removed, a source retitled or added above the others (every
later source's line moves, and with it the "Sunting data" links), a region renamed, a content
page, a template or a setting touched, an invalid row added and taken back — and after each edit
builds the site
incrementally (linking what the manifest shows unchanged) and from scratch, and compares the two
trees file for file. `UHC_EQUIVALENCE_EDITS` sets the number of edits (`make test-incremental`
runs 200), `UHC_EQUIVALENCE_SEED` the seed; a failure names the step, the seed and the edit.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import ROOT, TODAY, make_project, note_every_excerpt
from pagefind_files import decode, filters, is_unstable
from test_repeatable import first_difference, stable, tree
from uhc_portal.build import BuildReport, build_site
from uhc_portal.errors import DataErrors
from uhc_portal.incremental import manifest_path

EDITS = int(os.environ.get("UHC_EQUIVALENCE_EDITS", "12"))
SEED = int(os.environ.get("UHC_EQUIVALENCE_SEED", "20261130"))
NO_PUBLISHED_DATE = ("wajo-2025", "makassar-2024", "linggau-2018")  # any figure date may cite


def editable_project(where: Path) -> Path:
    """A project whose theme, content and settings are its own copies (edits must not reach the
    repository), with a repository set so that figure rows carry "Sunting data" links."""
    make_project(where)
    note_every_excerpt(where / "data")
    for name in ("theme", "content"):
        (where / name).unlink()
        shutil.copytree(ROOT / name, where / name)
    with open(where / "pelicanconf.py", "a", encoding="utf-8") as settings:
        settings.write('\nUHC_REPOSITORY = "contoh/pantau-uhc"\n')
    return where


def run_build(project: Path, output: str = "output") -> BuildReport:
    return build_site(
        project / "pelicanconf.py", project / output, {"UHC_TODAY": TODAY.isoformat()}
    )


def clean_build(project: Path) -> Path:
    """A build that cannot reuse anything: no previous output, no manifest (the chart cache,
    keyed by each chart's content, stays)."""
    output = (project / "clean").resolve()
    shutil.rmtree(output, ignore_errors=True)
    record = manifest_path(project / ".cache" / "charts", output)
    assert record is not None
    record.unlink(missing_ok=True)
    report = run_build(project, "clean")
    assert report.reused_units == 0 and report.units > 0
    return output


def assert_same_site(incremental: Path, clean: Path, what: str) -> None:
    first, second = tree(incremental), tree(clean)
    assert first_difference(stable(first), stable(second)) == "", what
    unstable = [sorted(k.split("_")[0] for k in t if is_unstable(k)) for t in (first, second)]
    assert unstable[0] == unstable[1], what  # the same Pagefind files, whatever their names
    for bundle in ("pagefind", "en/pagefind"):  # Pagefind's unstable files, by content
        a, b = incremental / bundle, clean / bundle
        assert filters(a) == filters(b), f"{what}: {bundle} filters"
        metas = [decode(next(x.glob("pagefind.*.pf_meta"))) for x in (a, b)]
        assert metas[0][:3] + metas[0][4:] == metas[1][:3] + metas[1][4:], what


class Editor:
    """Random edits to a project's data, content, theme and settings, each one valid unless
    it says so."""

    def __init__(self, project: Path, rng: random.Random):
        self.project, self.rng = project, rng
        self.data = project / "data"
        self.count = 0

    def coverage_lines(self) -> list[str]:
        return (self.data / "coverage" / "contoh.csv").read_text(encoding="utf-8").splitlines()

    def write_coverage(self, lines: list[str]) -> None:
        text = "\n".join(lines) + "\n"
        (self.data / "coverage" / "contoh.csv").write_text(text, encoding="utf-8")

    def regencies(self) -> list[str]:
        lines = (self.data / "regions" / "regencies.csv").read_text(encoding="utf-8").splitlines()
        return [line.split(",")[0] for line in lines[1:]]

    def free_date(self, code: str) -> str:
        taken = {tuple(line.split(",")[:2]) for line in self.coverage_lines()[1:]}
        while True:
            date = f"{self.rng.randint(2016, 2025)}-{self.rng.randint(1, 12):02d}"
            if (code, date) not in taken:
                return date

    def row(self, code: str, date: str) -> str:
        population = self.rng.randint(50_000, 3_000_000)
        pct = self.rng.uniform(55, 104)
        return f"{code},{date},{population},,,{pct:.2f},,{self.rng.choice(NO_PUBLISHED_DATE)}"

    # The edits: each returns what it did, in words for a failure message.

    def add_row(self) -> str:
        code = self.rng.choice(self.regencies())
        lines = self.coverage_lines()
        line = self.row(code, self.free_date(code))
        lines.insert(self.rng.randint(1, len(lines)), line)  # anywhere: later lines move
        self.write_coverage(lines)
        return f"row added: {line}"

    def change_row(self) -> str:
        lines = self.coverage_lines()
        if len(lines) < 2:
            return self.add_row()
        index = self.rng.randint(1, len(lines) - 1)
        code, date = lines[index].split(",")[:2]
        old, lines[index] = lines[index], self.row(code, date)
        self.write_coverage(lines)
        return f"row changed: {old} -> {lines[index]}"

    def remove_row(self) -> str:
        lines = self.coverage_lines()
        if len(lines) < 3:
            return self.add_row()
        removed = lines.pop(self.rng.randint(1, len(lines) - 1))
        self.write_coverage(lines)
        return f"row removed: {removed}"

    def add_forum(self) -> str:
        self.count += 1
        code = self.rng.choice(self.regencies())
        date = f"{self.rng.randint(2017, 2025)}-{self.rng.randint(1, 12):02d}-15"
        commitment = (
            f'commitments:\n  - deadline: "{self.rng.randint(2018, 2026)}"\n'
            f"    committed_by: Bupati\n    target_pct: {self.rng.choice([95, 98])}\n"
            if self.rng.random() < 0.6
            else ""
        )
        text = (
            f'date: "{date}"\nregions: ["{code}"]\ntitle: Forum contoh {self.count}\n'
            f"kind: {self.rng.choice(['forum-pku', 'rapat', 'sosialisasi'])}\n"
            f"summary: Ringkasan forum contoh nomor {self.count}.\n{commitment}"
            f"sources: [{self.rng.choice(NO_PUBLISHED_DATE)}]\n"
        )
        name = f"{date}-contoh-{self.count}.yaml"
        (self.data / "forums" / name).write_text(text, encoding="utf-8")
        return f"forum added: {name} ({code})"

    def remove_forum(self) -> str:
        forums = sorted((self.data / "forums").glob("*.yaml"))
        if not forums:
            return self.add_forum()
        chosen = self.rng.choice(forums)
        chosen.unlink()
        return f"forum removed: {chosen.name}"

    def retitle_source(self) -> str:
        self.count += 1
        path = self.data / "sources.yaml"
        text = path.read_text(encoding="utf-8")
        titles = list(re.finditer(r"^  title: .*$", text, re.M))
        chosen = self.rng.choice(titles)
        new = f"  title: Judul baru nomor {self.count}"
        path.write_text(text[: chosen.start()] + new + text[chosen.end() :], encoding="utf-8")
        return f"source retitled: {chosen.group(0).strip()} -> {new.strip()}"

    def add_source_above(self) -> str:
        self.count += 1
        path = self.data / "sources.yaml"
        block = (
            f"sumber-baru-{self.count}:\n  title: Sumber baru {self.count}\n"
            f"  excerpt: Kutipan sumber baru.\n"
        )
        path.write_text(block + path.read_text(encoding="utf-8"), encoding="utf-8")
        return f"source added above the others: sumber-baru-{self.count}"

    def rename_region(self) -> str:
        self.count += 1
        path = self.data / "regions" / "regencies.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        index = self.rng.randint(1, len(lines) - 1)
        code, province, name = lines[index].split(",", 2)
        prefix = "Kota " if name.startswith("Kota ") else "Kabupaten "
        lines[index] = f"{code},{province},{prefix}Contoh {self.count}"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return f"region renamed: {name} -> {lines[index]}"

    def touch_content(self) -> str:
        self.count += 1
        page = self.rng.choice(sorted((self.project / "content" / "pages").glob("*.md")))
        with open(page, "a", encoding="utf-8") as out:
            out.write(f"\nParagraf tambahan nomor {self.count}.\n")
        return f"content page touched: {page.name}"

    def touch_template(self) -> str:
        self.count += 1
        name = self.rng.choice(["base.html", "region.html", "page.html", "forum.html"])
        path = self.project / "theme" / "templates" / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.rstrip("\n") + f"\n<!-- perubahan {self.count} -->\n", "utf-8")
        return f"template touched: {name}"

    def touch_setting(self) -> str:
        self.count += 1
        path = self.project / "pelicanconf.py"
        with open(path, "a", encoding="utf-8") as out:
            out.write(f'SITENAME = "Pantau UHC {self.count}"\n')
        return "setting touched: SITENAME"

    def recognition_lines(self) -> list[str]:
        path = self.data / "recognitions" / "uhc-award.csv"
        return path.read_text(encoding="utf-8").splitlines()

    def add_recognition(self) -> str:
        provinces = (self.data / "regions" / "provinces.csv").read_text(encoding="utf-8")
        codes = self.regencies() + [line.split(",")[0] for line in provinces.splitlines()[1:]]
        lines = self.recognition_lines()
        taken = {tuple(line.split(",")) for line in lines[1:]}
        while True:
            category = self.rng.choice(["Utama", "Madya", "Pratama", ""])
            year = str(self.rng.randint(2018, 2025))
            row = (self.rng.choice(codes), year, "UHC Award", category)
            row += (self.rng.choice(NO_PUBLISHED_DATE),)
            if row not in taken:
                break
        line = ",".join(row)
        lines.insert(self.rng.randint(1, len(lines)), line)
        path = self.data / "recognitions" / "uhc-award.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return f"recognition added: {line}"

    def remove_recognition(self) -> str:
        lines = self.recognition_lines()
        if len(lines) < 2:
            return self.add_recognition()
        removed = lines.pop(self.rng.randint(1, len(lines) - 1))
        path = self.data / "recognitions" / "uhc-award.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return f"recognition removed: {removed}"

    def nothing(self) -> str:
        return "nothing changed"

    EDITS: ClassVar[dict[str, tuple[Callable[..., str] | None, int]]] = {
        "change_row": (change_row, 6),
        "add_row": (add_row, 5),
        "remove_row": (remove_row, 3),
        "add_forum": (add_forum, 2),
        "remove_forum": (remove_forum, 1),
        "retitle_source": (retitle_source, 2),
        "add_source_above": (add_source_above, 1),
        "rename_region": (rename_region, 1),
        "touch_content": (touch_content, 1),
        "touch_template": (touch_template, 1),
        "touch_setting": (touch_setting, 1),
        "add_recognition": (add_recognition, 1),
        "remove_recognition": (remove_recognition, 1),
        "nothing": (nothing, 1),
        "invalid_row": (None, 1),  # made and taken back by the test itself
    }

    def choose(self) -> str:
        kinds = list(self.EDITS)
        return self.rng.choices(kinds, weights=[w for _f, w in self.EDITS.values()])[0]

    def apply(self, kind: str) -> str:
        edit = self.EDITS[kind][0]
        assert edit is not None
        return edit(self)


def test_incremental_builds_equal_clean_builds(tmp_path):
    project = editable_project(tmp_path / "project")
    rng = random.Random(SEED)
    editor = Editor(project, rng)
    output = project / "output"
    run_build(project)
    done: Counter[str] = Counter()
    reused = 0
    for step in range(EDITS):
        kind = editor.choose()
        done[kind] += 1
        where = f"step {step + 1} of {EDITS} (UHC_EQUIVALENCE_SEED={SEED})"
        if kind == "invalid_row":
            before = tree(output)
            lines = editor.coverage_lines()
            editor.write_coverage([*lines, "73.13,2019-03,12x,,,90,,wajo-2025"])
            with pytest.raises(DataErrors):
                run_build(project)
            assert tree(output) == before, f"{where}: a failed build changed the site"
            editor.write_coverage(lines)
            continue
        what = editor.apply(kind)
        report = run_build(project)
        reused += report.reused_units + (report.units == 0)
        assert_same_site(output, clean_build(project), f"{where}: {what}")
    # Not vacuous: the incremental builds took something from the last one.
    assert reused > 0
    if EDITS >= 100:
        assert set(done) == set(Editor.EDITS), f"edits never made: {set(Editor.EDITS) - set(done)}"


def test_one_changed_row_renders_only_its_pages(tmp_path):
    """Wajo's newest row changed: Wajo's pages, its province's, the forum whose commitment is
    judged on Wajo's figures, the national pages and the feeds dated by the national feed
    (regions without figures); in both languages. Everything else is linked."""
    project = editable_project(tmp_path / "project")
    run_build(project)
    before = {p: p.stat().st_ino for p in (project / "output" / "wilayah").rglob("*.html")}
    csv = project / "data" / "coverage" / "contoh.csv"
    text = csv.read_text(encoding="utf-8")
    csv.write_text(text.replace(",97.50,,wajo-2025", ",97.40,,wajo-2025"), encoding="utf-8")
    report = run_build(project)
    units = {"wilayah:73.13", "wilayah:73", "forum:2020-10-26-wajo", "national", "wilayah:73.14"}
    assert sorted(report.rendered) == sorted(f"{f}:{u}" for f in ("", "en") for u in units)
    output = project / "output"
    makassar = output / "wilayah" / "73.71" / "index.html"
    assert makassar.stat().st_ino == before[makassar]  # linked, not written again
    wajo = output / "wilayah" / "73.13" / "index.html"
    assert wajo.stat().st_ino != before[wajo]
    assert "97,40" in wajo.read_text(encoding="utf-8")
    assert_same_site(output, clean_build(project), "Wajo's row changed")


def test_a_recognition_added_renders_its_regions_pages(tmp_path):
    """Makassar's new award: its page (and its province's, which lists it), the national
    pages, which count it, and the feeds dated by the national feed (a region without
    figures); in both languages. Wajo's page is linked."""
    project = editable_project(tmp_path / "project")
    run_build(project)
    output = project / "output"
    wajo = output / "wilayah" / "73.13" / "index.html"
    inode = wajo.stat().st_ino
    path = project / "data" / "recognitions" / "uhc-award.csv"
    with open(path, "a", encoding="utf-8") as out:
        out.write("73.71,2023,UHC Award,Madya,makassar-2024\n")
    report = run_build(project)
    units = {"wilayah:73.71", "wilayah:73", "national", "wilayah:73.14"}
    assert sorted(report.rendered) == sorted(f"{f}:{u}" for f in ("", "en") for u in units)
    assert wajo.stat().st_ino == inode
    assert "UHC Award 2023" in (output / "wilayah" / "73.71" / "index.html").read_text("utf-8")
    assert_same_site(output, clean_build(project), "Makassar's award added")


def test_nothing_changed_links_the_whole_site(tmp_path):
    project = editable_project(tmp_path / "project")
    run_build(project)
    page = project / "output" / "index.html"
    inode = page.stat().st_ino
    report = run_build(project)
    assert report.units == 0 and report.reused == report.files > 100
    assert page.stat().st_ino == inode


def test_a_file_changed_in_the_output_is_written_again(tmp_path):
    """The manifest records each file's size, time and inode: a page edited or removed by hand
    in the output is not trusted, and the build puts it right."""
    project = editable_project(tmp_path / "project")
    output = project / "output"
    run_build(project)
    expected = tree(output)
    (output / "wilayah" / "73.71" / "index.html").write_text("dirusak", encoding="utf-8")
    (output / "forum" / "atom.xml").unlink()
    report = run_build(project)
    assert report.units > 0  # not the whole-site shortcut
    assert {":wilayah:73.71", ":national"} <= set(report.rendered)
    assert ":wilayah:16.73" not in report.rendered
    after = tree(output)
    assert first_difference(stable(expected), stable(after)) == ""


@pytest.mark.parametrize("doubt", ["manifest removed", "manifest garbled", "other version"])
def test_any_doubt_about_the_manifest_means_a_full_build(tmp_path, doubt):
    project = editable_project(tmp_path / "project")
    run_build(project)
    record = manifest_path(project / ".cache" / "charts", (project / "output").resolve())
    assert record is not None and record.is_file()
    if doubt == "manifest removed":
        record.unlink()
    elif doubt == "manifest garbled":
        record.write_text("{not json", encoding="utf-8")
    else:
        record.write_text(record.read_text().replace('"version": 1', '"version": 0'))
    report = run_build(project)
    assert report.units > 0 and report.reused_units == 0


def test_a_changed_setting_means_a_full_build(tmp_path):
    project = editable_project(tmp_path / "project")
    run_build(project)
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as settings:
        settings.write('UHC_BRANCH = "utama"\n')
    report = run_build(project)
    assert report.units > 0 and report.reused_units == 0
    pages = (project / "output" / "wilayah" / "73.13" / "index.html").read_text("utf-8")
    assert "/blob/utama/data/" in pages or "/edit/utama/data/" in pages


def test_a_preview_puts_the_changed_regions_page_up_before_the_rest(tmp_path, monkeypatch):
    """With a session serving the output (the preview), the page of a regency whose row changed
    is replaced in the live site first; the rest arrives with the swap, and the result is the
    same site as a clean build."""
    import uhc_portal.build as build_module
    from uhc_portal.incremental import Session

    project = editable_project(tmp_path / "project")
    output = (project / "output").resolve()
    session = Session(early=output)
    build_site(project / "pelicanconf.py", output, {"UHC_TODAY": TODAY.isoformat()}, session)
    home_before = (output / "index.html").read_bytes()
    seen: dict[str, bytes] = {}
    swap = build_module.swap_into_place

    def look_then_swap(staging: Path, target: Path) -> None:
        seen["wajo"] = (target / "wilayah" / "73.13" / "index.html").read_bytes()
        seen["home"] = (target / "index.html").read_bytes()
        swap(staging, target)

    monkeypatch.setattr(build_module, "swap_into_place", look_then_swap)
    csv = project / "data" / "coverage" / "contoh.csv"
    text = csv.read_text(encoding="utf-8")
    csv.write_text(text.replace(",97.50,,wajo-2025", ",97.40,,wajo-2025"), encoding="utf-8")
    build_site(project / "pelicanconf.py", output, {"UHC_TODAY": TODAY.isoformat()}, session)
    assert "97,40" in seen["wajo"].decode("utf-8")  # up before the swap
    assert seen["home"] == home_before  # the rest came with the swap
    assert (output / "wilayah" / "73.13" / "index.html").read_bytes() == seen["wajo"]
    monkeypatch.undo()
    assert_same_site(output, clean_build(project), "a preview's rebuild")
