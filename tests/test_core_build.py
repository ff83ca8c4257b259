"""The build as a steward meets it: strict, all errors at once, previous output untouched."""

from __future__ import annotations

import pytest
from conftest import ROOT, build
from support import run_cli, tree
from uhc_portal.settings import SETTINGS, SettingsError, check_settings


def test_broken_data_fails_the_build_and_keeps_the_previous_output(project):
    output = build(project)
    before = tree(output)
    with (project / "data" / "coverage" / "contoh.csv").open("a", encoding="utf-8") as f:
        f.write("73.14,2019-09,376.386,311536,,82.77,,wajo-2020\n")
        f.write("99.99,2019-09,376386,311536,,82.77,,wajo-2020\n")
    result = run_cli(project, "build", "--output", "output")
    assert result.returncode == 1
    assert "data/coverage/contoh.csv:6: field 'population' value '376.386'" in result.stderr
    assert "data/coverage/contoh.csv:7: field 'region_code' value '99.99'" in result.stderr
    assert "2 data errors; nothing was published" in result.stderr
    assert tree(output) == before
    assert not [p for p in project.iterdir() if p.name.startswith(".output-")]


def test_validate_command_reports_without_building(project):
    (project / "data" / "forums" / "bad.yaml").write_text("date: 2020-10-26\n", encoding="utf-8")
    result = run_cli(project, "validate", "--data", "data")
    assert result.returncode == 1
    assert "data/forums/bad.yaml:1: field 'title'" in result.stderr
    assert not (project / "output").exists()


def test_a_warning_fails_the_build(project):
    (project / "content").unlink()
    (project / "content" / "pages").mkdir(parents=True)
    (project / "content" / "pages" / "x.md").write_text(
        "Title: X\nDate: not-a-date\n\nx\n", encoding="utf-8"
    )
    result = run_cli(project, "build", "--output", "output")
    assert result.returncode == 1
    assert not (project / "output").exists()


def test_settings_are_checked_with_the_key_named(project):
    base = {"PATH": str(project / "content"), "JINJA_ENVIRONMENT": {"autoescape": True}}
    with pytest.raises(SettingsError, match="Invalid 'UHC_TODAY' value: '2020-13-01'"):
        check_settings({**base, "UHC_TODAY": "2020-13-01"})
    with pytest.raises(SettingsError, match="Invalid 'JINJA_ENVIRONMENT'"):
        check_settings({**base, "JINJA_ENVIRONMENT": {}})
    with pytest.raises(SettingsError, match="Invalid 'UHC_DATA_DIR'"):
        check_settings({**base, "UHC_DATA_DIR": str(project / "nowhere")})
    for workers in (0, "2", 2.0, True):
        with pytest.raises(SettingsError, match="Invalid 'UHC_CHART_WORKERS'"):
            check_settings({**base, "UHC_CHART_WORKERS": workers})
    assert check_settings({**base, "UHC_CHART_WORKERS": 3})["UHC_CHART_WORKERS"] == 3


def test_every_setting_is_documented():
    documented = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.name}`" in documented, setting.name


def test_templates_escape_data(project):
    regencies = project / "data" / "regions" / "regencies.csv"
    regencies.write_text(
        regencies.read_text(encoding="utf-8").replace(
            "Kabupaten Sidenreng Rappang", "Kabupaten <b>Tebal</b>"
        ),
        encoding="utf-8",
    )
    output = build(project)
    html = (output / "wilayah" / "73.14" / "index.html").read_text(encoding="utf-8")
    assert "Kabupaten &lt;b&gt;Tebal&lt;/b&gt;" in html
    assert "<b>Tebal</b>" not in html
