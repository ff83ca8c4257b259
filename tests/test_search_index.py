"""The search index and its fallback: what Pagefind is given on each page, what it wrote, the
directory's A–Z list that the search box opens without JavaScript, and a failed index."""

from __future__ import annotations

import json
import shutil
import string
from pathlib import Path

import pytest
from conftest import ROOT, build, note_every_excerpt, soup, text_of
from pagefind_files import decode, filters, is_unstable
from uhc_portal import search_index
from uhc_portal.search_index import BUNDLE, page_record
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


def pagefind_over_whole_pages(site: Path, into: Path) -> None:
    """The bundles as Pagefind writes them reading every page of the site itself (before issue
    21: `--site` on each language root, the root's own pages by a glob)."""
    import subprocess

    from pagefind_bin import get_executable

    tops = [p.name for p in sorted(site.iterdir()) if p.is_dir() and p.name not in ("en", BUNDLE)]
    own = "{" + ",".join(["*.html", *(f"{name}/**/*.html" for name in tops)]) + "}"
    for root, glob in ((site / "en", None), (site, own)):
        bundle = into / root.relative_to(site) / BUNDLE
        command = [str(get_executable()), "--site", str(root), "--output-path", str(bundle)]
        command += ["--quiet"] + (["--glob", glob] if glob else [])
        subprocess.run(command, check=True)


def test_the_bundle_from_records_is_the_bundle_from_the_whole_pages(seed_site, tmp_path):
    """Pagefind reads a record of each page (its body without what it ignores whole), not the
    page: the same bundle, every file byte for byte but those Pagefind orders anew each run."""
    pagefind_over_whole_pages(seed_site, tmp_path)
    for bundle in (BUNDLE, f"en/{BUNDLE}"):
        ours, whole = seed_site / bundle, tmp_path / bundle
        files = [
            {p.relative_to(b).as_posix(): p for p in b.rglob("*") if p.is_file()}
            for b in (ours, whole)
        ]
        assert json.loads(files[0].pop("shards.json").read_bytes()) == []  # one bundle: ours
        stable = [{k: v for k, v in f.items() if not is_unstable(f"{bundle}/{k}")} for f in files]
        assert sorted(stable[0]) == sorted(stable[1]), bundle
        assert len(stable[0]) > 500
        for name, path in stable[0].items():
            assert path.read_bytes() == stable[1][name].read_bytes(), f"{bundle}/{name}"
        assert filters(ours) == filters(whole)
        metas = [decode(next(b.glob("pagefind.*.pf_meta"))) for b in (ours, whole)]
        assert metas[0][:3] + metas[0][4:] == metas[1][:3] + metas[1][4:]


def test_a_record_leaves_out_what_pagefind_ignores_whole():
    page = (
        b'<html lang="en"><head><title>t</title></head><body><nav>menu</nav>'
        b'<main id="isi" data-pagefind-body><h1>Wajo</h1>'
        b'<section data-pagefind-ignore="all"><section><p>nested</p></section><p>x</p></section>'
        b"<section><p>kept</p></section>"
        b'<div data-pagefind-ignore="all" class="c"><div>deep <div>er</div></div></div>'
        b"<p data-pagefind-ignore>kept, Pagefind reads its meta</p></main><footer>f</footer>"
        b"</body></html>"
    )
    record = page_record(page)
    assert record == (
        b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body>'
        b'<main id="isi" data-pagefind-body><h1>Wajo</h1><section><p>kept</p></section>'
        b"<p data-pagefind-ignore>kept, Pagefind reads its meta</p></main></body></html>\n"
    )
    assert page_record(b'<html lang="id"><body><main id="isi"><h1>A list</h1></main>') is None
    assert page_record(b"<html><body>no main</body></html>") is None


