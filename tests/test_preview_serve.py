"""`python -m uhc_portal serve` as a steward uses it, in a subprocess on a project copy: Wajo's
page open in headless Chromium while its coverage row is edited, broken and fixed, never
reloaded by the test; and a first build that fails, served until a fix builds."""

from __future__ import annotations

import json
import signal
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import (
    ROOT,
    WATAMPONE_2021,
    add_watampone_2021,
    chromium_driver,
    make_project,
    needs_chromium,
    set_width,
    text_of,
)
from support import Preview

pytestmark = pytest.mark.slow

WAJO = "73.13,2020-09,376386,311536,,82.77,,upeks-wajo-2020"
CORRECTED = f"73.13,2020-09,376386,311650,,82.80,,{WATAMPONE_2021}"  # 311650/376386 = 82.80 %
BROKEN = f"73.13,2020-09,376386,311x650,,82.80,,{WATAMPONE_2021}"


@pytest.fixture(scope="module")
def real_project(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("preview") / "project", ROOT / "data")
    add_watampone_2021(project / "data")
    assert WAJO in coverage_file(project).read_text(encoding="utf-8")
    return project


def coverage_file(project: Path) -> Path:
    return project / "data" / "coverage" / "berita-awal.csv"


def edit(project: Path, old: str, new: str) -> None:
    """Save the coverage file with one row changed, as an editor writes it in place."""
    path = coverage_file(project)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def preview(real_project) -> Iterator[tuple[Preview, str]]:
    server = Preview(real_project)
    try:
        yield server, server.address()
    finally:
        assert server.stop() == 0, "\n".join(server.seen)


def participants(driver) -> str:
    """What Wajo's page shows as its latest number of JKN participants."""
    page = BeautifulSoup(driver.page_source, "html.parser")
    for term in page.select("dl.figures dt"):
        if text_of(term) == "Peserta JKN":
            return text_of(term.find_next_sibling("dd"))
    return ""


def banner(driver):
    """The error banner's text, or None when there is none."""
    page = BeautifulSoup(driver.page_source, "html.parser")
    box = page.select_one("#pratinjau-galat[role=alert]")
    return " ".join(box.get_text().split()) if box else None


@pytest.mark.browser
@needs_chromium
def test_an_edit_shows_in_the_open_page_and_an_error_in_a_banner(preview, real_project, tmp_path):
    from selenium.webdriver.support.ui import WebDriverWait

    server, base = preview
    driver = chromium_driver(360)
    try:
        driver.get(f"{base}/wilayah/73.13/")
        assert participants(driver) == "311.536 jiwa"
        driver.execute_script("window.belumDimuatUlang = true")

        # Load inputs: a corrected row; the page reloads itself and shows it.
        edit(real_project, WAJO, CORRECTED)
        assert server.wait_for("Diperbarui:").startswith(
            "Diperbarui: data/coverage/berita-awal.csv ("
        )
        WebDriverWait(driver, 30).until(lambda d: participants(d) == "311.650 jiwa")
        assert driver.execute_script("return window.belumDimuatUlang") is None  # reloaded

        # A broken row: the banner names file and line; the last good page stays under it.
        edit(real_project, CORRECTED, BROKEN)
        server.wait_for("Gagal:")
        WebDriverWait(driver, 30).until(banner)
        said = banner(driver)
        assert "Pembangunan gagal" in said
        assert "data/coverage/berita-awal.csv, baris 2: field 'participants'" in said
        assert "'311x650'" in said
        assert participants(driver) == "311.650 jiwa"
        for width in (360, 1280):
            set_width(driver, width)
            driver.save_screenshot(str(tmp_path / f"banner-{width}.png"))
        set_width(driver, 360)
        driver.get(f"{base}/en/wilayah/73.13/")  # a page opened now shows it too, in its language
        WebDriverWait(driver, 30).until(banner)
        assert "Build failed" in banner(driver) and "berita-awal.csv, line 2:" in banner(driver)
        driver.get(f"{base}/wilayah/73.13/")
        WebDriverWait(driver, 30).until(banner)

        # Fixed again: the banner goes with the reload.
        edit(real_project, BROKEN, CORRECTED)
        server.wait_for("Diperbarui:")
        WebDriverWait(driver, 30).until(lambda d: banner(d) is None)
        assert participants(driver) == "311.650 jiwa"

        # Under the pages' Content-Security-Policy the script and its requests were allowed.
        logged = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert not [m for m in logged if "favicon.ico" not in m], logged
    finally:
        driver.quit()


def test_a_first_build_that_fails_is_served_until_a_fix_builds(tmp_path):
    project = make_project(tmp_path / "project")
    broken = project / "data" / "coverage" / "rusak.csv"
    header = (project / "data" / "coverage" / "contoh.csv").read_text().splitlines()[0]
    broken.write_text(f"{header}\n73.13,2021,38O000,,,97.5,,wajo-2025\n", encoding="utf-8")
    server = Preview(project)
    try:
        assert server.wait_for("Gagal:").startswith("Gagal: output/ (")
        assert any(line.startswith("  data/coverage/rusak.csv:2: ") for line in server.seen)
        base = server.address()

        # Nothing was ever built: a missing page, with the script that shows why.
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/", timeout=30)
        page = BeautifulSoup(missing.value.read(), "html.parser")
        assert page.find("script", src="/_pratinjau/muat-ulang.js")
        with urllib.request.urlopen(f"{base}/_pratinjau/status", timeout=30) as answer:
            errors = json.loads(answer.read())["galat"]
        assert ("data/coverage/rusak.csv", 2) in [(e["berkas"], e["baris"]) for e in errors]

        broken.unlink()
        assert server.wait_for("Diperbarui:").startswith("Diperbarui: data/coverage/rusak.csv (")
        with urllib.request.urlopen(f"{base}/wilayah/73.13/", timeout=30) as answer:
            assert text_of(BeautifulSoup(answer.read(), "html.parser").h1).startswith(
                "Kabupaten Wajo"
            )
    finally:
        assert server.stop(signal.SIGINT) == 0, "\n".join(server.seen)  # as Ctrl+C
    assert server.wait_for("Pratinjau berhenti.", timeout=10)
    assert not list(project.glob(".output-*"))  # no build folder left behind
