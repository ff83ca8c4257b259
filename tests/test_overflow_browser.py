"""Phones: at 360 px no page scrolls sideways, even when a source's URL is one long unbroken
word (it made a region page 559 px wide through "Kutip angka ini")."""

from __future__ import annotations

import shutil

import pytest
from conftest import SITE_DATA, build, make_project, needs_chromium, serve, set_width

pytestmark = needs_chromium

LONG_URL = "https://example.org/unduh?berkas=" + "LaporanCakupanJaminanKesehatan_" * 6 + "x.pdf"


@pytest.fixture(scope="module")
def long_url_site(tmp_path_factory):
    data = tmp_path_factory.mktemp("long") / "data"
    shutil.copytree(SITE_DATA, data)
    sources = data / "sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace(
            "url: https://example.org/wajo-2020", f"url: {LONG_URL}"
        ),
        encoding="utf-8",
    )
    assert LONG_URL in sources.read_text(encoding="utf-8")
    output = build(make_project(tmp_path_factory.mktemp("long-site") / "project", data))
    with serve(output) as base:
        yield base


@pytest.mark.parametrize("page", ["/wilayah/73.13/", "/", "/panduan-data/"])
def test_no_page_scrolls_sideways_at_360_px(long_url_site, chromium, page, tmp_path):
    set_width(chromium, 360)
    chromium.get(long_url_site + page)
    if page.startswith("/wilayah"):
        assert LONG_URL in chromium.page_source
        chromium.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    (tmp_path / "page-360.png").write_bytes(chromium.get_screenshot_as_png())
    width = chromium.execute_script("return document.scrollingElement.scrollWidth")
    assert width <= 360, page