def test_only_changed_pages_are_read_and_an_unchanged_index_is_linked(project, monkeypatch):
    """A rebuild reads again only the pages that changed since the last build; when no page's
    record changed, each language's bundle is linked from the last build, not made again."""
    output = build(project)
    pagefind = [output / bundle / "pagefind.js" for bundle in (BUNDLE, f"en/{BUNDLE}")]
    inodes = [path.stat().st_ino for path in pagefind]
    read = []
    real = search_index.page_record
    monkeypatch.setattr(search_index, "page_record", lambda html: read.append(1) or real(html))

    # an older figure of Wajo without its printed percentage: its page's history table and
    # chart change, not what is indexed
    data = project / "data" / "coverage" / "contoh.csv"
    before = "73.13,2020-09,376386,311536,,82.77,,wajo-2020\n"
    assert before in data.read_text(encoding="utf-8")
    after = before.replace(",82.77,", ",,")
    data.write_text(data.read_text(encoding="utf-8").replace(before, after), encoding="utf-8")
    build(project)
    assert 0 < len(read) < 40  # the region's, its province's and the national pages
    assert [path.stat().st_ino for path in pagefind] == inodes

    # Wajo's name changes: on its page's record, so both bundles are made again
    read.clear()
    regencies = project / "data" / "regions" / "regencies.csv"
    named = regencies.read_text(encoding="utf-8").replace("Kabupaten Wajo", "Kabupaten Wajo Baru")
    regencies.write_text(named, encoding="utf-8")
    build(project)
    assert [path.stat().st_ino for path in pagefind] != inodes
    found = filters(output / BUNDLE)["province"]
    assert found, "the rebuilt bundle is whole"


def bundles_of(site: Path) -> list[str]:
    """The language root's bundles, the first one first."""
    first = json.loads((site / BUNDLE / "shards.json").read_text(encoding="utf-8"))
    return [f"{BUNDLE}/", *first]


def test_a_large_index_is_split_and_an_edit_makes_again_only_its_bundles(project):
    """Past UHC_SEARCH_SHARD_PAGES pages a language root gets several bundles, which together
    hold each indexed page once; an edit runs Pagefind again only for the bundles holding the
    pages whose records changed, the others linked from the last build."""
    output = build(project, UHC_SEARCH_SHARD_PAGES=3)
    names = bundles_of(output)
    assert len(names) > 3 and names == [
        BUNDLE + "/",
        *(f"{BUNDLE}-{n}/" for n in range(2, len(names) + 1)),
    ]
    indexed = [
        p
        for p in output.rglob("*.html")
        if not p.relative_to(output).as_posix().startswith("en/")
        and b"data-pagefind-body" in p.read_bytes()
    ]
    counts = [
        json.loads((output / name / "pagefind-entry.json").read_text())["languages"]["id"][
            "page_count"
        ]
        for name in names
    ]
    assert sum(counts) == len(indexed) and max(counts) <= 3
    assert bundles_of(output / "en") == names  # the same pages in English
    inodes = {name: (output / name / "pagefind.js").stat().st_ino for name in names}

    regencies = project / "data" / "regions" / "regencies.csv"
    named = regencies.read_text(encoding="utf-8").replace("Kabupaten Wajo", "Kabupaten Wajo Baru")
    regencies.write_text(named, encoding="utf-8")
    build(project, UHC_SEARCH_SHARD_PAGES=3)
    assert bundles_of(output) == names
    made = [name for name in names if (output / name / "pagefind.js").stat().st_ino != inodes[name]]
    assert 0 < len(made) < len(names), made


def test_a_page_gone_since_the_last_build_is_not_found_any_more(project):
    """A removed forum's page leaves the index with it: its kept record is gone before Pagefind
    reads the records again (found by the 200-edit equivalence test)."""
    output = build(project)

    def page_count() -> int:
        entry = json.loads((output / BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))
        return entry["languages"]["id"]["page_count"]

    before = page_count()
    forum = sorted((project / "data" / "forums").glob("*.yaml"))[0]
    forum.unlink()
    build(project)
    assert page_count() == before - 1


