"""Old figures: a region whose newest figure is older than UHC_STALE_MONTHS at the data's date
shows "angka lama" and its age beside its status, wherever the status appears, and keeps its
status. The test site's sources record no `accessed` date, so its date is its newest figure's,
30 June 2025 (Kab. Wajo): Kota Lubuk Linggau's only figure, per June 2018, is 7 years old then;
Kota Makassar's, 31 December 2024, is not old."""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from conftest import SITE_DATA, TODAY, soup, text_of
from uhc_portal import charts
from uhc_portal.dataset import load_dataset
from uhc_portal.freshness import Age, Freshness, months_between, old_words
from uhc_portal.i18n import activate
from uhc_portal.model import PartialDate
from uhc_portal.settings import SETTINGS, SettingsError, check_settings
from uhc_portal.views import build_site

OLD_ID = "angka lama: per Jun 2018, 7 tahun lalu"
OLD_EN = "old figure: as of Jun 2018, 7 years ago"
ATOM = "{http://www.w3.org/2005/Atom}"


def test_age_is_whole_months_from_the_last_day_a_figure_speaks_for():
    assert months_between(dt.date(2019, 12, 31), dt.date(2026, 12, 6)) == 83
    assert months_between(dt.date(2024, 12, 31), dt.date(2026, 12, 6)) == 23
    assert months_between(dt.date(2024, 1, 31), dt.date(2024, 2, 29)) == 1  # a month's end
    at = Freshness(TODAY, 24)
    assert at.old(PartialDate(2024, 12)) is None, "23 months: not yet old"
    assert at.old(PartialDate(2024, 11)) == Age(PartialDate(2024, 11), 24)
    assert at.old(PartialDate(2019)) == Age(PartialDate(2019), 83)
    assert Freshness(TODAY, 120).old(PartialDate(2019)) is None


def test_age_in_words_in_both_languages():
    cases = [
        (Age(PartialDate(2019, 12), 83), "angka lama: per Des 2019, 6 tahun lalu"),
        (Age(PartialDate(2025, 11, 30), 12), "angka lama: per 30 Nov 2025, setahun lalu"),
        (Age(PartialDate(2026, 4), 7), "angka lama: per Apr 2026, 7 bulan lalu"),
        (Age(PartialDate(2026), 1), "angka lama: per 2026, sebulan lalu"),
    ]
    for age, words in cases:
        assert old_words(age) == words
    activate("en")
    try:
        assert old_words(cases[0][0]) == "old figure: as of Dec 2019, 6 years ago"
        assert old_words(cases[1][0]) == "old figure: as of 30 Nov 2025, a year ago"
    finally:
        activate("id")


def test_stale_months_is_a_setting_checked_and_documented(project):
    base = {"PATH": str(project / "content"), "JINJA_ENVIRONMENT": {"autoescape": True}}
    assert check_settings(base)["UHC_STALE_MONTHS"] == 24
    assert check_settings({**base, "UHC_STALE_MONTHS": 36})["UHC_STALE_MONTHS"] == 36
    for bad in (0, "24", 24.0, True, None):
        with pytest.raises(SettingsError, match="Invalid 'UHC_STALE_MONTHS' value"):
            check_settings({**base, "UHC_STALE_MONTHS": bad})
    assert "UHC_STALE_MONTHS" in {s.name for s in SETTINGS}


def test_the_model_marks_only_regions_whose_newest_figure_is_old():
    dataset = load_dataset(SITE_DATA, TODAY)
    site = build_site(dataset, stale_months=24)
    assert site.freshness == Freshness(dt.date(2025, 6, 30), 24), "the data's date, not the clock"
    assert site.old("16.73") == Age(PartialDate(2018, 6), 84)
    assert site.old("73.13") is None and site.old("73.71") is None
    assert site.regions["16.73"].old == site.old("16.73")
    assert [r.old for r in site.provinces["16"].regions if r.code == "16.73"] == [site.old("16.73")]
    assert build_site(dataset, stale_months=120).old("16.73") is None
    assert build_site(dataset).old("16.73") is None, "not asked for: nothing is judged old"


def test_the_data_date_is_the_newest_day_a_source_was_read():
    dataset = load_dataset(SITE_DATA, TODAY)
    read = dataclasses.replace(dataset.sources["wajo-2020"], accessed=PartialDate(2026, 11, 2))
    sources = {**dataset.sources, "wajo-2020": read}
    site = build_site(dataclasses.replace(dataset, sources=sources), stale_months=24)
    assert site.freshness.today == dt.date(2026, 11, 2)
    assert site.old("73.71") is None and site.old("73.13") is None  # 22 and 16 months
    assert site.old("16.73").months == 100


