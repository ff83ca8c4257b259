"""Citing a figure: stable anchors, the citation block and per-row citations, BibTeX and
CSL-JSON, no false precision, share cards and the embeddable chart, on the built site."""

from __future__ import annotations

import json
import re
import struct
import zlib
from pathlib import Path

import pytest
from conftest import SITE_DATA, build, make_project, soup, text_of

WAJO = "73.13"
LINGGAU = "16.73"


def region_pages(site: Path) -> list[Path]:
    pages = sorted(site.glob("wilayah/*/index.html"))
    assert len(pages) >= 6
    return pages


def figure_rows(page) -> list:
    """The table rows (region pages) or list items (province pages) that hold one figure."""
    return page.select("section[aria-labelledby=riwayat] tbody tr:not(.cite)") or page.select(
        "li[id^=angka-]"
    )


def citation_of(row):
    """A figure's citation: in the row under it (tables) or in its list item (provinces)."""
    if row.name == "tr":
        row = row.find_next_sibling("tr")
        assert "cite" in row["class"]
    return row.select_one("details p")


def test_every_figure_row_has_a_unique_anchor_its_citation_links_to(built_site):
    cited = 0
    for path in region_pages(built_site):
        page = soup(path)
        code = path.parent.name
        ids = [row.get("id") for row in figure_rows(page)]
        assert all(ids) and len(ids) == len(set(ids)), path
        all_ids = [tag["id"] for tag in page.select("[id]")]
        assert len(all_ids) == len(set(all_ids)), f"{path}: an id twice"
        for row in figure_rows(page):
            link = citation_of(row).a
            assert link["href"] == f"#{row['id']}", path
            assert text_of(link) == f"/wilayah/{code}/#{row['id']}"
            assert row["id"] == "angka-" + re.sub(r".*#angka-", "", text_of(link))
            cited += 1
    rows = [
        line
        for path in (SITE_DATA / "coverage").glob("*.csv")
        for line in path.read_text(encoding="utf-8").splitlines()[1:]
        if not line.startswith("ID,")  # the national figures are on the home page
    ]
    assert cited == len(rows), "every figure of the data, each on its region's page"


def test_wajo_citation_has_the_figure_date_publisher_and_link(real_site):
    page = soup(real_site / "wilayah" / WAJO / "index.html")
    block = page.select_one("section.cite-block")
    sentence = text_of(block.select_one("p.citation"))
    assert sentence.startswith("Kabupaten Wajo: cakupan kepesertaan JKN 82,77 % per September 2020")
    assert "311.536 peserta dari 376.386 penduduk" in sentence
    assert "Upeks.co.id (dari Jamkesnews)" in sentence
    assert "“Pemkab Wajo Targetkan Universal Health Coverage pada 2021”" in sentence
    assert "Semua angka dicetak sumber." in sentence
    assert sentence.endswith("Dihimpun Pantau UHC: /wilayah/73.13/#angka-2020-09")
    # the headline figure links to its row, which the citation links to as well
    assert page.select_one("section.status p.big a")["href"] == "#angka-2020-09"
    assert block.select_one("p.citation a")["href"] == "#angka-2020-09"
    row = page.select_one("#angka-2020-09")
    assert text_of(citation_of(row)) == sentence


def test_a_row_citation_names_its_source_date(built_site):
    row = soup(built_site / "wilayah" / WAJO / "index.html").select_one("#angka-2020-09")
    sentence = text_of(citation_of(row))
    for part in ("82,77 %", "September 2020", "Contoh Media", "27 Oktober 2020"):
        assert part in sentence
    assert "https://example.org/wajo-2020" in sentence


def test_derived_and_approximate_numbers_say_so_in_the_citation(built_site):
    wajo = soup(built_site / "wilayah" / WAJO / "index.html")
    newest = text_of(wajo.select_one("p.citation"))  # 97.50 % of 380,000: participants derived
    assert "Dicetak sumber: cakupan, penduduk." in newest
    assert "hanya perkiraan (≈): peserta." in newest
    linggau = soup(built_site / "wilayah" / LINGGAU / "index.html")
    sentence = text_of(linggau.select_one("p.citation"))
    assert "158.704 peserta dari ≈ 227 ribu penduduk, antara 225.112 dan 228.351" in sentence
    assert "Dicetak sumber: cakupan, peserta." in sentence


