"""Shared fixtures: a small test site (tests/site/data) built end to end with the real theme."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scripts.audit import PAGE_TYPES, serve  # noqa: F401 (PAGE_TYPES: for the tests)

# Data-error messages are Indonesian unless English is asked for; most tests were written against
# the English ones and ask for them, as a steward can (test_data_messages.py: the Indonesian).
os.environ.setdefault("UHC_MESSAGE_LANGUAGE", "en")

ROOT = Path(__file__).resolve().parent.parent
SITE_DATA = Path(__file__).resolve().parent / "site" / "data"
TODAY = dt.date(2026, 12, 7)  # the test site's day, not before any `accessed` in the seed data
REAL_TODAY = max(TODAY, dt.date.today())
"""The day the real data/ is read on: stewards record the day they read a source (`accessed`),
which may not lie in the future, so a fixed day would fail as soon as a source is read later."""
# Headless Chromium for the browser tests: no sandbox (containers), nothing fetched on its own.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def seed_data(where: Path) -> Path:
    """data/ as the project started: the real regions, sources, rules and forums, with only the
    seed articles' figures (berita-awal.csv), so that tests counting regions at UHC do not move
    each time a steward adds a figure."""
    shutil.copytree(ROOT / "data", where)
    for path in (where / "coverage").glob("*.csv"):
        if path.name != "berita-awal.csv":
            path.unlink()
    for kind in ("recognitions",):
        shutil.rmtree(where / kind, ignore_errors=True)
    (where / "claims.csv").unlink(missing_ok=True)
    return where


WATAMPONE_2021 = "bpjs-watampone-2021"
"""A source printing the corrected Wajo figures tests write: 311.650 = 82,80 % of 376.386 per
September 2020, and 96,10 % per December 2021 (a row's numbers must stand in its source)."""


def add_watampone_2021(data: Path) -> None:
    with (data / "sources.yaml").open("a", encoding="utf-8") as out:
        out.write(
            f"{WATAMPONE_2021}:\n"
            "  title: Contoh rekap BPJS Kesehatan Cabang Watampone, Desember 2021\n"
            "  publisher: Contoh BPJS\n"
            "  excerpt: >-\n"
            "    Peserta JKN-KIS Kabupaten Wajo per September 2020 sejumlah 311.650 jiwa atau\n"
            "    82,80 % dari 376.386 jiwa penduduk; per Desember 2021 cakupan 96,10 %.\n"
        )


def note_every_excerpt(data: Path) -> Path:
    """Every source marked as printing its numbers elsewhere (excerpt_note), for tests whose
    random edits write numbers no excerpt prints: what they test is not the excerpt rule."""
    from ruamel.yaml import YAML

    path = data / "sources.yaml"
    yaml = YAML()  # round trip: comments and order kept
    sources = yaml.load(path.read_text(encoding="utf-8"))
    for source in sources.values():
        source.setdefault("excerpt_note", "tabel uji")  # a source's own note is kept
    with path.open("w", encoding="utf-8") as file:
        yaml.dump(sources, file)
    return data


def make_project(where: Path, data: Path = SITE_DATA) -> Path:
    """A project folder: the real settings, content and theme, with the given data folder."""
    where.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "pelicanconf.py", where / "pelicanconf.py")
    for name in ("content", "theme", "plugins"):
        (where / name).symlink_to(ROOT / name)
    shutil.copytree(data, where / "data")
    return where


def build(project: Path, output: Path | None = None, **overrides) -> Path:
    from uhc_portal.build import build_site

    output = output or project / "output"
    build_site(project / "pelicanconf.py", output, {"UHC_TODAY": TODAY.isoformat(), **overrides})
    return output


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text_of(node) -> str:
    """Visible text with every kind of space folded to one ASCII space."""
    return " ".join(node.get_text(" ").split())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The small test site, built once for all read-only page tests."""
    project = make_project(tmp_path_factory.mktemp("site") / "project")
    return build(project)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real data/ folder, built once."""
    project = make_project(tmp_path_factory.mktemp("real") / "project", ROOT / "data")
    return build(project, UHC_TODAY=REAL_TODAY.isoformat())


@pytest.fixture(scope="session")
def seed_dir(tmp_path_factory) -> Path:
    """data/ with only the seed articles' figures (`seed_data`), for tests that count."""
    return seed_data(tmp_path_factory.mktemp("seed") / "data")


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory, seed_dir) -> Path:
    """The real regions, sources and forums with the seed figures only, built once: pages whose
    counts, rankings and statuses do not move each time a steward adds a figure."""
    project = make_project(tmp_path_factory.mktemp("seed-site") / "project", seed_dir)
    return build(project, UHC_TODAY=REAL_TODAY.isoformat())


# ---------------------------------------------------------------------------------------------
# Pages in a browser: the built site over HTTP on 127.0.0.1, Debian's Chromium through Selenium

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
NODE_MODULES = ROOT / "node_modules"

needs_chromium = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium "
    "chromium-driver), as .ci/run installs them",
)


@pytest.fixture(scope="session")
def served_real_site(real_site) -> Iterator[str]:
    with serve(real_site) as base:
        yield base


def chromium_driver(width: int = 360, scripts: bool = True):
    """Debian's Chromium, headless, `width` px wide (a phone below 600 px), via chromedriver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, "--hide-scrollbars", "--mute-audio"):
        options.add_argument(flag)
    if not scripts:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    # requests_made reads the performance log; tests may read the console ("browser") too
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    set_width(driver, width)
    return driver


def set_width(driver, width: int, height: int = 800) -> None:
    """The page's viewport (not the window) `width` px wide, like a phone's when under 600."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for a test module (phone-sized until a test sets another width)."""
    driver = chromium_driver()
    try:
        yield driver
    finally:
        driver.quit()


def requests_made(driver) -> list[str]:
    """URLs of the requests the browser made since this was last called."""
    import json

    events = (json.loads(entry["message"])["message"] for entry in driver.get_log("performance"))
    return [
        e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"
    ]
