"""A region with one figure, a percentage only (the commonest page a new steward makes, issue 22):
at 360 px (a phone) and 1280 px (a laptop) it does not scroll sideways. The screenshots are
kept as test artifacts: in UHC_TEST_ARTIFACTS when set (CI uploads it), else in pytest's tmp."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import SITE_DATA, build, make_project, needs_chromium, serve, set_width

pytestmark = needs_chromium

REGION = "73.14"  # Kabupaten Sidenreng Rappang: no figure in the test site before this one
SOURCE = "sidrap-2024"
ROW = f"{REGION},2024-06,,,,96.51,,{SOURCE}\n"


def artifacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("UHC_TEST_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def lone_figure_site(tmp_path_factory):
    data = tmp_path_factory.mktemp("lone") / "data"
    shutil.copytree(SITE_DATA, data)
    with (data / "sources.yaml").open("a", encoding="utf-8") as out:
        out.write(
            f"{SOURCE}:\n  title: Contoh berita Sidrap 2024\n  publisher: Contoh Media\n"
            "  url: https://example.org/berita/kesehatan/2024/06/cakupan-jkn-kabupaten-"
            "sidenreng-rappang-mencapai-96-persen-pemkab-targetkan-uhc-prioritas\n"
            "  excerpt: Cakupan JKN Kabupaten Sidenreng Rappang per Juni 2024 96,51 %.\n"
        )
    with (data / "coverage" / "contoh.csv").open("a", encoding="utf-8") as out:
        out.write(ROW)
    output = build(make_project(tmp_path_factory.mktemp("lone-site") / "project", data))
    with serve(output) as base:
        yield base


@pytest.mark.parametrize("width", [360, 1280])
def test_a_lone_percentage_s_page_does_not_scroll_sideways(
    lone_figure_site, chromium, width, tmp_path
):
    set_width(chromium, width)
    chromium.get(f"{lone_figure_site}/wilayah/{REGION}/")
    assert "96,51" in chromium.page_source
    chromium.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    height = chromium.execute_script("return document.scrollingElement.scrollHeight")
    set_width(chromium, width, min(height, 4000))  # the whole page in one screenshot
    shot = artifacts(tmp_path) / f"wilayah-{REGION}-{width}.png"
    shot.write_bytes(chromium.get_screenshot_as_png())
    scroll = chromium.execute_script("return document.scrollingElement.scrollWidth")
    inner = chromium.execute_script("return window.innerWidth")
    assert scroll <= inner == width, (scroll, inner)