def test_lubuk_linggau_population_is_never_shown_with_false_precision(built_site):
    """158,704 at "70 %": 225,112–228,351 residents. Not 226.720, anywhere a reader looks."""
    folder = built_site / "wilayah" / LINGGAU
    page = soup(folder / "index.html")
    assert "226.720" not in text_of(page) and "226720" not in str(page)
    row = page.select_one("#angka-2018-06")
    assert "≈ 227 ribu (225.112–228.351)" in text_of(row)
    assert "≈ 227 ribu penduduk, antara 225.112 dan 228.351" in text_of(citation_of(row))
    status = text_of(page.select_one("section.status"))
    assert "≈ 227 ribu (225.112–228.351) dihitung" in status
    desc = text_of(page.select_one("figure.chart svg desc"))
    assert "≈ 57 ribu jiwa lagi" in desc  # 95 % of 225,112–228,351, less 158,704
    bib = (folder / f"kutipan-{LINGGAU}.bib").read_text(encoding="utf-8")
    items = json.loads((folder / f"kutipan-{LINGGAU}.json").read_text(encoding="utf-8"))
    for text in (bib.replace("~", " "), items[0]["title"].replace("\xa0", " ")):
        assert "≈ 227 ribu penduduk, antara 225.112 dan 228.351" in text
        assert "226.720" not in text and "226720" not in text


def test_bibtex_and_csl_json_of_every_figure(built_site):
    folder = built_site / "wilayah" / WAJO
    bib = (folder / f"kutipan-{WAJO}.bib").read_text(encoding="utf-8")
    entries = re.findall(r"@misc\{([^,]+),", bib)
    assert entries == ["pantau-uhc-73.13-angka-2020-09", "pantau-uhc-73.13-angka-2025-06"]
    depth = 0
    for char in bib.replace("\\{", "").replace("\\}", ""):
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0, "braces balanced"
    assert r"82,77~\%" in bib and "url = {/wilayah/73.13/#angka-2020-09}" in bib
    items = json.loads((folder / f"kutipan-{WAJO}.json").read_text(encoding="utf-8"))
    first = items[0]
    assert first["type"] == "dataset" and first["URL"] == "/wilayah/73.13/#angka-2020-09"
    assert first["original-publisher"] == "Contoh Media"
    assert first["original-date"] == {"date-parts": [[2020, 10, 27]]}
    assert "82,77\xa0%" in first["title"] and "September 2020" in first["title"]
    page = soup(folder / "index.html")
    shown = json.loads(page.select_one("section.cite-block details:nth-of-type(2) pre").text)
    assert shown == [items[-1]], "the headline's CSL-JSON is the newest figure's"


def test_anchors_are_the_same_after_a_rebuild_and_new_data(tmp_path):
    project = make_project(tmp_path / "p")
    first = build(project, tmp_path / "one")
    again = build(project, tmp_path / "two")
    coverage = project / "data" / "coverage" / "contoh.csv"
    with coverage.open("a", encoding="utf-8") as out:
        out.write("73.13,2022-03-31,378000,330000,,,,contoh-rekap\n")
        out.write("73,2022-03,9100000,8300000,,,,contoh-rekap\n")
    newer = build(project, tmp_path / "three")

    def anchors(site: Path) -> dict[str, bytes]:
        found = {}
        for path in region_pages(site):
            for row in figure_rows(soup(path)):
                found[f"{path.parent.name}#{row['id']}"] = str(citation_of(row)).encode()
        return found

    before = anchors(first)
    assert before == anchors(again), "the same bytes in a rebuild"
    after = anchors(newer)
    assert set(after) - set(before) == {"73.13#angka-2022-03-31", "73#angka-2022-03"}
    assert all(after[key] == value for key, value in before.items())
    province = soup(newer / "wilayah" / "73" / "index.html").select_one("#angka-2022-03")
    link = citation_of(province).a
    assert link["href"] == "#angka-2022-03" and "Sulawesi Selatan" in text_of(citation_of(province))


def test_embed_page_has_the_chart_figure_source_and_link_and_no_script(built_site):
    path = built_site / "wilayah" / WAJO / "sematkan" / "index.html"
    page = soup(path)
    assert not page.select("script, noscript, iframe, form, object, embed")
    assert not [
        (tag.name, name)
        for tag in page.find_all(True)
        for name in tag.attrs
        if name.lower().startswith("on")
    ], "no event handlers"
    assert "javascript:" not in path.read_text(encoding="utf-8")
    assert page.select_one("svg[role=img] desc")
    text = text_of(page)
    assert "Kabupaten Wajo : cakupan kepesertaan JKN 97,50 % per Juni 2025" in text
    assert "Sumber:" in text and "Pantau UHC" in text
    back = [a["href"] for a in page.select("a")]
    assert "../../../wilayah/73.13/#angka-2025-06" in back
    assert all(a.get("target") == "_blank" for a in page.select("a"))
    region = soup(built_site / "wilayah" / WAJO / "index.html")
    snippet = text_of(region.select_one("pre.snippet"))
    assert snippet.startswith('<iframe src="/wilayah/73.13/sematkan/"')
    assert not (built_site / "wilayah" / "73.14" / "sematkan").exists(), "no figure, no embed"


