"""Reusing the data: the data page, the Data Package (checked by frictionless), JSON-LD, the
sitemap, canonical links and the Atom feeds, all read from built sites as a program would."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import SITE_DATA, build, make_project, soup, text_of
from uhc_portal import downloads, feeds
from uhc_portal.data_tables import FIGURE_FIELDS, TABLES
from uhc_portal.filters import ukuran
from uhc_portal.model import MISSING, PartialDate, Snapshot, Source, Value
from uhc_portal.sitemap import page_path, write_site_index
from uhc_portal.status import Assessment

ATOM = {"a": "http://www.w3.org/2005/Atom"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITEURL = "https://pantau-uhc.example"


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def resolve(site: Path, page: str, href: str) -> tuple[Path, str]:
    """The file and fragment a link on `page` (a path below the root) points to; root-relative
    and absolute (SITEURL) links too."""
    if href.startswith(SITEURL):
        href = href[len(SITEURL) :]
    address = urlsplit(urljoin("/" + page, href))
    path = site / address.path.lstrip("/")
    if address.path.endswith("/"):
        path = path / "index.html"
    return path, address.fragment


def feed_files(site: Path) -> list[Path]:
    return [site / "pembaruan" / "atom.xml", *sorted((site / "wilayah").glob("*/atom.xml"))]


def entries(feed: Path) -> list[dict[str, str]]:
    root = ET.parse(feed).getroot()
    return [
        {
            "id": e.findtext("a:id", namespaces=ATOM),
            "title": e.findtext("a:title", namespaces=ATOM),
            "link": e.find("a:link[@rel='alternate']", ATOM).get("href"),
            "updated": e.findtext("a:updated", namespaces=ATOM),
            "summary": e.findtext("a:summary", namespaces=ATOM),
        }
        for e in root.findall("a:entry", ATOM)
    ]


# The data package


def validate(descriptor: Path):
    """frictionless's report on a Data Package. Importing frictionless lifts the csv module's
    field size limit for the whole process, which the data loader's own checks rely on: the
    limit is put back."""
    limit = csv.field_size_limit()
    try:
        import frictionless

        return frictionless.validate(descriptor)
    finally:
        csv.field_size_limit(limit)


def test_the_data_package_validates_with_frictionless(built_site):
    report = validate(built_site / "data" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.name for task in report.tasks] == ["cakupan", "wilayah", "sumber", "aturan"]
    assert all(task.stats["rows"] > 0 for task in report.tasks)
    command = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(
        [str(command), "validate", "datapackage.json"],
        cwd=built_site / "data",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (("cakupan.csv", "\n73.13,Kabupaten Wajo,", "\n73.99,Kabupaten Wajo,"), "foreign-key"),
        (("cakupan.csv", ",wajo-2020,", ",wajo-2099,"), "foreign-key"),
        (("cakupan.csv", ",82.77,", ",delapan,"), "type-error"),
        (("wilayah.csv", "73.13,kabupaten,73,", "73.13,kabupaten,99,"), "foreign-key"),
    ],
)
def test_the_data_package_catches_a_wrong_download(built_site, tmp_path, change, error):
    """The schema is not decoration: a figure pointing nowhere or a word for a number fails."""
    folder = tmp_path / "data"
    shutil.copytree(built_site / "data", folder)
    name, before, after = change
    text = (folder / name).read_text(encoding="utf-8")
    assert before in text
    (folder / name).write_text(text.replace(before, after, 1), encoding="utf-8")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:  # the edit changes size and hash; not the point
        del resource["bytes"], resource["hash"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = validate(folder / "datapackage.json")
    assert not report.valid
    assert error in {kind for (kind,) in report.flatten(["type"])}


def test_the_data_package_describes_every_column_and_every_csv_in_data(built_site):
    descriptor = json.loads((built_site / "data" / "datapackage.json").read_text("utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert [f["name"] for f in FIGURE_FIELDS] == downloads.COLUMNS
    header = (built_site / "data" / "cakupan.csv").read_text("utf-8").splitlines()[0]
    assert header.split(",") == [f["name"] for f in resources["cakupan"]["schema"]["fields"]]
    csvs = sorted(p.name for p in (built_site / "data").glob("*.csv"))
    assert sorted(r["path"] for r in resources.values()) == csvs
    fields = {f["name"]: f for f in resources["cakupan"]["schema"]["fields"]}
    assert fields["coverage_pct"]["unit"] == "percent" and fields["population"]["unit"] == "jiwa"
    assert fields["coverage_pct_origin"]["constraints"]["enum"] == ["printed", "derived"]
    keys = {k["fields"]: k["reference"] for k in resources["cakupan"]["schema"]["foreignKeys"]}
    assert keys["region_code"] == {"resource": "wilayah", "fields": "code"}
    assert keys["source_id"] == {"resource": "sumber", "fields": "id"}


def test_the_national_download_says_printed_derived_approximate_and_the_rule(built_site):
    rows = json.loads((built_site / "data" / "cakupan.json").read_text("utf-8"))
    linggau = next(r for r in rows if r["region_code"] == "16.73")
    assert linggau["population_origin"] == "derived"
    assert linggau["participants_origin"] == "printed"
    assert linggau["approximate_fields"] == "population not_enrolled"
    assert (linggau["population"], linggau["population_lower"], linggau["population_upper"]) == (
        226720,
        225112,
        228351,
    )
    assert (linggau["not_enrolled_lower"], linggau["not_enrolled_upper"]) == (66408, 69647)
    assert (linggau["participants_lower"], linggau["coverage_pct_lower"]) == ("", "")  # printed
    assert linggau["people_needed_lower"] != "" and linggau["people_needed_upper"] != ""
    wajo = next(r for r in rows if r["as_of"] == "2020-09")
    assert all(wajo[f"{name}_lower"] == "" for name in downloads.BOUNDED)  # all exact
    assert (linggau["status"], linggau["rule_id"], linggau["source_id"]) == (
        "below",
        "uhc-95",
        "linggau-2018",
    )


# The data page and JSON-LD


def test_the_data_page_lists_every_download_with_its_measured_size(built_site):
    page = soup(built_site / "data" / "index.html")
    items = page.select("ul.downloads > li")
    listed = {}
    for item in items:
        path, _ = resolve(built_site, "data/index.html", item.a["href"])
        assert path.is_file(), item.a["href"]
        listed[path.relative_to(built_site).as_posix()] = item
        assert "Lisensi:" in text_of(item)
    for name in ("cakupan.csv", "cakupan.json", "wilayah.csv", "sumber.csv", "aturan.csv"):
        item = listed[f"data/{name}"]
        size = (built_site / "data" / name).stat().st_size
        assert int(item.data["value"]) == size
        assert text_of(item.data) == ukuran(size).replace("\xa0", " ")
    assert "data/datapackage.json" in listed and "pembaruan/atom.xml" in listed
    assert "koreksi/atom.xml" in listed
    regions = listed["wilayah/16.73/cakupan-16.73.csv"]  # the kind of file, by an example
    every = [built_site / "wilayah" / c / f"cakupan-{c}.csv" for c in ("16.73", "73.13", "73.71")]
    assert int(regions.data["value"]) == sum(p.stat().st_size for p in every)
    assert "3 berkas" in text_of(regions)
    bibtex = listed["wilayah/16.73/kutipan-16.73.bib"]
    every = [built_site / "wilayah" / c / f"kutipan-{c}.bib" for c in ("16.73", "73.13", "73.71")]
    assert int(bibtex.data["value"]) == sum(p.stat().st_size for p in every)
    assert "wilayah/16.73/kutipan-16.73.json" in listed
    assert "200 entri terbaru" in text_of(page.select_one("#ikuti").parent)


def test_the_data_page_and_region_pages_describe_a_dataset(built_site):
    page = soup(built_site / "data" / "index.html")
    record = json.loads(page.find("script", type="application/ld+json").string)
    assert record["@type"] == "Dataset" and record["url"] == "/data/"
    assert record["temporalCoverage"] == "2018-06/2025-06"
    for download in record["distribution"]:
        assert (built_site / download["contentUrl"].lstrip("/")).is_file()
    wajo = soup(built_site / "wilayah" / "73.13" / "index.html")
    record = json.loads(wajo.find("script", type="application/ld+json").string)
    assert record["@type"] == "Dataset"
    assert "Kabupaten Wajo" in record["name"] and record["temporalCoverage"] == "2020-09/2025-06"
    assert record["isBasedOn"] == ["https://example.org/wajo-2020"]
    (download,) = record["distribution"]
    assert download["contentUrl"] == "/wilayah/73.13/cakupan-73.13.csv"
    without = soup(built_site / "wilayah" / "73.14" / "index.html")
    assert without.find("script", type="application/ld+json") is None


# Sitemap, robots.txt, canonical links


def indexable_pages(site: Path) -> list[str]:
    """Pages without <meta name="robots" content="noindex">, read with a parser."""
    return [
        p
        for p in html_pages(site)
        if not any(
            "noindex" in meta.get("content", "")
            for meta in soup(site / p).select('head meta[name="robots"]')
        )
    ]


def test_the_sitemap_lists_every_page_exactly_once(built_site):
    root = ET.parse(built_site / "sitemap.xml").getroot()
    locs = [loc.text for loc in root.findall("s:url/s:loc", SITEMAP)]
    assert len(locs) == len(set(locs))
    assert sorted(locs) == sorted("/" + page_path(p) for p in indexable_pages(built_site))
    assert "/wilayah/73.13/" in locs and "/data/" in locs and "/tentang/" in locs
    robots = (built_site / "robots.txt").read_text("utf-8").splitlines()
    assert "Sitemap: /sitemap.xml" in robots


def test_a_page_marked_noindex_is_left_out_of_the_sitemap(tmp_path):
    site = tmp_path / "site"
    for name, head in (
        ("index.html", ""),
        ("a/index.html", '<meta name="robots" content="noindex">'),
        ("b/index.html", '<meta content="NOINDEX, follow" name="ROBOTS">'),
        ("c/index.html", '<meta name="description" content="noindex">'),
    ):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(f"<!DOCTYPE html><head>{head}</head><body><p>noindex</p>")
    write_site_index(site, "")
    root = ET.parse(site / "sitemap.xml").getroot()
    assert [loc.text for loc in root.findall("s:url/s:loc", SITEMAP)] == ["/", "/c/"]


def test_every_indexable_page_names_its_canonical_address(built_site):
    for page in indexable_pages(built_site):
        links = soup(built_site / page).select('link[rel="canonical"]')
        assert [link["href"] for link in links] == ["/" + page_path(page)], page


def test_page_path():
    assert page_path("index.html") == ""
    assert page_path("wilayah/73.13/index.html") == "wilayah/73.13/"
    assert page_path("404.html") == "404.html"


# Feeds


def test_the_feeds_parse_and_their_links_reach_the_figures(built_site):
    pages: dict[Path, object] = {}
    for feed in feed_files(built_site):
        root = ET.parse(feed).getroot()
        assert root.tag == "{http://www.w3.org/2005/Atom}feed"
        self_link = root.find("a:link[@rel='self']", ATOM).get("href")
        assert resolve(built_site, "", self_link)[0] == feed
        found = entries(feed)
        assert [e["updated"] for e in found] == sorted((e["updated"] for e in found), reverse=True)
        if found:
            assert root.findtext("a:updated", namespaces=ATOM) == found[0]["updated"]
        for e in found:
            assert e["id"].startswith("tag:pantau-uhc,2026:angka/")
            path, anchor = resolve(built_site, "", e["link"])
            assert path.is_file(), e["link"]
            page = pages.setdefault(path, soup(path))
            row = page.find(id=anchor)
            assert row is not None, e["link"]
    national = entries(built_site / "pembaruan" / "atom.xml")
    # every figure: the regencies' and cities', the province's and the country's
    figures = sum(
        len(path.read_text(encoding="utf-8").splitlines()) - 1
        for path in (SITE_DATA / "coverage").glob("*.csv")
    )
    assert figures == 7
    assert len(national) == figures and len({e["id"] for e in national}) == figures
    country = next(e for e in national if e["link"] == "/#angka-2023-12-31")  # the home page
    assert country["title"].startswith("Indonesia: 95,92\xa0% per 31 Desember 2023")
    wajo = next(e for e in national if e["link"] == "/wilayah/73.13/#angka-2020-09")
    assert wajo["title"] == (  # older than UHC_STALE_MONTHS at the data's date, June 2025
        "Kabupaten Wajo: 82,77\xa0% per September 2020 — Belum UHC, "
        "angka lama: per Sep 2020, 4 tahun lalu"
    )
    assert wajo["id"] == "tag:pantau-uhc,2026:angka/73.13/2020-09/wajo-2020"
    assert wajo["updated"] == "2020-10-27T00:00:00+07:00"  # the source's publication date
    assert "Contoh Media" in wajo["summary"] and "64.850 (dihitung)" in wajo["summary"]
    linggau = next(e for e in national if "16.73" in e["link"])
    assert "Penduduk ≈\xa0227 ribu (225.112–228.351) (dihitung)" in linggau["summary"]
    assert "226.720" not in linggau["summary"]


def test_region_pages_link_their_feed_and_a_region_without_figures_has_an_empty_one(built_site):
    for code, count in (("73.13", 2), ("73.14", 0)):
        page = soup(built_site / "wilayah" / code / "index.html")
        link = page.select_one(f'head link[rel="alternate"][href$="/{code}/atom.xml"]')
        assert link["type"] == "application/atom+xml"
        path, _ = resolve(built_site, f"wilayah/{code}/index.html", link["href"])
        assert path == built_site / "wilayah" / code / "atom.xml"
        assert len(entries(path)) == count
        visible = [
            a
            for a in page.select("main a[href]")
            if resolve(built_site, f"wilayah/{code}/index.html", a["href"])[0] == path
        ]
        assert visible and "Ikuti angka baru" in text_of(visible[0])


CORRECTIONS = """corrections:
  - region: "73.71"
    as_of: "2024-12-31"
    was: {population: 1000000, participants: 1021000, active_participants: 809600,
          coverage_pct: 102.10, source: makassar-2024}
    now: {population: 1000000, participants: 1012000, active_participants: 809600,
          coverage_pct: 101.20, source: makassar-2024}
    date: "2026-11-20"
    reason: Angka peserta salah ketik.
    source: makassar-2024
  - region: "16.73"
    as_of: "2018-06"
    was: {participants: 158704, coverage_pct: 70, source: linggau-2018}
    withdrawn: true
    date: "2026-11-02"
    reason: Sumbernya tidak dapat diperiksa.
    source: linggau-2018
