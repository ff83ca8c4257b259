"""`make bench`'s verdicts (benchmarks.run.report) from given measurements: which targets it
calls ok or MISSED, and its last line. No build is timed here."""

from __future__ import annotations

import dataclasses

import pytest

from benchmarks.run import Result, remove, report


def results(tree_10x: float = 779.0, scale10_wall: float = 503.3) -> dict[str, Result]:
    def result(name: str, wall: float, tree: float, charts: int | None, pages: int = 2559):
        return Result(name, wall, wall * 1.5, tree / 2, tree, pages, 81.0, 0, charts)

    return {
        "cold": result("cold", 50.4, 519, 554),
        "warm": result("warm", 25.9, 204, 0),
        "one_change": result("one_change", 26.3, 346, 3),
        "baseline": result("baseline", 91.6, 147, None),
        "scale10": result("scale10", scale10_wall, tree_10x, 5231, 25236),
    }


def verdicts(capsys: pytest.CaptureFixture, total: float, **kwargs) -> tuple[str, str]:
    assert report(results(**kwargs), total, None) == 0
    lines = capsys.readouterr().out.splitlines()
    targets = next(line for line in lines if line.startswith("targets: "))
    return targets, lines[-1]


def test_all_targets_met(capsys):
    targets, last = verdicts(capsys, 590.0)
    assert "MISSED" not in targets
    assert "peak RSS (whole process tree) of every build, the 10× one included: 779 MB" in targets
    assert last == "ratios: cold=0.55 warm=0.28 one_change=0.29 scale10=9.99"


def test_charts_of_one_change_are_counted_per_language(capsys):
    measured = results()
    measured["one_change"] = dataclasses.replace(measured["one_change"], charts_rendered=6)
    report(measured, 590.0, None, languages=2)
    assert "one_change re-rendered 6 charts ≤ 8" in capsys.readouterr().out
    report(measured, 590.0, None, languages=1)
    assert "re-rendered 6 charts ≤ 4 (its region, its province, the two national, in 1 " in (
        capsys.readouterr().out
    )


def test_the_10x_build_counts_for_memory(capsys):
    targets, _ = verdicts(capsys, 590.0, tree_10x=1163.0)
    assert "1163 MB (scale10) ≤ 1024 MB: MISSED" in targets


def test_too_long_a_run_is_missed(capsys):
    targets, _ = verdicts(capsys, 744.0)
    assert "whole run 744 s ≤ 600 s: MISSED" in targets
    targets, _ = verdicts(capsys, 590.0, scale10_wall=600.0)
    assert "scale10 11.90 ≤ 11: MISSED" in targets


def test_the_work_folder_is_removed_without_following_links(tmp_path):
    """The bench's projects link to the real content, theme and plugins: removing the work
    folder (by several threads) must unlink those links, never empty what they point to."""
    outside = tmp_path / "repo" / "content"
    (outside / "pages").mkdir(parents=True)
    (outside / "pages" / "about.md").write_text("kept")
    work = tmp_path / "work"
    for site in ("national", "national10"):
        for page in range(30):
            folder = work / site / "output" / "wilayah" / f"{page:02d}" / "deep"
            folder.mkdir(parents=True)
            (folder / "index.html").write_text("x")
        (work / site / "content").symlink_to(outside)
    (work / "top.txt").write_text("x")
    remove([work, tmp_path / "missing"])
    assert not work.exists()
    assert (outside / "pages" / "about.md").read_text() == "kept"