def test_share_cards_with_the_headline_figure(built_site):
    page = soup(built_site / "wilayah" / WAJO / "index.html")

    def meta(key: str) -> str | None:
        tag = page.select_one(f'meta[property="{key}"], meta[name="{key}"]')
        return tag["content"] if tag else None

    described = "Kabupaten Wajo: 97,50\xa0% penduduk terdaftar JKN per Juni 2025 — Belum UHC"
    assert meta("og:description") == meta("twitter:description") == described
    assert meta("og:title") == "Kabupaten Wajo: cakupan JKN · Pantau UHC"
    assert meta("og:type") == "website"
    # a local build has no public address: no relative og:url or og:image (both must be absolute)
    assert meta("og:url") is None and meta("og:image") is None
    assert meta("twitter:card") == "summary"


def test_share_image_and_absolute_urls_with_a_public_address(tmp_path):
    site = build(make_project(tmp_path / "p"), SITEURL="https://contoh.id/pantau")
    page = soup(site / "wilayah" / WAJO / "index.html")

    def meta(key: str) -> str:
        return page.select_one(f'meta[property="{key}"], meta[name="{key}"]')["content"]

    assert meta("og:url") == "https://contoh.id/pantau/wilayah/73.13/"
    assert meta("og:image") == meta("twitter:image") == "https://contoh.id/pantau/bagikan.png"
    assert meta("twitter:card") == "summary_large_image"
    png = (site / "bagikan.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) < 20_000
    assert struct.unpack(">II", png[16:24]) == (int(meta("og:image:width")), 315)
    cited = text_of(page.select_one("p.citation a"))
    assert cited == "https://contoh.id/pantau/wilayah/73.13/#angka-2025-06"
    home = soup(site / "index.html")
    assert home.select_one('meta[property="og:url"]')["content"] == "https://contoh.id/pantau/"


def pixels(png: bytes) -> list[tuple[int, ...]]:
    """Every pixel of an 8-bit RGBA or palette PNG as RGBA."""
    from uhc_portal.share import unfiltered

    width, height, _depth, kind = struct.unpack(">IIBB", png[16:26])
    chunks, offset = {}, 8
    while offset < len(png):
        length, name = struct.unpack(">I4s", png[offset : offset + 8])
        chunks[name] = chunks.get(name, b"") + png[offset + 8 : offset + 8 + length]
        offset += 12 + length
    bpp = 4 if kind == 6 else 1
    rows = unfiltered(zlib.decompress(chunks[b"IDAT"]), width, height, bpp)
    if kind == 6:
        return [tuple(row[x : x + 4]) for row in rows for x in range(0, len(row), 4)]
    palette = chunks[b"PLTE"]
    alpha = chunks.get(b"tRNS", b"")
    return [
        (*palette[3 * i : 3 * i + 3], alpha[i] if i < len(alpha) else 255)
        for row in rows
        for i in row
    ]


def test_share_image_palette_keeps_every_pixel():
    import vl_convert
    from uhc_portal.renderer import bundled_fonts_only
    from uhc_portal.share import SCALE, paletted, share_svg

    bundled_fonts_only()
    original = vl_convert.svg_to_png(share_svg("Pantau UHC"), scale=SCALE)
    small = paletted(original)
    assert small is not None and len(small) < len(original) / 3
    assert pixels(small) == pixels(original)


@pytest.mark.parametrize("slug", ["cara-mengutip"])
def test_how_to_cite_page_explains_dihitung_and_approximate(built_site, slug):
    page = soup(built_site / slug / "index.html")
    text = text_of(page)
    assert "≈ 227 ribu (225.112–228.351)" in text
    headings = [text_of(h) for h in page.select("h2")]
    assert "Arti tanda dihitung" in headings and "Arti tanda ≈" in headings
    region = soup(built_site / "wilayah" / WAJO / "index.html")
    assert region.select_one('section.cite-block a[href="../../cara-mengutip/"]')
