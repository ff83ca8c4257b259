"""The search index and its fallback: what Pagefind is given on each page, what it wrote, the
directory's A–Z list that the search box opens without JavaScript, and a failed index."""

from __future__ import annotations

import json
import shutil
import string
from pathlib import Path

import pytest
from conftest import ROOT, build, soup, text_of
from pagefind_files import decode, filters
from uhc_portal.views import sort_name


def search_fields(page) -> dict[str, str]:
    body = page.select("[data-pagefind-body]")
    assert len(body) == 1 and body[0].name == "main"
    fields = body[0].select_one("div[hidden]")
    return {
        node["data-pagefind-meta"]: text_of(node) for node in fields.select("[data-pagefind-meta]")
    }


def test_region_page_gives_name_code_aliases_province_and_status(seed_site):
    page = soup(seed_site / "wilayah" / "16.73" / "index.html")
    fields = search_fields(page)
    assert fields["title"] == "Kota Lubuk Linggau"
    assert fields["province"] == "Sumatera Selatan"
    assert fields["status"] == "Belum UHC"
    names = fields["names"].split(" · ")
    assert names[:3] == ["Kota Lubuk Linggau", "16.73", "1673"]
    assert {"Lubuklinggau", "Kota Lubuklinggau"} <= set(names)
    status = page.select_one('[data-pagefind-filter="status"]')
    assert text_of(status) == "Belum UHC"
    assert page.select_one("nav.crumbs").has_attr("data-pagefind-ignore")


def test_region_without_data_is_found_as_such(seed_site):
    fields = search_fields(soup(seed_site / "wilayah" / "62.10" / "index.html"))
    assert fields["title"] == "Kabupaten Gunung Mas"
    assert "Gumas" in fields["names"].split(" · ")
    assert (fields["province"], fields["status"]) == ("Kalimantan Tengah", "Belum ada data")


def test_province_forum_and_content_pages_say_what_they_are(real_site):
    province = search_fields(soup(real_site / "wilayah" / "73" / "index.html"))
    assert (province["title"], province["kind"]) == ("Sulawesi Selatan", "Provinsi")
    # its table of regions is left to the regions' own pages
    assert soup(real_site / "wilayah" / "73" / "index.html").select_one(
        "[data-pagefind-ignore] table"
    )
    forum = search_fields(soup(real_site / "forum" / "2020-10-26-wajo-forum-pku" / "index.html"))
    assert forum["kind"].startswith("Berita forum · ") and "2020" in forum["kind"]
    about = search_fields(soup(real_site / "metodologi" / "index.html"))
    assert about["kind"] == "Halaman"


def test_lists_are_not_indexed(real_site):
    for name in ("index.html", "wilayah/index.html", "forum/index.html", "grafik/index.html"):
        assert not soup(real_site / name).select("[data-pagefind-body]"), name


def test_index_holds_every_region_province_forum_and_page(seed_site):
    bundle = seed_site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    forums = len(list((seed_site / "forum").glob("*/index.html")))
    pages = len(list((ROOT / "content" / "pages").glob("*.md")))
    assert pages >= 3
    assert entry["languages"]["id"]["page_count"] == 514 + 38 + forums + pages
    meta = decode(next(bundle.glob("pagefind.*.pf_meta")))
    assert meta[-1] == ["kind", "names", "old", "province", "status", "title"]
    status = filters(bundle)["status"]
    assert sorted(status) == ["Belum UHC", "Belum ada data", "Sudah UHC"]
    assert sum(len(pages) for pages in status.values()) == 514
    assert len(filters(bundle)["province"]) == 38


