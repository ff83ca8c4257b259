"""An incremental build equals a clean build, byte for byte, whatever was edited.

The property test edits a small site at random (tests/support.py's DataEditor) — a coverage
row changed, added or removed, a forum or a recognition added or removed, a source retitled or
added above the others (every later source's line moves, and with it the "Sunting data" links),
a region renamed, a content page, a template or a setting touched, an invalid row added and
taken back — and after each edit builds the site incrementally (linking what the manifest shows
unchanged) and from scratch, and compares the two
trees file for file. `UHC_EQUIVALENCE_EDITS` sets the number of edits (`make test-incremental`
runs 200), `UHC_EQUIVALENCE_SEED` the seed; a failure names the step, the seed and the edit.
"""

from __future__ import annotations

import os
import random
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, make_project, note_every_excerpt
from pagefind_files import decode, filters, is_unstable
from support import TODAY, DataEditor, first_difference, stable, tree
from uhc_portal.build import BuildReport, build_site
from uhc_portal.errors import DataErrors
from uhc_portal.incremental import manifest_path
from uhc_portal.session import BuildSession

EDITS = int(os.environ.get("UHC_EQUIVALENCE_EDITS", "12"))
SEED = int(os.environ.get("UHC_EQUIVALENCE_SEED", "20261130"))


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


def run_build(
    project: Path, output: str = "output", session: BuildSession | None = None
) -> BuildReport:
    return build_site(
        project / "pelicanconf.py",
        project / output,
        {"UHC_TODAY": TODAY.isoformat()},
        session=session,
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


def test_incremental_builds_equal_clean_builds(tmp_path):
    project = editable_project(tmp_path / "project")
    rng = random.Random(SEED)
    editor = DataEditor(project / "data", rng)
    output = project / "output"
    # The incremental builds keep one session, as the preview server does: what it kept from
    # the last build must give the same site as a clean build too.
    session = BuildSession()
    run_build(project, session=session)
    done: Counter[str] = Counter()
    reused = 0
    for step in range(EDITS):
        kind = editor.choose()
        done[kind] += 1
        where = f"step {step + 1} of {EDITS} (UHC_EQUIVALENCE_SEED={SEED})"
        if kind == "invalid_row":
            before = tree(output)
            lines = editor.sample_lines()
            editor.write_sample([*lines, "73.13,2019-03,12x,,,90,,wajo-2025"])
            with pytest.raises(DataErrors):
                run_build(project, session=session)
            assert tree(output) == before, f"{where}: a failed build changed the site"
            editor.write_sample(lines)
            continue
        what = editor.apply(kind)
        report = run_build(project, session=session)
        reused += report.reused_units + (report.units == 0)
        assert_same_site(output, clean_build(project), f"{where}: {what}")
    # Not vacuous: the incremental builds took something from the last one.
    assert reused > 0
    if EDITS >= 100:
        edits = set(DataEditor.BUILD_EDITS)
        assert set(done) == edits, f"edits never made: {edits - set(done)}"


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
    from uhc_portal.session import BuildSession

    project = editable_project(tmp_path / "project")
    output = (project / "output").resolve()
    session = BuildSession(early=output)
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
