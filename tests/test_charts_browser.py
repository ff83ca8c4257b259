"""Charts as a reader sees them: Debian's headless Chromium through Selenium, on a phone and a
desktop, with JavaScript off where the page must work without it."""

from __future__ import annotations

import base64
import json
import time

import pytest
from bs4 import BeautifulSoup
from conftest import chromium_driver, needs_chromium, requests_made, set_width

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def no_script_browser():
    """Chromium with JavaScript switched off, as some readers have it."""
    driver = chromium_driver(scripts=False)
    try:
        yield driver
    finally:
        driver.quit()


def visit(driver, url: str, width: int) -> tuple[bytes, BeautifulSoup, list[str]]:
    """(full-page PNG, the DOM as the browser built it, URLs of every request) at `width` px."""
    set_width(driver, width)
    requests_made(driver)  # forget earlier pages' requests
    driver.get(url)
    root = driver.execute_cdp_cmd("DOM.getDocument", {"depth": -1})["root"]
    html = driver.execute_cdp_cmd("DOM.getOuterHTML", {"nodeId": root["nodeId"]})["outerHTML"]
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": size["height"], "scale": 1},
        },
    )
    return base64.b64decode(shot["data"]), BeautifulSoup(html, "html.parser"), requests_made(driver)


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def foreign(requests: list[str], base: str) -> list[str]:
    return [url for url in requests if not url.startswith((base + "/", "data:", "about:"))]


@pytest.mark.parametrize("width", [360, 1280])
def test_wajo_chart_shows_with_javascript_off(served_real_site, no_script_browser, width, tmp_path):
    png, dom, requests = visit(no_script_browser, f"{served_real_site}/wilayah/73.13/", width)
    (tmp_path / f"wajo-{width}.png").write_bytes(png)
    svg = dom.select_one("figure.chart svg[role=img]")
    assert svg is not None, "the chart's SVG is in the page as the browser built it"
    assert "82,77" in svg.find("desc").get_text()
    shot_width, shot_height = png_size(png)
    assert shot_width == width and shot_height > 1500
    assert len(png) > 40_000, "a screenshot with a chart is not a blank page"
    assert not foreign(requests, served_real_site), "requests to another host"


WIDER_THAN_SHOWN = """return JSON.stringify([...document.querySelectorAll('.scroll')]
  .filter(box => box.scrollWidth > box.clientWidth + 1)
  .map(box => (box.querySelector('caption') || box).textContent.trim()))"""


@pytest.mark.parametrize("page", ["", "wilayah/", "wilayah/73/", "wilayah/73.13/"])
def test_tables_fit_a_phone_without_scrolling_sideways(served_real_site, chromium, page):
    """At 360 px every table shows all its columns: region lists become one card per region
    (name; coverage, date, status, code), a region's figures one labelled block per date."""
    set_width(chromium, 360)
    chromium.get(f"{served_real_site}/{page}")
    assert json.loads(chromium.execute_script(WIDER_THAN_SHOWN)) == [], (
        f"tables wider than the phone on /{page}"
    )
    assert chromium.execute_script("return document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("page", ["", "wilayah/73/", "wilayah/73.13/", "wilayah/16.73/"])
def test_pages_load_nothing_from_another_host_and_no_script(served_real_site, chromium, page):
    set_width(chromium, 1280)
    requests_made(chromium)
    chromium.get(f"{served_real_site}/{page}")
    requests = requests_made(chromium)
    assert requests, f"/{page} was loaded"
    assert not foreign(requests, served_real_site)
    assert not [r for r in requests if r.endswith(".js")], f"/{page} loads a script"


def test_interactive_view_loads_vega_only_when_asked(served_real_site, chromium, tmp_path):
    """The chart shows at once as its static SVG; Vega's bundle (about 900 KB) is fetched only
    when the reader presses the button, from this site, and draws the same chart."""
    set_width(chromium, 1280)
    requests_made(chromium)
    chromium.get(f"{served_real_site}/grafik/?c=wilayah/73.13/grafik-73.13")
    wait_for(chromium, "#grafik-interaktif > svg[role=img]")
    title = chromium.execute_script(
        "return document.querySelector('#grafik-interaktif svg title').textContent"
    )
    assert "Wajo" in title
    before = requests_made(chromium)
    assert not [r for r in before if r.endswith("vega-bundle.js")], "Vega waits to be asked"
    back = chromium.find_element("css selector", "#grafik-kembali a")
    assert back.get_attribute("href") == f"{served_real_site}/wilayah/73.13/"
    button = chromium.find_element("css selector", "#grafik-muat")
    assert button.is_displayed() and "900 KB" in button.text
    button.click()
    drawn = wait_for(chromium, "#grafik-interaktif.vega-embed > svg.marks")
    assert drawn.get_attribute("role") != "img", "Vega's own drawing replaced the static SVG"
    (tmp_path / "interaktif.png").write_bytes(chromium.get_screenshot_as_png())
    after = requests_made(chromium)
    assert any(r == f"{served_real_site}/grafik/vega-bundle.js" for r in after)
    assert not foreign(before + after, served_real_site)
    assert not button.is_displayed(), "the button goes once the interactive chart is drawn"


def test_interactive_view_refuses_a_path_outside_the_charts(served_real_site, chromium):
    set_width(chromium, 360)
    chromium.get(f"{served_real_site}/grafik/?c=../../etc/passwd")
    message = wait_for(chromium, "#grafik-interaktif .chart-none")
    assert "tidak ditemukan" in message.text
    assert not chromium.find_element("css selector", "#grafik-muat").is_displayed()


def test_the_data_guide_scrolls_sideways_only_inside_its_examples(
    served_real_site, chromium, tmp_path
):
    """At 360 px the guide's wide examples (the import's output, the sheet's table) scroll in
    their own boxes; the page itself stays as wide as the phone."""
    set_width(chromium, 360)
    chromium.get(f"{served_real_site}/panduan-data/")
    (tmp_path / "panduan-360.png").write_bytes(chromium.get_screenshot_as_png())
    assert chromium.execute_script("return document.documentElement.scrollWidth") <= 360


def wait_for(driver, selector: str, seconds: float = 30):
    """The first element matching `selector`, once the page's scripts have made it."""
    deadline = time.monotonic() + seconds
    while True:
        found = driver.find_elements("css selector", selector)
        if found:
            return found[0]
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing matched {selector!r} within {seconds} s")
        time.sleep(0.1)
