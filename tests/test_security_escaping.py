"""Data from pull requests is text in every output, never markup, script or a spreadsheet formula.

The site is built from tests/hostile/data, where every field a steward controls carries an
attack, and every written file is scanned according to its format: HTML (as a browser parses it),
SVG and Atom (as XML, with Atom's type="html" fields parsed again as HTML), JSON, CSV and scripts.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest
from conftest import REAL_TODAY, ROOT, TODAY, build, make_project, text_of
from uhc_portal.dataset import load_dataset
from uhc_portal.downloads import FORMULA_START
from uhc_portal.markup import ALLOWED_TAGS

HOSTILE = Path(__file__).parent / "hostile" / "data"
ATOM = "{http://www.w3.org/2005/Atom}"
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "background",
    "cite",
    "srcset",
    "ping",
    "manifest",
    "codebase",
    "xlink:href",
    "longdesc",
    "lowsrc",
}
NEVER_ALLOWED = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "img",
    "video",
    "audio",
    "portal",
}
PAGEFIND_DATA = (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter", ".pagefind")
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


@pytest.fixture(scope="module")
def hostile_dataset():
    return load_dataset(HOSTILE, TODAY)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    return build(make_project(tmp_path_factory.mktemp("hostile") / "project", HOSTILE))


def steward_texts(dataset) -> set[str]:
    """Every text field a pull request controls (summaries are Markdown: checked separately)."""
    texts = {r.name for r in dataset.regencies.values()}
    texts |= {p.name for p in dataset.provinces.values()}
    texts |= set(dataset.aliases)
    for s in dataset.sources.values():
        texts |= {s.title, s.excerpt, s.publisher or "", s.note or "", s.url or ""}
        texts |= {s.excerpt_note or ""}
    for f in dataset.forums:
        texts |= {f.title, *f.attendees}
        texts |= {c.committed_by for c in f.commitments}
        texts |= {c.text or "" for c in f.commitments}
        for a in f.agreements:
            texts |= {a.number, a.title, *a.parties}
    for rule in dataset.rules:  # pages show the basis of the UHC tier only
        texts |= {rule.name, rule.basis if rule.tier == "uhc" else "", rule.other_conditions or ""}
    return {t for t in texts if t}


# Scanners: each returns a list of problems, "file: what"; empty means safe.


def unsafe_url(value: str) -> bool:
    """True unless the value is an http(s) address or relative (as a browser reads it)."""
    value = re.sub(r"[\t\n\r]", "", value).strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
        "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18"
        "\x19\x1a\x1b\x1c\x1d\x1e\x1f "
    )
    match = SCHEME.match(value)
    return bool(match) and match.group(1).lower() not in ("http", "https")


def interactive_chart_button(name: str, tag: str, attributes: dict[str, str]) -> bool:
    """The theme's one button outside the search box: the interactive chart page's "load Vega",
    a plain type="button" (it submits nothing); its attributes are scanned like any other."""
    return (
        name.endswith("grafik/index.html")
        and tag == "button"
        and (attributes.get("type"), attributes.get("id")) == ("button", "grafik-muat")
    )


def parses_as_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def scan_element(name: str, tag: str, attributes: dict[str, str], text: str) -> list[str]:
    problems = []
    if tag in NEVER_ALLOWED and not interactive_chart_button(name, tag, attributes):
        problems.append(f"{name}: <{tag}> element")
    if tag == "script" and attributes.get("type") == "application/ld+json":
        # JSON-LD is data, never run: steward text may be in it, as long as it is JSON and
        # cannot end the element or open a comment (no "<" at all: tojson escapes it).
        if "<" in text or not parses_as_json(text):
            problems.append(f"{name}: JSON-LD that is not inert JSON: {text[:80]!r}")
    elif tag == "script" and (
        "alert(" in text or attributes.get("type", "") not in ("", "module", "application/json")
    ):
        problems.append(f"{name}: <script> with data in it: {text[:80]!r}")
    if tag == "style" and ("alert(" in text or "expression(" in text or "url(" in text):
        problems.append(f"{name}: <style> with data in it: {text[:80]!r}")
    if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
        problems.append(f"{name}: <meta http-equiv=refresh>")
    for attribute, value in attributes.items():
        local = attribute.rsplit(":", 1)[-1].lower()
        if local.startswith("on"):
            problems.append(f"{name}: <{tag} {attribute}=...> event handler")
        if (local in URL_ATTRIBUTES or attribute in URL_ATTRIBUTES) and unsafe_url(value):
            problems.append(f"{name}: <{tag} {attribute}={value!r}>")
        if local == "style" and re.search(r"expression\(|url\(|javascript:", value, re.I):
            problems.append(f"{name}: <{tag} style={value!r}>")
        if local in ("attributename",) and value.lower() in ("href", "xlink:href"):
            problems.append(f"{name}: <{tag}> animates a link")
    return problems


def scan_html(name: str, markup: str, fragment: bool = False) -> list[str]:
    """Parse as a browser does (html5lib implements the HTML standard's parser)."""
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    tree = parser.parseFragment(markup) if fragment else parser.parse(markup)
    problems = []
    theme_form = search_form(tree)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        tag = element.tag.rsplit("}", 1)[-1].lower()
        attributes = {
            k.rsplit("}", 1)[-1] if k.startswith("{") else k: v for k, v in element.attrib.items()
        }
        problems += scan_element(name, tag, attributes, "".join(element.itertext()))
        if element in theme_form:  # its own attributes are still scanned above
            problems.remove(f"{name}: <{tag}> element")
    return problems


def search_form(tree) -> list:
    """The theme's search box, the one form a page may have: `<header class="site">`'s direct
    child `<form class="search" role="search" method="get">`, with one box and one button."""
    for header in tree.iter("header"):
        if header.get("class") != "site":
            continue
        for form in header.findall("form"):
            if (form.get("class"), form.get("role"), form.get("method")) == (
                "search",
                "search",
                "get",
            ):
                inputs = [e for e in form.iter() if e.tag in ("input", "button")]
                types = sorted(e.get("type") for e in inputs)
                if types == ["search", "submit"]:
                    return [form, *inputs]
    return []


def scan_xml(name: str, content: bytes) -> list[str]:
    """SVG and Atom: well-formed XML with nothing executable; Atom's HTML fields parsed again."""
    root = ET.fromstring(content)
    problems = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        attributes = {
            ("xlink:" if k.startswith("{http://www.w3.org/1999/xlink}") else "")
            + k.rsplit("}", 1)[-1]: v
            for k, v in element.attrib.items()
        }
        problems += scan_element(name, tag, attributes, "".join(element.itertext()))
        if element.tag.startswith(ATOM) and attributes.get("type") in ("html", "xhtml"):
            problems += scan_html(f"{name} <{tag}>", element.text or "", fragment=True)
    return problems


def scan_csv(name: str, content: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    return [
        f"{name}:{number}: cell {cell!r} starts a formula"
        for number, row in enumerate(rows, 1)
        for cell in row
        if cell.startswith(FORMULA_START)
    ]


BIBTEX_ESCAPES = re.compile(
    r"\\(?:[{}%&$#_]|textbackslash\{\}|textasciitilde\{\}|textasciicircum\{\})"
)


def scan_bib(name: str, content: bytes) -> list[str]:
    """BibTeX is read by TeX: a steward's text must not become a command (\\input, \\write18)
    or close a field early. Only the portal's own escapes may carry a backslash, and every
    entry's braces must balance."""
    problems = []
    for number, entry in enumerate(content.decode("utf-8").split("\n@"), 1):
        plain = BIBTEX_ESCAPES.sub("", entry)
        if "\\" in plain:
            problems.append(f"{name}: entry {number} has a TeX command: {plain[:80]!r}")
        depth = 0
        for char in plain:
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth < 0:
                break
        if depth != 0:
            problems.append(f"{name}: entry {number} has unbalanced braces")
    return problems


def scan_file(path: Path, site: Path, hostile: set[str]) -> list[str]:
    name = path.relative_to(site).as_posix()
    content = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".html":
        return scan_html(name, content.decode("utf-8"))
    if suffix in (".svg", ".xml"):
        return scan_xml(name, content)
    if suffix == ".csv":
        return scan_csv(name, content)
    if suffix == ".bib":
        return scan_bib(name, content)
    if suffix == ".json":
        json.loads(content)  # data for programs: inert, but it must parse
        return []
    if suffix in (".js", ".css", ".txt"):
        text = content.decode("utf-8")
        return [f"{name}: carries data {t[:40]!r}" for t in hostile if len(t) >= 12 and t in text]
    if suffix in (".png", ".ico", ".woff2"):
        return []
    if name.removeprefix("en/").startswith("pagefind/") and suffix in PAGEFIND_DATA:
        # The search index holds the pages' text as data for pagefind.js; theme/js/cari.js
        # shows results with textContent only (test_search_browser.py), never as markup.
        return []
    return [f"{name}: no scanner for {suffix!r} files; add one to {Path(__file__).name}"]


def scan_site(site: Path, hostile: set[str]) -> list[str]:
    problems = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            problems += scan_file(path, site, hostile)
    return problems


# The hostile site: nothing executable anywhere, every payload printed as text.


def test_no_written_file_carries_an_executable_payload(hostile_site, hostile_dataset):
    files = [p for p in hostile_site.rglob("*") if p.is_file()]
    assert len(files) > 15
    assert scan_site(hostile_site, steward_texts(hostile_dataset)) == []


def test_the_scanner_catches_what_it_looks_for():
    bad = [
        "<p><script>alert(1)</script></p>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JaVa\tScRiPt:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
        "<svg onload=alert(1)>",
        '<iframe src="https://e.org"></iframe>',
        '<form action="https://e.org"></form>',
        '<p style="background:url(javascript:x)">x</p>',
        '<meta http-equiv="refresh" content="0;url=https://e.org">',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    ]
    for markup in bad:
        assert scan_html("t", f"<!DOCTYPE html><title>t</title>{markup}"), markup
    assert scan_xml("t", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    for text in ('{"name": "</script><script>alert(1)</script>"}', '{"name": "<!--"}', "{x"):
        page = f'<!DOCTYPE html><title>t</title><script type="application/ld+json">{text}</script>'
        assert scan_html("t", page), text
    inert = '{"name": "\\u003c/script\\u003e alert(1)"}'
    page = f'<!DOCTYPE html><title>t</title><script type="application/ld+json">{inert}</script>'
    assert scan_html("t", page) == []
    assert scan_xml(
        "t",
        b'<feed xmlns="http://www.w3.org/2005/Atom"><summary type="html">'
        b"&lt;img src=x onerror=alert(1)&gt;</summary></feed>",
    )
    assert scan_csv("t", b'a,b\n1,=HYPERLINK("x")\n')
    good = '<a href="../x/#y">x</a> <a href="https://e.org/?q=%22">y</a> <a href="mailto:">'
    assert scan_html("t", f"<!DOCTYPE html><title>t</title>{good}") == ["t: <a href='mailto:'>"]


def test_a_script_in_a_forum_title_is_printed_as_text(hostile_site, hostile_dataset):
    forum = next(f for f in hostile_dataset.forums if f.slug == "2020-10-26-wajo")
    assert forum.title.startswith("<script>alert(")
    page = (hostile_site / "forum" / forum.slug / "index.html").read_text(encoding="utf-8")
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    assert "".join(tree.find(".//h1").itertext()) == forum.title
    assert "".join(tree.find(".//title").itertext()).startswith(forum.title)
    assert "&lt;script&gt;alert(&#39;forum-title&#39;)&lt;/script&gt;" in page


def page_texts(site: Path) -> str:
    from conftest import soup

    return "\n".join(text_of(soup(p)) for p in sorted(site.rglob("*.html")))


def test_every_steward_field_appears_as_text_on_the_pages(hostile_site, hostile_dataset):
    shown = page_texts(hostile_site)
    urls = {s.url for s in hostile_dataset.sources.values() if s.url}
    missing = [t for t in steward_texts(hostile_dataset) - urls if " ".join(t.split()) not in shown]
    assert missing == []
    assert "{{ 7*7 }}" in shown and "{% raw %}" in shown  # data is never a template
    assert "&lt;script&gt;" in shown  # an entity typed as text stays as typed


def test_source_urls_stay_inside_their_attribute(hostile_site, hostile_dataset):
    page = (hostile_site / "forum" / "2020-10-26-wajo" / "index.html").read_text(encoding="utf-8")
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    hrefs = {a.get("href") for a in tree.iter("a")}
    for source_id in ("wajo-2020", "linggau-2018"):
        assert hostile_dataset.sources[source_id].url in hrefs


def test_region_names_and_aliases_are_text_on_region_pages(hostile_site, hostile_dataset):
    from conftest import soup

    for code, regency in hostile_dataset.regencies.items():
        page = soup(hostile_site / "wilayah" / code / "index.html")
        assert page.h1.get_text().startswith(regency.name)
        assert page.title.get_text().startswith(regency.name)
    for alias, code in hostile_dataset.aliases.items():
        page = soup(hostile_site / "wilayah" / code / "index.html")
        assert alias in page.get_text()


def test_atom_feed_titles_are_text_and_summaries_are_escaped_html(hostile_site, hostile_dataset):
    root = ET.parse(hostile_site / "forum" / "atom.xml").getroot()
    entries = {e.find(f"{ATOM}id").text.split(",")[1]: e for e in root.iter(f"{ATOM}entry")}
    for forum in hostile_dataset.forums:
        entry = entries[forum.slug]
        title = entry.find(f"{ATOM}title")
        assert title.get("type") in (None, "text") and title.text == forum.title
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") == "html"
        shown = "".join(
            html5lib.parseFragment(summary.text, namespaceHTMLElements=False).itertext()
        )
        assert " ".join(forum.summary.split()) in " ".join(shown.split())
        for code in forum.regions:
            assert hostile_dataset.region_name(code) in shown


def test_json_download_keeps_text_exactly(hostile_site, hostile_dataset):
    rows = json.loads((hostile_site / "data" / "cakupan.json").read_text(encoding="utf-8"))
    assert rows
    for row in rows:
        assert row["region_name"] == hostile_dataset.region_name(row["region_code"])
        source = hostile_dataset.sources[row["source_id"]]
        assert (row["source_title"], row["source_url"]) == (source.title, source.url or "")


def test_csv_cells_that_start_a_formula_are_neutralised(hostile_site, hostile_dataset):
    text = (hostile_site / "data" / "cakupan.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    names = {row["region_code"]: row["region_name"] for row in rows}
    assert names["73"] == "'" + hostile_dataset.provinces["73"].name  # =HYPERLINK(...)
    assert names["73.14"] == "'" + hostile_dataset.regencies["73.14"].name  # +cmd|...
    assert names["73.71"] == "'" + hostile_dataset.regencies["73.71"].name  # @SUM(...)
    assert names["73.13"] == hostile_dataset.regencies["73.13"].name  # not a formula: as is
    titles = {row["source_id"]: row["source_title"] for row in rows}
    assert titles["wajo-2025"] == "'-2+3 laporan 2025"
    for path in hostile_site.rglob("*.csv"):
        assert scan_csv(path.name, path.read_bytes()) == []


def test_summary_markdown_keeps_only_the_allow_list(hostile_site):
    page = (hostile_site / "forum" / "2020-10-26-wajo" / "index.html").read_text(encoding="utf-8")
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    summary = next(d for d in tree.iter("div") if d.get("class") == "summary")
    tags = {e.tag for e in summary.iter()} - {"div"}
    assert tags <= ALLOWED_TAGS
    assert {"strong", "em", "a", "ul", "li", "p"} <= tags  # formatting survives
    links = [a.get("href") for a in summary.iter("a")]
    assert "https://example.org/ok" in links
    assert all(h is None or h.startswith("https://") for h in links)
    assert "alert(" not in "".join(
        e.get(k, "") for e in summary.iter() for k in e.attrib if k != "title"
    )


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "http:alert(1)",
        'https://example.org/"><script>alert(1)</script>',
        "https://example.org/<b>",
        "https://exa mple.org/",
        "http://[::1",
        "file:///etc/passwd",
    ],
)
def test_a_source_url_that_is_not_http_is_rejected(tmp_path, url):
    from uhc_portal.errors import DataErrors

    data = tmp_path / "data"
    import shutil

    shutil.copytree(ROOT / "tests" / "site" / "data", data)
    with (data / "sources.yaml").open("a", encoding="utf-8") as out:
        out.write(f"evil:\n  title: Jahat\n  url: {json.dumps(url)}\n  excerpt: x\n")
    lines = (data / "sources.yaml").read_text(encoding="utf-8").splitlines()
    with pytest.raises(DataErrors) as caught:
        load_dataset(data, TODAY)
    [error] = caught.value.errors
    assert (error.file, error.line, error.field, error.kind) == (
        "data/sources.yaml",
        len(lines) - 1,
        "evil.url",
        "bad-url",
    )
    assert "http://" in error.expected


def test_the_real_site_passes_the_same_scan(real_site):
    dataset = load_dataset(ROOT / "data", REAL_TODAY)
    assert scan_site(real_site, steward_texts(dataset)) == []


def test_hostile_pages_still_validate(hostile_site):
    from test_output_checks import run_vnu

    files = sorted(hostile_site.rglob("*.html")) + sorted(hostile_site.rglob("*.svg"))
    assert run_vnu(files) == []


def test_bibtex_scanner_finds_commands_and_unbalanced_braces():
    """The .bib scanner itself can fail: a raw command or a stray brace is reported, and the
    portal's escaping of the same text passes."""
    from uhc_portal.citation import BIBTEX_SPECIAL

    hostile = r"}\input{/etc/passwd} \write18{rm -rf ~} 100% & $x$ #1 a_b ^"
    assert scan_bib("raw.bib", f"@misc{{k,\n  title = {{{hostile}}}\n}}\n".encode())
    assert scan_bib("brace.bib", b"@misc{k,\n  title = {a}}\n}\n")
    escaped = hostile.translate(BIBTEX_SPECIAL)
    assert scan_bib("ok.bib", f"@misc{{k,\n  title = {{{escaped}}}\n}}\n".encode()) == []
