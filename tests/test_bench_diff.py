"""The bench's figure-diff step, at a small size: one published row changed in place, its
correction entry added as a steward would, and the diff run and timed in a subprocess."""

from __future__ import annotations

from pathlib import Path

from benchmarks import measure, synthetic

SMALL = synthetic.Size(provinces=2, regencies=5, months=14, forums=6, sources=3)


def test_timed_diff_reports_the_changed_row_and_passes_with_its_correction(tmp_path: Path):
    project = measure.make_project(tmp_path / "project", SMALL)
    measure.commit_data(project)
    code = sorted(synthetic.regency_codes(SMALL))[2]
    before = measure.coverage_lines(project)
    changed = synthetic.change_one_row(project / "data", code)
    logs = tmp_path / "logs"
    logs.mkdir()

    without = measure.time_diff(project, logs)
    assert without.returncode == 1, "a changed published figure needs a correction"
    measure.add_correction(project, before, measure.coverage_lines(project))
    result = measure.time_diff(project, logs)

    assert result.returncode == 0, (logs / "diff.md").read_text()
    report = (logs / "diff.md").read_text()
    assert "### Changed figures (1)" in report
    assert "### New corrections (1)" in report
    assert f"Kab. Sintetis {code}" in report
    assert changed.split(",")[1] == "2025-12"
    assert result.wall_s > 0 and result.cpu_s > 0
