"""Shared fixtures: a small test site (tests/site/data) built end to end with the real theme."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
SITE_DATA = Path(__file__).resolve().parent / "site" / "data"
TODAY = dt.date(2026, 11, 23)
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
    return build(project)
