"""End to end: build sites and read the pages as a parser (not substring hopes) would."""

from __future__ import annotations

import csv
import io

from conftest import soup, text_of


def test_real_site_has_every_page(real_site):
    assert (real_site / "index.html").is_file()
    assert (real_site / "wilayah" / "index.html").is_file()
    provinces = [p for p in (real_site / "wilayah").iterdir() if p.is_dir() and "." not in p.name]
    regions = [p for p in (real_site / "wilayah").iterdir() if p.is_dir() and "." in p.name]
    assert len(provinces) == 38
    assert len(regions) == 514
    assert all((p / "index.html").is_file() for p in provinces + regions)
    forums = [p for p in (real_site / "forum").iterdir() if p.is_dir()]
    assert len(forums) == 6
    for slug in ("tentang", "metodologi", "panduan-data"):
        assert (real_site / slug / "index.html").is_file()


def test_wajo_page_shows_the_printed_figures(real_site):
    page = soup(real_site / "wilayah" / "73.13" / "index.html")
    status = text_of(page.select_one("section.status"))
    for figure in ("311.536", "376.386", "82,77 %", "per September 2020"):
        assert figure in status
    assert "Belum UHC" in status
    assert "46.031" in status  # people still needed to reach 95 %
    assert "minimal 95 %" in status  # names the rule used
    assert "Kabupaten Wajo" in text_of(page.h1)


def test_wajo_page_traces_every_number_to_its_source(real_site):
    page = soup(real_site / "wilayah" / "73.13" / "index.html")
    row = page.select_one("#angka-2020-09")
    assert row.select_one('a[href="#sumber-upeks-wajo-2020"]')
    source = page.select_one("#sumber-upeks-wajo-2020")
    assert "311.536 jiwa penduduk atau 82,77 %" in text_of(source)
    derived = [text_of(td) for td in row.find_all("td") if td.select_one(".derived")]
    assert derived == ["64.850 dihitung"]  # only not_enrolled was not printed


def test_wajo_commitment_is_open_and_links_its_forum(real_site):
    page = soup(real_site / "wilayah" / "73.13" / "index.html")
    commitment = page.select_one("li.commitment")
    assert "paling lambat 2021" in text_of(commitment)
    assert "Belum dapat dinilai" in text_of(commitment)
    assert commitment.select_one('a[href="../../forum/2020-10-26-wajo-forum-pku/"]')


def test_lubuklinggau_derived_population_is_marked_approximate(seed_site):
    page = soup(seed_site / "wilayah" / "16.73" / "index.html")
    status = text_of(page.select_one("section.status"))
    assert "70 %" in status and "70,00" not in status
    assert "158.704" in status
    assert "≈ 227 ribu (225.112–228.351) dihitung" in status
    assert "226.720" not in text_of(page), "no false precision anywhere on the page"


def test_blitar_agreement_and_mukomuko_award_are_shown(real_site):
    blitar = text_of(soup(real_site / "wilayah" / "35.05" / "index.html"))
    assert "Kesepakatan Bersama Nomor 119/I.22/409.05/2018" in blitar
    mukomuko = soup(real_site / "wilayah" / "17.06" / "index.html")
    assert "Sudah UHC" in text_of(mukomuko.select_one("section.status"))
    assert "UHC Award" in text_of(mukomuko)


def test_region_without_data_says_so_and_how_to_add_it(real_site):
    page = soup(real_site / "wilayah" / "11.01" / "index.html")
    status = text_of(page.select_one("section.status"))
    assert "Belum ada data" in status
    assert "data/coverage/" in status and "11.01" in status
    assert page.select_one('a[href="../../panduan-data/"]')


def test_directory_lists_all_regions_by_province(seed_site):
    page = soup(seed_site / "wilayah" / "index.html")
    assert len(page.select("section[id^=prov-]")) == 38
    rows = page.select("section[id^=prov-] tbody tr")
    assert len(rows) == 514
    wajo = next(r for r in rows if "Kabupaten Wajo" in text_of(r))
    assert "82,77 %" in text_of(wajo) and "Belum UHC" in text_of(wajo)
    assert sum("Belum ada data" in text_of(r) for r in rows) == 514 - 3


def test_province_page_lists_its_regions(real_site):
    page = soup(real_site / "wilayah" / "73" / "index.html")
    assert "Sulawesi Selatan" in text_of(page.h1)
    assert len(page.select("tbody tr")) == 24


def test_home_summary_counts(seed_site):
    page = soup(seed_site / "index.html")
    stats = [text_of(li) for li in page.select("ul.stats li")]
    assert stats[0].startswith("3 dari 514")
    assert stats[1].startswith("1 memenuhi")
    assert len(page.select("#forum ~ ul li, section[aria-labelledby=forum] ul.list > li")) == 5


