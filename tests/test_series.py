"""The national series (ID), a province's own series, recognitions and national claims, as a
reader sees them on the built pages of the test site (tests/site/data)."""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil

from conftest import ROOT, SITE_DATA, TODAY, build, make_project, soup, text_of
from uhc_portal.dataset import load_dataset
from uhc_portal.excerpts import contains, count_number
from uhc_portal.model import Claim, PartialDate
from uhc_portal.views import build_site


def words_of(node) -> str:
    """Visible text as read: tags joined without adding spaces."""
    return " ".join(node.get_text().split())


def home(built_site):
    return soup(built_site / "index.html")


# ---------------------------------------------------------------------------------------------
# The national series


def test_home_page_headline_is_the_national_figure(built_site):
    national = home(built_site).find(id="nasional")
    words = text_of(national.find("p", class_="big"))
    assert (
        "Cakupan kepesertaan JKN Indonesia (angka nasional) 95,92 % per 31 Desember 2023" in words
    )
    assert "267.311.566 peserta dari 278.696.200 penduduk" in words
    assert "Contoh laporan nasional 2023" in words


def test_home_page_charts_the_national_series(built_site):
    figure = home(built_site).find("figure", id="grafik-nasional")
    assert figure is not None
    assert "Indonesia" in text_of(figure.find("title"))
    assert (built_site / "grafik-nasional.svg").is_file()
    # the national chart stands under the headline, not among the regencies' charts
    assert figure.find_parent(class_="chart-row") is None


def test_home_page_lists_every_national_figure_with_its_anchor(built_site):
    table = home(built_site).find(id="nasional").find("table")
    rows = [text_of(tr) for tr in table.find("tbody").find_all("tr")]
    assert len(rows) == 2
    assert rows[0].startswith("31 Desember 2023 95,92 %")
    assert rows[1].startswith("31 Desember 2022 90,34 %")
    ids = [tr["id"] for tr in table.find("tbody").find_all("tr")]
    assert ids == ["angka-2023-12-31", "angka-2022-12-31"]


def test_the_national_feed_links_a_national_figure_to_the_home_page(built_site):
    feed = (built_site / "pembaruan" / "atom.xml").read_text(encoding="utf-8")
    assert '<link href="/#angka-2023-12-31"' in feed
    assert "/wilayah/ID/" not in feed


def test_every_language_s_national_feed_holds_the_same_entries(built_site):
    """The English feed is the Indonesian one translated: the same entries, the national
    figures among them (its run links the national files rather than writing them)."""
    import re

    entry_ids = re.compile(r"<entry>\s*<title>.*?</title>.*?<id>([^<]*)</id>", re.S)
    feeds = [built_site / "pembaruan" / "atom.xml", built_site / "en" / "pembaruan" / "atom.xml"]
    ids = [entry_ids.findall(feed.read_text(encoding="utf-8")) for feed in feeds]
    assert "tag:pantau-uhc,2026:angka/ID/2023-12-31/contoh-nasional-2023" in ids[0]
    assert ids[1] == ids[0]


def test_national_and_province_figures_never_count_as_regencies(built_site):
    page = home(built_site)
    stats = text_of(page.find("ul", class_="stats"))
    assert stats.startswith("3 dari 4 kabupaten/kota sudah punya angka")
    newest = text_of(page.find(id="terbaru").find_parent("section").find("table"))
    assert "Indonesia" not in newest and "Sulawesi Selatan" not in newest
    tallies = {
        text_of(tr.find("td")): [text_of(td) for td in tr.find_all("td")[1:]]
        for tr in page.find("details", class_="tallies").find("tbody").find_all("tr")
    }
    assert tallies["Sulawesi Selatan"] == ["1/3", "2", "0"]  # its own figure is not a regency's
    directory = text_of(soup(built_site / "wilayah" / "index.html").find("main"))
    assert "Indonesia" not in directory
    latest = (built_site / "wilayah" / "cakupan-terbaru.csv").read_text(encoding="utf-8")
    assert [r["region_code"] for r in csv.DictReader(io.StringIO(latest))] == [
        "16.73",
        "73.13",
        "73.14",
        "73.71",
    ]


