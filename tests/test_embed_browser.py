"""The embeddable chart in a real browser with JavaScript switched off: the page that copies the
region page's <iframe> snippet shows the chart, the figure and the source."""

from __future__ import annotations

import pytest
from conftest import chromium_driver, needs_chromium, serve, soup, text_of

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def browser_without_scripts():
    driver = chromium_driver(360, scripts=False)
    try:
        yield driver
    finally:
        driver.quit()


def test_embed_snippet_shows_chart_figure_and_source_with_javascript_off(
    built_site, browser_without_scripts, tmp_path
):
    driver = browser_without_scripts
    # scripts are really off: a page's own script does not run
    probe = tmp_path / "probe.html"
    probe.write_text("<title>a</title><script>document.title = 'b'</script>", encoding="utf-8")
    driver.get(probe.as_uri())
    assert driver.title == "a"

    # another site's page with the snippet the region page shows, pointing at the built site
    region = soup(built_site / "wilayah" / "73.13" / "index.html")
    snippet = text_of(region.select_one("pre.snippet"))
    with serve(built_site) as address:
        host = tmp_path / "host.html"
        host.write_text(
            "<!DOCTYPE html><title>host</title>" + snippet.replace('src="/', f'src="{address}/'),
            encoding="utf-8",
        )
        driver.get(host.as_uri())
        check_embedded(driver)


def check_embedded(driver) -> None:
    """Inside the frame: the chart drawn, the figure, the source and the link back."""
    from selenium.webdriver.common.by import By

    frame = driver.find_element(By.TAG_NAME, "iframe")
    assert frame.size["height"] >= 400
    driver.switch_to.frame(frame)
    chart = driver.find_element(By.CSS_SELECTOR, ".chart-image svg")
    assert chart.size["width"] > 300 and chart.size["height"] > 300, "the chart is drawn"
    text = " ".join(driver.find_element(By.TAG_NAME, "body").text.split())
    assert "cakupan kepesertaan JKN 97,50 % per Juni 2025" in text
    assert "Sumber: Contoh Media" in text
    back = driver.find_element(By.CSS_SELECTOR, ".embed-head a")
    assert back.get_attribute("href").endswith("/wilayah/73.13/#angka-2025-06")
    assert back.get_attribute("target") == "_blank"
