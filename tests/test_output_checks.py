"""Checks on what the build writes: every internal link and #anchor resolves, the HTML and SVG
validate (the Nu HTML Checker, vnu.jar from npm, on the machine's Java), feeds, JSON and CSV parse.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from support import run_vnu
from uhc_portal.data_tables import TABLES
from uhc_portal.downloads import COLUMNS

ATOM = "{http://www.w3.org/2005/Atom}"
# What a reader meets first: home, directory, a province, regions with and without figures,
# forums, Pelican's content pages, the interactive chart page.
SAMPLE = [
    "index.html",
    "wilayah/index.html",
    "wilayah/73/index.html",
    "wilayah/73.13/index.html",
    "wilayah/17.06/index.html",
    "wilayah/11.01/index.html",
    "forum/index.html",
    "metodologi/index.html",
    "tentang/index.html",
    "panduan-data/index.html",
    "grafik/index.html",
]


class Links(HTMLParser):
    """The ids a page defines and the addresses it points to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.targets: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("name"):
            self.ids.add(attributes["name"])
        for name in ("href", "src", "action", "poster", "data", "xlink:href"):
            if attributes.get(name) is not None:
                self.targets.append((tag, attributes[name]))


def parse_pages(site: Path) -> dict[str, Links]:
    pages = {}
    for path in sorted(site.rglob("*.html")):
        links = Links()
        links.feed(path.read_text(encoding="utf-8"))
        pages[path.relative_to(site).as_posix()] = links
    return pages


def resolve(site: Path, page: str, href: str) -> tuple[str | None, str]:
    """The file an internal link reaches (relative to the site) and its fragment.

    None for a link that leaves the site (another scheme or host)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None, ""
    if not parts.path:
        return page, unquote(parts.fragment)
    base = "" if parts.path.startswith("/") else posixpath.dirname(page)
    target = posixpath.normpath(posixpath.join(base, unquote(parts.path).lstrip("/")))
    if target == ".." or target.startswith("../"):
        return f"(outside the site) {target}", ""
    if parts.path.endswith("/") or (site / target).is_dir():
        target = posixpath.join(target, "index.html") if target != "." else "index.html"
    return target, unquote(parts.fragment)


def broken_links(site: Path) -> list[str]:
    pages = parse_pages(site)
    problems = []
    for page, links in pages.items():
        for tag, href in links.targets:
            target, fragment = resolve(site, page, href)
            if target is None:
                continue
            if not (site / target).is_file():
                problems.append(f"{page}: <{tag}> {href!r} → {target} does not exist")
            elif fragment and target.endswith(".html") and fragment not in pages[target].ids:
                problems.append(f"{page}: <{tag}> {href!r} → no id {fragment!r} in {target}")
    return problems


@pytest.fixture(params=["built_site", "real_site"])
def site(request) -> Path:
    return request.getfixturevalue(request.param)


def test_every_internal_link_and_anchor_resolves(site):
    assert len(parse_pages(site)) > 5
    assert broken_links(site) == []


def test_the_link_checker_finds_what_it_looks_for(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<p id="here"><a href="../b/">x</a><a href="#gone">y</a><a href="../index.html#here">z'
        '</a><a href="../../up">w</a><a href="https://example.org/x">v</a></p>',
        encoding="utf-8",
    )
    (tmp_path / "index.html").write_text('<a href="a/#here">ok</a>', encoding="utf-8")
    assert broken_links(tmp_path) == [
        "a/index.html: <a> '../b/' → b/index.html does not exist",
        "a/index.html: <a> '#gone' → no id 'gone' in a/index.html",
        "a/index.html: <a> '../index.html#here' → no id 'here' in index.html",
        "a/index.html: <a> '../../up' → (outside the site) ../up does not exist",
    ]


def test_feeds_parse_and_point_into_the_site(site):
    root = ET.parse(site / "forum" / "atom.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        for required in ("id", "title", "updated", "summary", "content"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        target, _ = resolve(site, "index.html", entry.find(f"{ATOM}link").get("href"))
        assert (site / target).is_file()


def test_json_and_csv_parse_with_the_documented_columns(site):
    for path in site.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    rows = json.loads((site / "data" / "cakupan.json").read_text(encoding="utf-8"))
    assert rows and all(list(row) == COLUMNS for row in rows)
    csv_files = list(site.rglob("*.csv"))
    assert len(csv_files) > 3
    references = {f"data/{t.file}": [f["name"] for f in t.fields] for t in TABLES}
    for path in csv_files:
        table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        where = path.relative_to(site).as_posix().removeprefix("en/")  # the English copy too
        columns = references.get(where, COLUMNS)
        assert table[0] == columns, path
        assert all(len(row) == len(columns) for row in table), path


def test_the_html_and_svg_validate(real_site, tmp_path):
    pages = [real_site / name for name in SAMPLE]
    pages += sorted((real_site / "forum").glob("*/index.html"))
    svgs = sorted(real_site.rglob("*.svg"))
    assert all(p.is_file() for p in pages), [p for p in pages if not p.is_file()]
    # A known-bad page in the same run (one Java start): the checker must flag it, and only it.
    control = tmp_path / "control.html"
    control.write_text(
        '<!DOCTYPE html><html lang="id"><title>x</title><a rel="nofollow">x</a>', encoding="utf-8"
    )
    errors = run_vnu([*pages, *svgs, control])
    assert [e for e in errors if "control.html" not in e] == []
    assert any("missing required attribute" in e for e in errors), errors