def test_national_downloads_carry_the_national_and_province_rows_by_their_codes(built_site):
    text = (built_site / "data" / "cakupan.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    national = [r for r in rows if r["region_code"] == "ID"]
    assert [(r["region_name"], r["as_of"], r["coverage_pct"]) for r in national] == [
        ("Indonesia", "2022-12-31", "90.34"),
        ("Indonesia", "2023-12-31", "95.92"),
    ]
    assert [r["region_name"] for r in rows if r["region_code"] == "73"] == ["Sulawesi Selatan"]
    regions = (built_site / "data" / "wilayah.csv").read_text(encoding="utf-8").splitlines()
    assert regions[1] == "ID,nasional,,Indonesia"


def test_national_headline_names_only_a_printed_population(tmp_path):
    """Real national reports print a count and a % but rarely the population: the headline
    says what was printed; the derived population stays in the table, marked."""
    data = tmp_path / "data"
    shutil.copytree(SITE_DATA, data)
    national = data / "coverage" / "nasional.csv"
    header = national.read_text(encoding="utf-8").splitlines()[0]
    national.write_text(
        header + "\nID,2025-12-31,,282739458,,98.62,,contoh-rekap\n", encoding="utf-8"
    )
    output = build(make_project(tmp_path / "project", data))
    national = soup(output / "index.html").find(id="nasional")
    headline = text_of(national.find("p", class_="big"))
    assert "98,62 % per 31 Desember 2025: 282.739.458 peserta." in headline
    assert "penduduk" not in headline and "dihitung" not in headline
    assert "dihitung" in text_of(national.find("table"))


def test_home_page_reads_right_without_national_figures(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SITE_DATA, data)
    (data / "coverage" / "nasional.csv").unlink()
    (data / "claims.csv").unlink()
    shutil.rmtree(data / "recognitions")
    output = build(make_project(tmp_path / "project", data))
    page = soup(output / "index.html")
    assert page.find(id="nasional") is None
    assert page.find(id="grafik-nasional") is None
    assert page.find(id="klaim") is None and page.find(id="penghargaan") is None
    assert text_of(page.find("ul", class_="stats")).startswith("3 dari 4 kabupaten/kota")
    assert soup(output / "wilayah" / "73.13" / "index.html").find(id="penghargaan") is None


# ---------------------------------------------------------------------------------------------
# A province's own series


def test_province_page_shows_its_own_figure_beside_its_regencies(built_site):
    page = soup(built_site / "wilayah" / "73" / "index.html")
    own = text_of(page.find("p", class_="province-own"))
    assert "Angka Sulawesi Selatan sendiri" in own
    assert "95,70 %" in own and "Desember 2023" in own and "Sudah UHC" in own
    section = page.find(id="provinsi").find_parent("section")
    assert section.find("figure", id="grafik-73-provinsi") is not None
    assert (built_site / "wilayah" / "73" / "grafik-73-provinsi.svg").is_file()
    assert section.find(id="angka-2023-12") is not None
    # the regencies' chart and table stay the regencies' alone
    assert page.find("figure", id="grafik-73") is not None
    names = [text_of(td) for td in page.find("table", class_="cards").select("td.card-name")]
    assert names == ["Kabupaten Wajo", "Kabupaten Sidenreng Rappang", "Kota Makassar"]


# ---------------------------------------------------------------------------------------------
# Recognitions


def test_a_recognition_with_two_sources_is_shown_once_with_both(built_site):
    page = soup(built_site / "wilayah" / "73.13" / "index.html")
    section = page.find(id="penghargaan").find_parent("section")
    items = section.find_all("li", class_="recognition")
    assert len(items) == 1
    words = text_of(items[0])
    assert words_of(items[0].find("p")) == "UHC Award 2024, kategori Madya"
    assert "Contoh daftar penerima UHC Award 2024" in words
    assert "Contoh berita Wajo terima UHC Award 2024" in words
    # an award is not a figure: the status stays what the newest figure says
    assert text_of(page.find(id="status")) == "Status terbaru: ✖ Belum UHC"


def test_a_province_page_shows_its_recognitions(built_site):
    page = soup(built_site / "wilayah" / "73" / "index.html")
    items = page.find(id="penghargaan").find_parent("section").find_all("li")
    assert [words_of(li.find("p")) for li in items] == ["UHC Award 2024, kategori Utama"]


def test_a_region_without_recognitions_has_no_awards_section(built_site):
    assert soup(built_site / "wilayah" / "16.73" / "index.html").find(id="penghargaan") is None


def test_recognitions_never_set_or_change_a_status():
    dataset = load_dataset(SITE_DATA, TODAY)
    assert dataset.recognitions
    with_awards = build_site(dataset)
    without = build_site(dataclasses.replace(dataset, recognitions=()))
    assert with_awards.summary == without.summary
    for code, page in with_awards.regions.items():
        assert page.status == without.regions[code].status, code
    for code, page in with_awards.provinces.items():
        assert page.status == without.provinces[code].status, code


def test_home_page_counts_recognitions_per_year(built_site):
    section = home(built_site).find(id="penghargaan").find_parent("section")
    item = text_of(section.find("ul", class_="award-tallies").find("li"))
    assert item.startswith(
        "2024, UHC Award: 2 kabupaten/kota dan 1 provinsi penerima (Utama: 1, Madya: 1, Pratama: 1)"
    )
    links = [a["href"] for a in section.find_all("a")]
    assert links == [
        "./wilayah/73/#penghargaan",
        "./wilayah/73.13/#penghargaan",
        "./wilayah/73.71/#penghargaan",
    ]


# ---------------------------------------------------------------------------------------------
# Claims beside what the portal holds


def test_each_claim_is_shown_as_printed_beside_what_the_portal_holds(built_site):
    claims = home(built_site).find(id="klaim").find_parent("section").find_all("li")
    printed = [text_of(li.find("p")) for li in claims]
    held = [text_of(li.find("p", class_="meta")) for li in claims]
    assert printed[1] == (
        "Contoh BPJS: 416 dari 514 kabupaten/kota UHC per 31 Desember 2023 "
        "(Contoh laporan nasional 2023, Contoh BPJS)"
    )
    # Wajo's 2020 figure and Lubuklinggau's 2018 one are dated by then but 24 months or more
    # before it (UHC_STALE_MONTHS), so not counted; Makassar's 2024 figure and Wajo's 2025 one
    # are later
    assert held[1] == (
        "Portal ini memuat angka untuk 0 kabupaten/kota pada atau sebelum 31 Desember 2023; "
        "0 di antaranya UHC menurut angka terbaru masing-masing per tanggal itu dan aturan yang "
        "berlaku. Angka yang berumur 24 bulan atau lebih pada tanggal itu tidak dihitung; "
        "2 kabupaten/kota lain hanya punya angka setua itu."
    )
    assert printed[0].startswith("Contoh Kementerian: 397 kabupaten/kota menerima UHC Award 2024")
    assert held[0] == "Portal ini mencatat penghargaan tahun 2024 untuk 2 kabupaten/kota."


def test_a_claim_counts_each_regions_newest_figure_by_its_date():
    dataset = load_dataset(SITE_DATA, TODAY)
    claim = Claim(PartialDate(2025, 6, 30), "kabkota-uhc", 450, 514, "wajo-2025", "x.csv", 2)
    site = build_site(dataclasses.replace(dataset, claims=(claim,)))
    (holding,) = site.holdings
    # Wajo 97,50 % (2025-06, rule 98 %: below), Makassar 101,20 % (meets), Lubuklinggau 70 %
    assert (holding.with_data, holding.meeting) == (3, 1)
    # with UHC_STALE_MONTHS as the window, Lubuklinggau's 2018 figure says nothing of 2025
    site = build_site(dataclasses.replace(dataset, claims=(claim,)), stale_months=24)
    (holding,) = site.holdings
    assert (holding.with_data, holding.meeting, holding.older) == (2, 1, 1)
    # a figure 23 whole months before the claim's date still counts; 24 does not
    near = dataclasses.replace(claim, as_of=PartialDate(2020, 5, 31))
    site = build_site(dataclasses.replace(dataset, claims=(near,)), stale_months=24)
    assert (site.holdings[0].with_data, site.holdings[0].older) == (1, 0)  # Lubuklinggau 2018-06
    far = dataclasses.replace(claim, as_of=PartialDate(2020, 6, 30))
    site = build_site(dataclasses.replace(dataset, claims=(far,)), stale_months=24)
    assert (site.holdings[0].with_data, site.holdings[0].older) == (0, 1)
    provinces = dataclasses.replace(claim, kind="provinsi-uhc")
    site = build_site(dataclasses.replace(dataset, claims=(provinces,)))
    assert (site.holdings[0].with_data, site.holdings[0].meeting) == (1, 1)  # Sulawesi Selatan


def test_english_home_page_has_the_claims_and_national_series(built_site):
    page = soup(built_site / "en" / "index.html")
    assert "JKN coverage of Indonesia (the national figure) 95.92 %" in text_of(
        page.find(id="nasional")
    )
    claims = text_of(page.find(id="klaim").find_parent("section"))
    assert "Contoh BPJS: 416 of 514 regencies/cities at UHC as of 31 December 2023" in claims
    assert "This portal holds figures dated on or before 31 December 2023 for 0" in claims
    assert "2 other regencies/cities have only figures that old." in claims


def printed_in(number: int, excerpt: str) -> bool:
    return contains(excerpt, count_number("count", number))


def test_a_claims_count_must_be_printed_as_a_whole_number_in_its_excerpt():
    assert printed_in(416, "416 dari 514 kabupaten/kota")
    assert printed_in(514, "416 dari 514 Kabupaten/Kota")
    assert printed_in(1234, "sebanyak 1.234 desa") and printed_in(1234, "sebanyak 1234 desa")
    assert not printed_in(416, "4.416 jiwa") and not printed_in(416, "41,6 persen")
    assert not printed_in(416, "416,5 ribu") and not printed_in(41, "416 dari 514")


# ---------------------------------------------------------------------------------------------
# The data guide's examples are the project's own rows


GUIDES = (
    ROOT / "content" / "pages" / "panduan-data.md",
    ROOT / "content" / "en" / "pages" / "panduan-data.md",
)


def test_the_guides_national_province_and_claim_examples_are_real_rows():
    """Each example row the guide shows (indented, a national, province or claim row) stands
    word for word in data/, citing a source of data/sources.yaml."""
    data = ROOT / "data"
    rows = {
        "ID,": (data / "coverage" / "nasional.csv").read_text(encoding="utf-8").splitlines(),
        "61,": (data / "coverage" / "kalimantan-barat.csv")
        .read_text(encoding="utf-8")
        .splitlines(),
        "20": (data / "claims.csv").read_text(encoding="utf-8").splitlines(),
    }
    sources = (data / "sources.yaml").read_text(encoding="utf-8")
    for guide in GUIDES:
        shown = [
            line.strip()
            for line in guide.read_text(encoding="utf-8").splitlines()
            if line.startswith("    ")
            and line.strip().startswith(("ID,", "61,", "2023-12-31,k", "2026,"))
        ]
        assert len(shown) == 6, guide  # with the excerpt_note example, national too
        for line in shown:
            prefix = next(p for p in rows if line.startswith(p))
            assert line in rows[prefix], f"{guide.name}: {line} is not a row of data/"
            assert f"\n{line.split(',')[-1]}:\n" in sources


def test_one_claim_printed_by_two_sources_is_one_claim_with_both_sources():
    dataset = load_dataset(SITE_DATA, TODAY)
    first = Claim(PartialDate(2024), "kabkota-award", 460, None, "wajo-2025", "x.csv", 2)
    second = dataclasses.replace(first, source_id="makassar-2024", line=3)
    other = dataclasses.replace(first, count=461, source_id="linggau-2018", line=4)
    site = build_site(dataclasses.replace(dataset, claims=(first, second, other)))
    assert [(h.claim.source_id, [c.source_id for c in h.also]) for h in site.holdings] == [
        ("wajo-2025", ["makassar-2024"]),
        ("linggau-2018", []),
    ]
