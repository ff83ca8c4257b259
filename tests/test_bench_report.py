"""`make bench`'s verdicts (benchmarks.run.report) from given measurements: which targets it
calls ok or MISSED, and its last line. No build is timed here."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import hugo
from benchmarks.memory import Snapshot, TreeSampler, role_of, snapshot
from benchmarks.preview import Edit, Preview
from benchmarks.run import Result, remove, report


def result(name: str, wall: float, tree: float, charts: int | None, pages: int = 2559) -> Result:
    return Result(name, wall, wall * 1.5, tree / 2, tree, pages, 81.0, 0, charts)


def results(tree_10x: float = 779.0, scale10_wall: float = 503.3) -> dict[str, Result]:
    return {
        "cold": result("cold", 50.4, 519, 554),
        "warm": result("warm", 25.9, 204, 0),
        "one_change": result("one_change", 26.3, 346, 3),
        "baseline": result("baseline", 91.6, 147, None),
        "scale10": result("scale10", scale10_wall, tree_10x, 5231, 25236),
    }


def default_run(hugo_wall: float | None = 20.0) -> dict[str, Result]:
    """The default run: no 10× build; Hugo's build of the same pages unless not installed."""
    measured = results()
    del measured["scale10"]
    if hugo_wall is not None:
        measured["hugo"] = result("hugo", hugo_wall, 11500, None)
    return measured


def previewed(*delays: float) -> Preview:
    edits = [Edit(f"1{n}.01", "row", d, d + 0.1) for n, d in enumerate(delays)]
    return Preview(edits, ready_s=40.0, tree_rss_mb=500.0)


def printed(capsys: pytest.CaptureFixture, *args, **kwargs) -> list[str]:
    assert report(*args, **kwargs) == 0
    return capsys.readouterr().out.splitlines()


def verdicts(capsys: pytest.CaptureFixture, total: float, **kwargs) -> tuple[str, str]:
    assert report(results(**kwargs), total, None) == 0
    lines = capsys.readouterr().out.splitlines()
    targets = next(line for line in lines if line.startswith("targets: "))
    return targets, lines[-1]


def target_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("targets: ")]


def test_all_targets_met(capsys):
    targets, last = verdicts(capsys, 590.0)
    assert "MISSED" not in targets
    assert (
        "peak RSS (whole process tree) of every portal build, the 10× one included: 779 MB"
        in targets
    )
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
    """The default run has 15 minutes on a machine 1.7× slower than the one measured; a run
    with the 10× build has no time target, but the 10× ratio has its own."""
    first = target_lines(printed(capsys, default_run(), 529.0, None))[0]
    assert "whole run 529 s, 899 s on a machine 1.7× slower ≤ 900 s: ok" in first
    first = target_lines(printed(capsys, default_run(), 530.0, None))[0]
    assert "whole run 530 s, 901 s on a machine 1.7× slower ≤ 900 s: MISSED" in first
    targets, _ = verdicts(capsys, 1500.0, scale10_wall=600.0)
    assert "scale10 11.90 ≤ 11: MISSED" in targets
    assert "whole run with the 10× build 1500 s: no time target" in targets


def test_the_new_figures_on_the_last_line_and_their_targets(capsys, tmp_path):
    lines = printed(
        capsys,
        default_run(hugo_wall=20.0),
        400.0,
        tmp_path / "r.json",
        previewed=previewed(0.8, 0.5, 1.4),
    )
    assert lines[-1] == (
        "ratios: cold=0.55 warm=0.28 one_change=0.29 scale10=not-run warm_hugo=1.29 "
        "one_change_hugo=1.31 preview_s=0.80"
    )
    first, second, _issue21 = target_lines(lines)
    assert "scale10 not measured in this run (`make bench SCALE10=1` or `--scale10` runs it)" in (
        first
    )
    assert second == (
        "targets: warm_hugo 1.29 ≤ 2: ok; one_change_hugo 1.31 ≤ 3: ok; preview_s 0.80 ≤ 1 s: ok"
    )
    assert lines[-2] == (
        "ratios left out: scale10 (not run: `make bench SCALE10=1` or `--scale10` runs it)"
    )
    assert "median 0.80 s of 0.80, 0.50, 1.40 s" in "\n".join(lines)
    saved = json.loads((tmp_path / "r.json").read_text())
    assert saved["ratios"]["warm_hugo"] == pytest.approx(25.9 / 20.0)
    assert saved["ratios"]["preview_s"] == 0.8
    assert saved["preview"]["median_s"] == 0.8
    assert [e["page_s"] for e in saved["preview"]["edits"]] == [0.8, 0.5, 1.4]
    assert set(saved["left_out"]) == {"scale10"}
    assert saved["results"]["hugo"]["wall_s"] == 20.0


def test_slow_hugo_ratios_and_preview_are_missed(capsys):
    lines = printed(capsys, default_run(hugo_wall=8.0), 400.0, None, previewed=previewed(1.2))
    second = target_lines(lines)[1]
    assert "warm_hugo 3.24 ≤ 2: MISSED" in second
    assert "one_change_hugo 3.29 ≤ 3: MISSED" in second
    assert "preview_s 1.20 ≤ 1 s: MISSED" in second