"""


def test_feed_ids_stay_when_figures_are_added_and_the_site_moves(built_site, tmp_path):
    """A second build with one more figure, a correction, a withdrawn figure and an absolute
    address: every other entry keeps its id byte for byte; the corrections and the new figure
    come first; links, sitemap and canonical links are absolute and resolve."""
    project = make_project(tmp_path / "project")
    coverage = project / "data" / "coverage" / "contoh.csv"
    rows = coverage.read_text("utf-8").splitlines(keepends=True)
    rows = [row for row in rows if not row.startswith("16.73,")]
    rows.append("73.14,2026-06,300000,297000,,99.00,,contoh-rekap\n")
    coverage.write_text("".join(rows), encoding="utf-8")
    (project / "data" / "corrections.yaml").write_text(CORRECTIONS, encoding="utf-8")
    site = build(project, RELATIVE_URLS=False, SITEURL=SITEURL)
    before = {e["id"]: e for e in entries(built_site / "pembaruan" / "atom.xml")}
    after = entries(site / "pembaruan" / "atom.xml")
    assert [e["id"] for e in after[:3]] == [
        "tag:pantau-uhc,2026:koreksi/73.71/2024-12-31/2026-11-20",
        "tag:pantau-uhc,2026:koreksi/16.73/2018-06/2026-11-02",
        "tag:pantau-uhc,2026:angka/73.14/2026-06/contoh-rekap",
    ]
    assert after[0]["link"] == f"{SITEURL}/wilayah/73.71/#angka-2024-12-31"
    assert after[0]["updated"] == "2026-11-20T00:00:00+07:00"
    assert "Sebelumnya" in after[0]["summary"] and "Alasan: Angka peserta" in after[0]["summary"]
    assert after[1]["link"] == f"{SITEURL}/koreksi/#koreksi-16.73-2018-06-2026-11-02"
    withdrawn = "tag:pantau-uhc,2026:angka/16.73/2018-06/linggau-2018"
    assert {e["id"] for e in after[3:]} == set(before) - {withdrawn}
    for e in after[3:]:
        assert e["link"] == SITEURL + before[e["id"]]["link"]
    for e in after:
        path, anchor = resolve(site, "", e["link"])
        assert soup(path).find(id=anchor) is not None, e["link"]
    region = entries(site / "wilayah" / "73.14" / "atom.xml")
    assert [e["id"] for e in region] == [after[2]["id"]]
    linggau = entries(site / "wilayah" / "16.73" / "atom.xml")
    assert [e["id"] for e in linggau] == [after[1]["id"]]
    makassar = entries(site / "wilayah" / "73.71" / "atom.xml")
    assert [e["id"] for e in makassar][:1] == [after[0]["id"]]
    locs = [
        loc.text for loc in ET.parse(site / "sitemap.xml").getroot().iter(f"{{{SITEMAP['s']}}}loc")
    ]
    assert f"{SITEURL}/wilayah/73.13/" in locs and all(
        loc.startswith(SITEURL + "/") for loc in locs
    )
    canonical = soup(site / "wilayah" / "73.13" / "index.html").select_one('link[rel="canonical"]')
    assert canonical["href"] == f"{SITEURL}/wilayah/73.13/"
    assert f"Sitemap: {SITEURL}/sitemap.xml" in (site / "robots.txt").read_text("utf-8")


def judged(code: str, as_of: PartialDate, source: str) -> Assessment:
    snapshot = Snapshot(
        code, as_of, MISSING, MISSING, MISSING, Value(90.0, "printed"), MISSING, source, "f", 1
    )
    return Assessment(snapshot, None, "no-rule", None, "no-rule")


def test_the_national_feed_keeps_the_newest_whatever_the_order_regions_come_in():
    Data = SimpleNamespace(
        sources={
            "dated": Source("dated", "t", None, None, PartialDate(2021, 3, 5), None, "e"),
            "undated": Source("undated", "t", None, None, None, None, "e"),
        }
    )

    rng = random.Random(7)
    figures = [
        judged(
            f"{rng.randint(11, 94)}.{rng.randint(1, 80):02d}",
            PartialDate(rng.randint(2015, 2025), rng.randint(1, 12)),
            rng.choice(list(Data.sources)),
        )
        for _ in range(400)
    ]
    unique = {(a.snapshot.region_code, a.snapshot.as_of): a for a in figures}
    figures = list(unique.values())
    expected = sorted(figures, key=lambda a: feeds.sort_key(a.snapshot, Data), reverse=True)[:25]
    newest = feeds.Newest(25)
    for start in range(0, len(figures), 7):
        newest.add(feeds.keyed(figures[start : start + 7], Data))
    assert [a for _key, a in newest.figures()] == expected
    assert [a for _key, a in feeds.newest(feeds.keyed(figures, Data), 25)] == expected
    assert feeds.entry_date(expected[0].snapshot, Data) == max(
        feeds.entry_date(a.snapshot, Data) for a in figures
    )
    assert dt.date(2021, 3, 5) in {feeds.entry_date(a.snapshot, Data) for a in figures}


@pytest.mark.parametrize(
    ("size", "words"),
    [(0, "0 B"), (999, "999 B"), (1000, "1,0 kB"), (12_345, "12,3 kB"), (15_250_000, "15,2 MB")],
)
def test_sizes_in_indonesian(size, words):
    assert ukuran(size) == words.replace(" ", "\xa0")


def test_every_table_has_a_title_and_licence():
    assert all(t.title and t.description and t.licence for t in TABLES)


def test_the_language_free_downloads_are_written_once_and_linked(built_site):
    """The national CSV and JSON and each region's CSV are the same bytes in every language:
    the other language's folder holds the first one's files, hard-linked, and its Data Package
    the same sizes and hashes."""
    linked = ["data/cakupan.csv", "data/cakupan.json", "wilayah/73.13/cakupan-73.13.csv"]
    for name in linked:
        own, other = built_site / name, built_site / "en" / name
        assert own.stat().st_ino == other.stat().st_ino, name
        assert own.stat().st_nlink >= 2
    described = [
        {r["name"]: (r["bytes"], r["hash"]) for r in json.loads(p.read_text())["resources"]}
        for p in (built_site / "data/datapackage.json", built_site / "en/data/datapackage.json")
    ]
    assert described[0] == described[1]


def test_language_free_files_are_linked_only_when_all_are_there(tmp_path):
    shared, folder = tmp_path / "id", tmp_path / "en"
    (shared / "data").mkdir(parents=True)
    (shared / "data" / "a.csv").write_bytes(b"a\n")
    assert not downloads.link_shared(shared, folder, ["data/a.csv", "data/b.json"])
    assert not folder.exists()
    assert not downloads.link_shared(None, folder, ["data/a.csv"])
    (shared / "data" / "b.json").write_bytes(b"[]\n")
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "a.csv").write_bytes(b"stale\n")  # replaced, never written through
    assert downloads.link_shared(shared, folder, ["data/a.csv", "data/b.json"])
    assert (folder / "data" / "a.csv").read_bytes() == b"a\n"
    assert (folder / "data" / "b.json").stat().st_ino == (shared / "data" / "b.json").stat().st_ino


def test_each_language_would_have_written_the_same_bytes_it_links(built_site, project, monkeypatch):
    """The shortcut is sound: built without it (each language writing its own), every linked
    download holds the same bytes as the first language's."""
    monkeypatch.setattr(downloads, "link_shared", lambda shared, folder, names: False)
    own = build(project)
    linked = [
        p.relative_to(built_site).as_posix()
        for p in (built_site / "en").rglob("*.csv")
        if p.stat().st_nlink > 1
    ] + ["en/data/cakupan.json"]
    assert len(linked) > 3
    for name in linked:
        assert (own / name).stat().st_nlink == 1, name
        assert (own / name).read_bytes() == (built_site / name).read_bytes(), name