def test_an_edits_few_bundles_are_made_beside_the_next_languages_run(project, monkeypatch):
    """Pagefind's runs for the first language start as soon as its pages are written when they
    are few (an edit's), so they go on beside the English run; a whole site's many wait until
    every language is written (their memory never adds to a run's charts)."""
    from uhc_portal import search_index

    events: list[str] = []
    real_start, real_add = search_index.start_pagefind, search_index.SearchIndex.add

    def start(site, bundle):
        events.append("pagefind en" if bundle.parent.name == "en" else "pagefind id")
        return real_start(site, bundle)

    def add(self, language):
        events.append(f"written {language}")
        return real_add(self, language)

    shard = 2  # pages a bundle: the small site in several
    monkeypatch.setattr(search_index, "start_pagefind", start)
    monkeypatch.setattr(search_index.SearchIndex, "add", add)
    note_every_excerpt(project / "data")  # the edited figure may differ from its excerpt
    output = build(project, UHC_SEARCH_SHARD_PAGES=shard)
    assert events.count("pagefind id") > search_index.EARLY_BUNDLES
    assert events.index("written en") < events.index("pagefind id")

    events.clear()
    figures = project / "data" / "coverage" / "contoh.csv"  # one figure of Lubuklinggau
    edited = figures.read_text(encoding="utf-8").replace(",158704,", ",158705,")
    figures.write_text(edited, encoding="utf-8")
    build(project, output, UHC_SEARCH_SHARD_PAGES=shard)
    assert 0 < events.count("pagefind id") <= search_index.EARLY_BUNDLES, events
    assert events.index("pagefind id") < events.index("written en"), events


def test_a_process_takes_back_the_records_it_saved_without_parsing_them(project, monkeypatch):
    """The preview's session keeps the page records its last build saved: the next build uses
    them while the file is as written, and reads the file when it is not (another process's)."""
    from conftest import TODAY
    from uhc_portal.build import build_site
    from uhc_portal.session import BuildSession

    session = BuildSession()
    settings, output = project / "pelicanconf.py", project / "output"
    overrides = {"UHC_TODAY": TODAY.isoformat()}
    build_site(settings, output, overrides, session)
    parsed: list[int] = []
    real = search_index.SearchIndex.load

    def load(self):
        state = real(self)
        parsed.append(state is not (self.last.state if self.last else None))
        return state

    monkeypatch.setattr(search_index.SearchIndex, "load", load)
    data = project / "data" / "coverage" / "contoh.csv"
    before = "73.13,2020-09,376386,311536,,82.77,,wajo-2020\n"
    data.write_text(data.read_text("utf-8").replace(before, before.replace(",82.77,", ",,")))
    build_site(settings, output, overrides, session)
    assert parsed == [False], "taken back"
    kept = session.search_records
    assert kept is not None and kept.state["pages"]
    records = next((project / ".cache").rglob("records.json"))
    records.write_bytes(records.read_bytes())  # rewritten by someone else: a new stat
    data.write_text(data.read_text("utf-8").replace(before.replace(",82.77,", ",,"), before))
    build_site(settings, output, overrides, session)
    assert parsed == [False, True], "read again"
    assert filters(output / BUNDLE)["province"], "the bundle is whole"


def test_a_kept_record_whose_file_is_gone_is_made_again(tmp_path):
    """Records left half-made (a build stopped between writing them and saving the list): a
    page whose record file is not there is read again, never indexed from nothing."""
    from uhc_portal.incremental import stat_of

    site, mirror = tmp_path / "site", tmp_path / "mirror"
    page = site / "wilayah" / "73.13" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<html lang="id"><body><main data-pagefind-body><h1>Wajo</h1></main></body></html>',
        encoding="utf-8",
    )
    index = search_index.SearchIndex()
    before = {"pages": {"wilayah/73.13/index.html": [*stat_of(page), "a digest"]}}
    pages: dict = {}
    listed = index.records(site, "", set(), mirror, before, pages)
    assert index.pages_read == 1
    assert (mirror / "wilayah" / "73.13" / "index.html").is_file()
    assert listed == [["wilayah/73.13/index.html", pages["wilayah/73.13/index.html"][3]]]
    assert pages["wilayah/73.13/index.html"][3] != "a digest"