def test_home_summary_adds_up_to_every_regency(real_site):
    """Met, not met, cannot be judged and no figure: four counts that make the 514, so a reader
    is never left with regencies the summary does not place (a participants-only figure has no %
    to judge)."""
    page = soup(real_site / "index.html")
    items = [text_of(li) for li in page.select("ul.stats li")]
    counts = [int(text.split()[0].replace(".", "")) for text in items]
    assert items[3].split(maxsplit=1)[1].startswith("punya angka, tetapi tidak dapat dinilai")
    assert counts[0] == counts[1] + counts[2] + counts[3]
    assert counts[1] + counts[2] + counts[3] + counts[4] == 514


def test_rule_changes_with_the_date_of_the_figure(built_site):
    page = soup(built_site / "wilayah" / "73.13" / "index.html")
    rows = {r["id"]: text_of(r) for r in page.select("tbody tr[id]")}
    assert "Belum UHC" in rows["angka-2025-06"] and "ambang 98 %" in rows["angka-2025-06"]
    assert "ambang 95 %" in rows["angka-2020-09"]


def test_coverage_above_100_is_shown_and_flagged(built_site):
    page = soup(built_site / "wilayah" / "73.71" / "index.html")
    status = page.select_one("section.status")
    assert "101,20 %" in text_of(status)
    assert status.select_one(".flag")
    assert "80,00 % dari peserta" in text_of(status)


def test_region_csv_download_matches_the_table(built_site):
    page = soup(built_site / "wilayah" / "73.13" / "index.html")
    link = page.find("a", href="../../wilayah/73.13/cakupan-73.13.csv")
    assert link is not None
    rows = list(
        csv.DictReader(
            io.StringIO(
                (built_site / "wilayah" / "73.13" / "cakupan-73.13.csv").read_text(encoding="utf-8")
            )
        )
    )
    assert [r["as_of"] for r in rows] == ["2020-09", "2025-06"]
    assert len(page.select("tbody tr[id]")) == len(rows)
    first = rows[0]
    assert (first["population"], first["participants"], first["coverage_pct"]) == (
        "376386",
        "311536",
        "82.77",
    )
    assert first["not_enrolled_origin"] == "derived"
    assert first["people_needed"] == "46031"
    assert first["source_url"] == "https://example.org/wajo-2020"


def test_forum_page_shows_summary_commitment_and_agreement(built_site):
    page = soup(built_site / "forum" / "2020-10-26-wajo" / "index.html")
    assert text_of(page.h1) == "Forum PKU Kabupaten Wajo"
    assert page.select_one(".summary strong").get_text() == "validitas data penduduk"
    assert "Kesepakatan Bersama Nomor 1/2020" in text_of(page)
    assert page.select_one("#sumber-wajo-2020 a[href='https://example.org/wajo-2020']")


def test_pages_carry_no_build_clock(built_site):
    import datetime as dt

    today = dt.date.today()
    for path in built_site.rglob("*.html"):
        assert today.isoformat() not in path.read_text(encoding="utf-8"), path


def test_directory_download_has_every_row_the_page_shows(seed_site):
    rows = list(
        csv.DictReader(
            io.StringIO((seed_site / "wilayah" / "cakupan-terbaru.csv").read_text(encoding="utf-8"))
        )
    )
    page = soup(seed_site / "wilayah" / "index.html")
    shown = [text_of(tr.td) for tr in page.select("section[id^=prov-] tbody tr")]
    assert [r["region_code"] for r in rows] == shown
    wajo = next(r for r in rows if r["region_code"] == "73.13")
    assert (wajo["coverage_pct"], wajo["status"]) == ("82.77", "below")
    assert sum(r["status"] == "no-data" for r in rows) == 511


def test_province_figures_citing_one_source_list_it_once(tmp_path):
    from conftest import build, make_project

    project = make_project(tmp_path / "p")
    coverage = project / "data" / "coverage" / "contoh.csv"
    with coverage.open("a", encoding="utf-8") as out:
        out.write("73,2019-12,9000000,8100000,,90.00,,contoh-rekap\n")
        out.write("73,2020-09,9100000,8300000,,91.21,,contoh-rekap\n")
    site = build(project)
    page = soup(site / "wilayah" / "73" / "index.html")
    assert len(page.select("#sumber-contoh-rekap")) == 1, "one source block, one id"
    links = [a["href"] for a in page.select('a[href="#sumber-contoh-rekap"]')]
    assert len(links) == 2, "each figure still links to it"
    # its numbers stand in a table, not in the excerpt: the source block says where
    block = page.select_one("#sumber-contoh-rekap")
    assert text_of(block.select_one(".excerpt-note")) == (
        "Angka yang tidak ada dalam kutipan ini tercetak di sumber pada: tabel halaman 4."
    )
    english = soup(site / "en" / "wilayah" / "73" / "index.html")
    assert text_of(english.select_one("#sumber-contoh-rekap .excerpt-note")) == (
        "Figures not in this excerpt are printed in the source at: tabel halaman 4."
    )
    wajo = soup(site / "wilayah" / "73.13" / "index.html")
    assert not wajo.select(".excerpt-note"), "a source without one shows none"