def test_hugo_ratios_left_out_and_said_so_when_hugo_is_missing(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    binary, why = hugo.find()
    assert binary is None and why is not None and "Hugo is not installed" in why
    lines = printed(
        capsys,
        default_run(hugo_wall=None),
        400.0,
        None,
        previewed=previewed(0.5),
        left_out={"hugo": why},
    )
    assert lines[-1] == (
        "ratios: cold=0.55 warm=0.28 one_change=0.29 scale10=not-run preview_s=0.50"
    )
    assert f"; warm_hugo, one_change_hugo ({why})" in lines[-2]
    second = target_lines(lines)[1]
    assert (
        second
        == f"targets: preview_s 0.50 ≤ 1 s: ok; not measured: warm_hugo, one_change_hugo ({why})"
    )


def test_a_preview_not_measured_is_left_out_with_its_reason(capsys):
    failed = Preview(reason="the server stopped (exit 2) before 'Pratinjau siap:': invalid choice")
    lines = printed(capsys, default_run(), 400.0, None, previewed=failed)
    assert lines[-1].endswith("one_change_hugo=1.31")
    assert "; preview_s (the server stopped (exit 2) before 'Pratinjau siap:'" in lines[-2]
    assert "preview: not measured (the server stopped (exit 2) before" in "\n".join(lines)


def test_the_baselines_memory_is_no_portal_target(capsys):
    """Hugo 0.111 peaks near 11.5 GB on these pages: reported, not judged as ours."""
    lines = printed(capsys, default_run(), 400.0, None, previewed=previewed(0.5))
    first = target_lines(lines)[0]
    assert "every portal build, 1× only: 519 MB (cold) ≤ 1024 MB: ok" in first
    assert any(line.startswith("| hugo ") and "11500" in line for line in lines)


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


def issue21_line(lines: list[str]) -> str:
    return target_lines(lines)[2]


def test_issue_21s_targets_each_ok_or_missed(capsys):
    measured = results(tree_10x=980.0)
    measured["one_change"] = dataclasses.replace(measured["one_change"], wall_s=2.9)
    measured["hugo"] = result("hugo", 26.7, 11500, None)
    lines = printed(capsys, measured, 590.0, None, previewed=previewed(0.4, 0.5, 0.6))
    assert issue21_line(lines) == (
        "targets: one_change 2.9 s ≤ 3 s: ok; scale10 process tree 980 MB ≤ 1024 MB: ok; "
        "cold_hugo 1.89 ≤ 2: ok; preview_s 0.50 ≤ 0.5 s: ok"
    )
    measured = results(tree_10x=3118.0)
    measured["hugo"] = result("hugo", 20.0, 11500, None)
    lines = printed(capsys, measured, 590.0, None, previewed=previewed(0.51))
    assert issue21_line(lines) == (
        "targets: one_change 26.3 s ≤ 3 s: MISSED; scale10 process tree 3118 MB ≤ 1024 MB: "
        "MISSED; cold_hugo 2.52 ≤ 2: MISSED; preview_s 0.51 ≤ 0.5 s: MISSED"
    )


def test_issue_21s_targets_not_measured_say_why(capsys):
    lines = printed(capsys, default_run(hugo_wall=None), 400.0, None, left_out={"hugo": "no"})
    line = issue21_line(lines)
    assert line.startswith("targets: one_change 26.3 s ≤ 3 s: MISSED; not measured: ")
    assert "scale10 tree RSS (not run: `make bench SCALE10=1`" in line
    assert "cold_hugo (no)" in line
    assert "preview_s (the preview was not run)" in line


def test_memory_by_process_is_printed_for_portal_builds_only(capsys):
    measured = default_run()
    measured["cold"].by_process = {"build": [400.0, 1], "chart workers": [119.0, 2]}
    lines = printed(capsys, measured, 400.0, None)
    memory = [line for line in lines if line.startswith("memory by process: ")]
    assert memory[0] == (
        "memory by process: cold at its tree's peak (519 MB): build 400 MB, "
        "chart workers 119 MB (2 processes)"
    )
    assert memory[1] == "memory by process: warm at its tree's peak (204 MB): not sampled"
    assert not any("hugo" in line or "baseline" in line for line in memory)


def test_roles_by_command_line():
    python = ["/usr/bin/python3", "-c", "from multiprocessing.spawn import spawn_main; x()"]
    assert role_of(["/x/python", "-m", "uhc_portal", "build"], root=True) == "build"
    assert role_of(python, root=False) == "chart workers"
    assert role_of(["/v/lib/pagefind_bin/bin/pagefind", "--site", "s"], root=False) == "pagefind"
    assert role_of(["/usr/bin/git", "log"], root=False) == "git"


def test_the_sampler_keeps_the_shares_at_the_trees_peak():
    """The breakdown is of one moment, the largest total: not each role's own largest."""
    sampler = TreeSampler(os.getpid())
    for build, workers in ((100, 500), (400, 300), (50, 50)):
        taken = Snapshot()
        taken.add("build", build * 2**20)
        for _ in range(2):
            taken.add("chart workers", workers // 2 * 2**20)
        sampler.take(taken)
    assert sampler.peak == 700 * 2**20
    assert sampler.breakdown_mb() == {"build": [400.0, 1], "chart workers": [300.0, 2]}


def test_a_real_process_tree_is_sampled_by_role(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        taken = snapshot(os.getpid())
    finally:
        child.kill()
        child.wait()
    assert taken.roles["build"].processes == 1
    assert taken.roles[Path(sys.executable).name].processes >= 1
    assert taken.total > taken.roles["build"].rss > 0