def test_the_national_files_are_assembled_from_the_last_builds_parts(project, monkeypatch):
    """After one region's figures change, the national CSV and JSON copy every other region's
    bytes from the last build's files and make that region's again: the same files as a first
    build's, the JSON as json.dumps(indent=1) writes it."""
    from uhc_portal import figure_downloads

    output = build(project)
    taken: list[tuple[str, bool]] = []
    real = figure_downloads.KeptParts.take

    def counting(self, code, key):
        part = real(self, code, key)
        taken.append((code, part is not None))
        return part

    monkeypatch.setattr(figure_downloads.KeptParts, "take", counting)
    data = project / "data" / "coverage" / "contoh.csv"
    row = "73.13,2020-09,376386,311536,,82.77,,wajo-2020\n"
    assert row in data.read_text(encoding="utf-8")
    data.write_text(
        data.read_text(encoding="utf-8").replace(row, row.replace(",82.77,", ",,")),
        encoding="utf-8",
    )
    build(project)
    # copied: the other regencies; made again: Wajo (not even asked: its page group changed),
    # its province (whose key covers its regencies) and the national figures (no group of
    # their own)
    assert dict(taken) == {"16.73": True, "73": False, "73.71": True, "ID": False}
    monkeypatch.undo()
    first = build(project, project / "first")  # another output folder: nothing kept for it
    for name in ("data/cakupan.csv", "data/cakupan.json", "en/data/cakupan.json"):
        assert (output / name).read_bytes() == (first / name).read_bytes(), name
    text = (output / "data" / "cakupan.json").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=1) + "\n"
    assert ",\n" in text and '"region_code": "73.13"' in text


def test_parts_recorded_for_other_files_are_not_taken(project):
    """The record of the parts names the national files by size, time and inode: a file
    changed since (or another build's) makes every part again."""
    from uhc_portal.figure_downloads import KeptParts, parts_record
    from uhc_portal.incremental import manifest_path

    output = build(project)
    record = parts_record(manifest_path(project / ".cache" / "charts", output.resolve()))
    assert record is not None and record.is_file()
    kept = KeptParts(record, output)
    code, entry = next(iter(kept.parts.items()))
    assert kept.take(code, entry[0]) is not None
    assert kept.take(code, "another key") is None
    kept.close()
    with (output / "data" / "cakupan.json").open("ab") as changed:
        changed.write(b" ")
    assert KeptParts(record, output).take(code, entry[0]) is None