JINJA_ROWS = """{% for h, hs, cited in rows %}
<tr id="angka-{{ hs.as_of.iso }}">
  <td data-label="{{ l[0] }}">{{ hs.as_of|tanggal }}</td>
  <td class="num" data-label="{{ l[1] }}">{{ hs.population|number }}</td>
  <td class="num" data-label="{{ l[2] }}">{{ hs.participants|number }}</td>
  <td class="num" data-label="{{ l[3] }}">{{ hs.active_participants|number }}</td>
  <td class="num" data-label="{{ l[4] }}">{{ hs|pct }}</td>
  <td class="num" data-label="{{ l[5] }}">{{ hs.not_enrolled|number }}</td>
  <td data-label="{{ l[6] }}">{{ h|badge }}{% if h.rule %}<br><span class="meta">\
{{ h.rule|threshold }}</span>{% endif %}</td>
  <td data-label="{{ l[7] }}"><a href="#sumber-{{ hs.source_id }}">\
{{ cited.publisher or cited.title }}</a></td>
</tr>
{% if cite %}
<tr class="cite"><td colspan="8"><details><summary>{{ _("Kutip angka ini") }}</summary>\
<p>{{ cite.sentence(region, hs, cited) }}</p></details></td></tr>
{% endif %}
{% endfor %}"""


def test_figure_rows_write_what_the_template_loop_wrote():
    """The region table's rows come from a filter (a national site has 600,000): the same
    bytes as the Jinja loop it replaced, headings and source names escaped."""
    import dataclasses

    import jinja2
    from conftest import SITE_DATA, TODAY
    from uhc_portal.citation import Citations
    from uhc_portal.dataset import load_dataset
    from uhc_portal.filters import FILTERS
    from uhc_portal.i18n import _
    from uhc_portal.markup import HTML_FILTERS, figure_rows
    from uhc_portal.views import build_site

    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals["_"] = _
    env.filters.update(FILTERS)
    env.filters.update(HTML_FILTERS)
    loop = env.from_string(JINJA_ROWS)
    labels = ["Per", "Penduduk", "Peserta", "<b>aktif</b>", "Cakupan", "Belum", "Status", 'a"b']
    site = build_site(load_dataset(SITE_DATA, TODAY))
    checked = 0
    for page in [*site.regions.values(), *site.provinces.values()]:
        rows = page.figures
        if rows:
            a, s, source = rows[0]
            hostile = dataclasses.replace(source, publisher="<script>x</script> & co")
            rows = [(a, s, hostile), *rows[1:]]
        written = str(figure_rows(rows, labels))
        assert written == loop.render(rows=rows, l=labels)
        cite = Citations("https://contoh.id/<x>")
        cited = str(figure_rows(rows, labels, citations=cite, region='<b>"Wajo"</b>'))
        assert cited == loop.render(rows=rows, l=labels, cite=cite, region='<b>"Wajo"</b>')
        if rows:
            assert "&lt;b&gt;&#34;Wajo&#34;&lt;/b&gt;" in cited and "<b>" not in cited
        if rows:
            assert "&lt;script&gt;x&lt;/script&gt; &amp; co" in written
            assert 'data-label="&lt;b&gt;aktif&lt;/b&gt;"' in written
        checked += len(rows)
    assert checked >= 3


def test_a_number_the_source_did_not_print_is_said_so_not_a_dash(tmp_path):
    import shutil

    from conftest import SITE_DATA, build, make_project

    data = tmp_path / "data"
    shutil.copytree(SITE_DATA, data)
    rows = data / "coverage" / "contoh.csv"
    lines = rows.read_text(encoding="utf-8").splitlines()
    lines = [line.replace("2025-06,380000,", "2025-06,,") for line in lines]  # a % only
    rows.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = build(make_project(tmp_path / "project", data))
    page = text_of(soup(output / "wilayah" / "73.13" / "index.html").select_one("dl"))
    assert "tidak dicetak sumber" in page and "– jiwa" not in page


def test_priority_rule_sentence_has_no_nested_brackets(built_site):
    """The rule's other conditions carry their own brackets and full stop: a sentence of their
    own, not '(… (tidak dinilai oleh portal ini).).'"""
    page = soup(built_site / "wilayah" / "73.13" / "index.html")
    sentence = next(
        text_of(p) for p in page.select("section.status p") if "UHC Prioritas" in text_of(p)
    )
    assert sentence.endswith(
        "angka belum memenuhi. Syarat lain: Tidak ada tunggakan iuran Pemda "
        "(tidak dinilai oleh portal ini)."
    ), sentence
    assert ".)" not in sentence and ").)" not in sentence


def test_a_region_at_the_threshold_needs_no_one_said_in_words(built_site):
    """Kota Makassar, 101,20 %: no "≈ 0 (0–0)" people still needed, but the reason."""
    page = soup(built_site / "wilayah" / "73.71" / "index.html")
    [needed] = [dt for dt in page.select("dl.figures dt") if "Masih dibutuhkan" in dt.get_text()]
    assert text_of(needed.find_next_sibling("dd")) == "tidak ada: ambang sudah tercapai"