def test_region_page_keeps_its_status_and_says_the_figure_is_old(built_site):
    page = soup(built_site / "wilayah" / "16.73" / "index.html")
    heading = text_of(page.select_one("#status"))
    assert heading == f"Status terbaru: ✖ Belum UHC {OLD_ID}"
    assert page.select_one("#status .old"), "framed apart from the badge"
    fresh = soup(built_site / "wilayah" / "73.13" / "index.html")
    assert not fresh.select(".old") and "angka lama" not in text_of(fresh.select_one("#status"))
    english = soup(built_site / "en" / "wilayah" / "16.73" / "index.html")
    assert text_of(english.select_one("#status")).endswith(OLD_EN)


def test_lists_mark_the_old_figure_beside_its_status(built_site):
    for path in ("wilayah/16/index.html", "wilayah/index.html", "index.html"):
        page = soup(built_site / path)
        rows = [
            text_of(tr)
            for tr in page.select("tbody tr")
            if tr.select_one('a[href$="wilayah/16.73/"]')
        ]
        assert rows and all("Belum UHC" in r and OLD_ID in r for r in rows), (path, rows)
        others = [text_of(tr) for tr in page.select("tbody tr") if "16.73" not in str(tr)]
        assert not any("angka lama" in r for r in others), path


def test_the_search_record_carries_the_age(built_site):
    page = soup(built_site / "wilayah" / "16.73" / "index.html")
    meta = {n["data-pagefind-meta"]: text_of(n) for n in page.select("[data-pagefind-meta]")}
    assert meta["status"] == "Belum UHC", "the status filter keeps its values"
    assert meta["old"] == OLD_ID
    fresh = soup(built_site / "wilayah" / "73.13" / "index.html")
    assert not fresh.select('[data-pagefind-meta="old"]')


def test_feed_entries_of_old_figures_say_so(built_site):
    feed = ET.parse(built_site / "wilayah" / "16.73" / "atom.xml").getroot()
    (entry,) = feed.iter(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title").endswith(f"Belum UHC, {OLD_ID}")
    assert f", {OLD_ID}." in entry.findtext(f"{ATOM}summary")
    wajo = ET.parse(built_site / "wilayah" / "73.13" / "atom.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in wajo.iter(f"{ATOM}entry")]
    assert "angka lama" not in titles[0] and "angka lama" in titles[-1], titles


def test_tile_map_marks_provinces_with_old_figures_in_words():
    site = build_site(load_dataset(SITE_DATA, TODAY), stale_months=24)
    data = charts.tile_data(site)
    tiles = {t["Provinsi"]: t for t in data.datasets["petak"]}
    south_sumatra = site.provinces["16"].name
    assert tiles[south_sumatra]["jumlah"].endswith("*")
    assert tiles[south_sumatra]["Angka lama"] == "1"
    assert not tiles[site.provinces["73"].name]["jumlah"].endswith("*")
    assert "*: sebagian angka lama (lihat tabel)" in data.subheading
    assert "1 di antaranya angka lama" in data.description


def test_home_ranks_current_figures_only_and_lists_the_old_apart(built_site):
    """A journalist reads a ranking as like against like: only figures that are not old, with
    their period; the old ones below the threshold are listed apart, by date, not ranked."""
    home = soup(built_site / "index.html")
    heading = next(h for h in home.select("h3") if text_of(h) == "Paling jauh dari ambang UHC")
    said = text_of(heading.find_next_sibling("p"))
    assert said.startswith("Angka per 31 Desember 2024 sampai Juni 2025"), said
    assert "dinilai dengan ambang yang berlaku pada tanggalnya. 1 kabupaten/kota" in said
    assert "1 kabupaten/kota dengan angka lama (lebih dari 24 bulan) di bawah ambang" in said
    assert heading.find_next_sibling("p").select_one('a[href="#angka-lama"]')
    ranked = [text_of(li) for li in home.select("ol.furthest > li")]
    assert len(ranked) == 1 and ranked[0].startswith("Kabupaten Wajo"), ranked
    assert "0,50 poin di bawah ambang 98 %" in ranked[0]
    apart = [text_of(li) for li in home.select("#angka-lama li")]
    assert len(apart) == 1 and apart[0].startswith("Kota Lubuk Linggau"), apart
    assert "25 poin di bawah ambang 95 %" in apart[0] and OLD_ID in apart[0]


def test_home_counts_and_distribution_say_which_period_they_cover(built_site):
    home = soup(built_site / "index.html")
    said = text_of(
        home.select_one("#ringkasan ~ p.meta, section[aria-labelledby=ringkasan] p.meta")
    )
    assert said.startswith(
        "Dihitung dari angka terbaru tiap kabupaten/kota, bertanggal Juni 2018 sampai Juni 2025."
    ), said
    assert "1 di antaranya angka lama: berumur lebih dari 24 bulan" in said
    site = build_site(load_dataset(SITE_DATA, TODAY), stale_months=24)
    words = charts.distribution_data(site).subheading
    # two lines: one long line widened the chart past a 360 px phone (its text then shrank)
    assert words[-2:] == ["angka per Juni 2018 sampai Juni 2025", "1 di antaranya angka lama"]