def test_search_box_submits_to_the_directory_on_every_page(real_site):
    for name in (
        "index.html",
        "wilayah/73.13/index.html",
        "forum/index.html",
        "tentang/index.html",
    ):
        form = soup(real_site / name).select_one("header form[role=search]")
        assert form["method"] == "get"
        assert form["action"].endswith("wilayah/")
        box = form.select_one("input[name=q]")
        assert form.select_one(f"label[for={box['id']}]")
    # only the search page itself loads a script
    assert soup(real_site / "wilayah" / "index.html").select_one("script[src$='theme/js/cari.js']")
    assert not soup(real_site / "wilayah" / "73.13" / "index.html").select("script[src]")


def test_directory_lists_every_region_a_to_z_with_other_spellings(real_site):
    page = soup(real_site / "wilayah" / "index.html")
    section = page.select_one("#a-z")
    letters = [text_of(a) for a in section.select("nav.letters a")]
    assert letters == sorted(letters) and set(letters) <= set(string.ascii_uppercase)
    names = [
        (text_of(li.a), li.a["href"]) for li in section.select("ul.az li") if "→" not in text_of(li)
    ]
    assert len(names) == 514 and len({href for _, href in names}) == 514
    heads = [h["id"].removeprefix("huruf-") for h in section.select("h3")]
    assert heads == letters
    for head in section.select("h3"):
        entries = [text_of(li.a) for li in head.find_next_sibling("ul").select("li")]
        core = [sort_name(e) for e in entries]
        assert all(c.upper().startswith(head.get_text()) for c in core), head.get_text()
        assert core == sorted(core)
    aliases = {
        text_of(li.a): text_of(li) for li in section.select("ul.az li") if "→" in text_of(li)
    }
    assert aliases["Lubuklinggau"] == "Lubuklinggau → Kota Lubuk Linggau Sumatera Selatan"
    assert "Lubuk Linggau" not in aliases  # the name itself, spaced as in the code list
    assert "Kab. Wajo" not in aliases  # "Kab." read as "Kabupaten": the same name
    jakarta = section.select_one("#huruf-J").find_next_sibling("ul")
    assert "Kota Administrasi Jakarta Barat" in [text_of(a) for a in jakarta.select("a")]


def test_a_failed_index_leaves_the_previous_site(project, monkeypatch, tmp_path):
    output = build(project)
    before = (output / "index.html").read_bytes()
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: cannot index' >&2\nexit 3\n")
    failing.chmod(0o755)
    import pagefind_bin

    monkeypatch.setattr(pagefind_bin, "get_executable", lambda: Path(failing))
    from uhc_portal.search_index import SearchIndexError

    # a full build (nothing changed would leave the site as it is, without indexing it again)
    shutil.rmtree(project / ".cache" / "builds")
    with pytest.raises(SearchIndexError, match="exited 3: Error: cannot index"):
        build(project, output)
    assert (output / "index.html").read_bytes() == before
    assert not list(output.parent.glob(".output-*"))


def test_each_language_root_gets_a_bundle_of_its_own_pages(tmp_path):
    """Each language's copy of the theme looks for the bundle at its own root (/en/pagefind/):
    the root's bundle must not carry the English pages, nor the English one the Indonesian."""
    from uhc_portal.search_index import index_site

    def page(path: str, lang: str, words: str) -> None:
        file = tmp_path / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(
            f'<!DOCTYPE html><html lang="{lang}"><head><title>{words}</title></head>'
            f"<body><main data-pagefind-body><h1>{words}</h1></main></body></html>",
            encoding="utf-8",
        )

    page("wilayah/73.13/index.html", "id", "Kabupaten Wajo")
    page("tentang/index.html", "id", "Tentang")
    page("en/wilayah/73.13/index.html", "en", "Wajo Regency")
    page("en/about/index.html", "en", "About")
    index_site(tmp_path, ["id", "en"])
    root = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text())
    english = json.loads((tmp_path / "en" / "pagefind" / "pagefind-entry.json").read_text())
    assert {k: v["page_count"] for k, v in root["languages"].items()} == {"id": 2}
    assert {k: v["page_count"] for k, v in english["languages"].items()} == {"en": 2}
    assert not (tmp_path / "en" / "pagefind" / "pagefind").exists()
