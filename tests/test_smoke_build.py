from conftest import soup, text_of


def test_small_site_builds_region_page(built_site):
    page = soup(built_site / "wilayah" / "73.13" / "index.html")
    assert "97,50 %" in text_of(page.select_one("section.status"))
