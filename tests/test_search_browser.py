"""Search as a reader uses it: the header's box in headless Chromium (Selenium, Debian's
chromium-driver), over HTTP from 127.0.0.1, against the Pagefind index of the real regions
with the seed figures only (so the statuses searched for stay put)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import chromium_driver, needs_chromium, serve, text_of

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def served(seed_site):
    """Pagefind fetches its index: pages must come over HTTP, not file://."""
    with serve(seed_site) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    driver = chromium_driver(360)
    try:
        yield driver
    finally:
        driver.quit()


def results_for(browser, served: str, query: str) -> list[tuple[str, str, str]]:
    """Type `query` into the header's box on a region page, press Enter, and read the results
    shown: (link text, its address, the line under it)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{served}/wilayah/11.01/")
    box = browser.find_element(By.ID, "cari")
    box.send_keys(query, Keys.ENTER)
    WebDriverWait(browser, 20).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "#hasil-cari li, #hasil-cari [role=status]")
    )
    page = BeautifulSoup(browser.page_source, "html.parser")
    return [
        (
            text_of(li.a),
            li.a["href"],
            text_of(li.select_one(".meta")) if li.select_one(".meta") else "",
        )
        for li in page.select("#hasil-cari li")
    ]


@pytest.mark.parametrize(
    ("query", "first", "address", "detail"),
    [
        ("gumas", "Kabupaten Gunung Mas", "/wilayah/62.10/", "Kalimantan Tengah · Belum ada data"),
        ("lubuklinggau", "Kota Lubuk Linggau", "/wilayah/16.73/", "Sumatera Selatan"),
        ("wajo", "Kabupaten Wajo", "/wilayah/73.13/", "Sulawesi Selatan · Belum UHC"),
        ("73.13", "Kabupaten Wajo", "/wilayah/73.13/", "Sulawesi Selatan · Belum UHC"),
    ],
)
def test_search_puts_the_region_first(browser, served, query, first, address, detail):
    results = results_for(browser, served, query)
    assert results, f"no result for {query!r}"
    name, href, line = results[0]
    assert (name, href) == (first, address), results[:3]
    assert line.startswith(detail), line
    # under the search page's own Content-Security-Policy, nothing was refused
    page = BeautifulSoup(browser.page_source, "html.parser")
    policy = page.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
    assert "'wasm-unsafe-eval'" in policy and "'unsafe-inline'" not in policy
    logged = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not [m for m in logged if "favicon.ico" not in m], logged  # the favicon is not ours


def test_search_without_javascript_opens_the_a_to_z_list(served):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = chromium_driver(360, scripts=False)
    try:
        driver.get(f"{served}/wilayah/73.13/")
        driver.find_element(By.ID, "cari").send_keys("gumas", Keys.ENTER)
        from selenium.webdriver.support.ui import WebDriverWait

        wanted = f"{served}/wilayah/?q=gumas"  # the form's submission may still be on its way
        WebDriverWait(driver, 10).until(lambda d: d.current_url == wanted)
        assert driver.current_url == wanted
        page = BeautifulSoup(driver.page_source, "html.parser")
    finally:
        driver.quit()
    entries = page.select("#a-z ul.az li")
    gumas = [text_of(li) for li in entries if text_of(li.a) == "Gumas"]
    assert gumas == ["Gumas → Kabupaten Gunung Mas Kalimantan Tengah"]
    assert page.select_one("#hasil-cari").has_attr("hidden")


@pytest.fixture(scope="module")
def sharded(tmp_path_factory, seed_dir):
    """The seed site with its search index in bundles of at most 150 pages each."""
    from conftest import REAL_TODAY, build, make_project

    project = make_project(tmp_path_factory.mktemp("sharded") / "project", seed_dir)
    site = build(project, UHC_TODAY=REAL_TODAY.isoformat(), UHC_SEARCH_SHARD_PAGES=150)
    with serve(site) as base:
        yield site, base


@pytest.mark.parametrize(
    ("query", "first", "address"),
    [
        ("gumas", "Kabupaten Gunung Mas", "/wilayah/62.10/"),
        ("wajo", "Kabupaten Wajo", "/wilayah/73.13/"),
        ("simeulue", "Kabupaten Simeulue", "/wilayah/11.09/"),
    ],
)
def test_a_search_over_several_bundles_finds_what_one_bundle_finds(
    browser, served, sharded, query, first, address
):
    """Split into bundles, the index finds the same page first as the one bundle does, from
    whichever bundle holds it: each listed bundle is merged in."""
    import json

    site, base = sharded
    others = json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert len(others) >= 3 and all((site / folder / "pagefind.js").is_file() for folder in others)
    split = results_for(browser, base, query)
    whole = results_for(browser, served, query)
    assert split and split[0][:2] == (first, address) == whole[0][:2], split[:3]
    assert len(split) == len(whole)
