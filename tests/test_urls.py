"""The site's layout has one owner, plugins/uhc_portal/urls.py (issue 20): each of its
addresses, the unit of every file the generator writes, and no folder of the layout spelled out
anywhere else in the plugin or the templates."""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import pytest
from uhc_portal import urls
from uhc_portal.incremental import NATIONAL, unit_of

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "plugins" / "uhc_portal"
TEMPLATES = ROOT / "theme" / "templates"
# Pieces of an address only urls.py may write: the folders of the layout, the feeds' file name
# and the units' names.
FOLDERS = ("wilayah", "forum", "sematkan", "pembaruan", "koreksi", "grafik")
LAYOUT = re.compile(rf"\b({'|'.join(FOLDERS)})/|atom\.xml|\b(wilayah|forum):\{{\}}")
ADDRESS = re.compile(r'(?:href|src|action)="([^"]*)"')


def spelled(text: str) -> bool:
    """Whether a literal (its placeholders as `{}`) spells a piece of the layout: the literal
    itself when it is an address (no spaces), or an address in an HTML attribute of it; prose
    that names a folder (`nama wilayah: …`) is not one."""
    addresses = [text] if not re.search(r"\s", text) else ADDRESS.findall(text)
    return any(LAYOUT.search(address) for address in addresses)


def test_each_address():
    assert urls.home() == ""
    assert urls.charts() == "grafik/"
    assert urls.corrections() == "koreksi/"
    assert urls.corrections_feed() == "koreksi/atom.xml"
    assert urls.national_feed() == "pembaruan/atom.xml"
    assert urls.data() == "data/"
    assert urls.directory() == "wilayah/"
    assert urls.latest_csv() == "wilayah/cakupan-terbaru.csv"
    assert urls.region("73.13") == "wilayah/73.13/"
    assert urls.figure("73.13", "angka-2020-09") == "wilayah/73.13/#angka-2020-09"
    assert urls.region_embed("73.13") == "wilayah/73.13/sematkan/"
    assert urls.region_csv("73") == "wilayah/73/cakupan-73.csv"
    assert urls.region_feed("73.13") == "wilayah/73.13/atom.xml"
    assert urls.region_bibtex("73.13") == "wilayah/73.13/kutipan-73.13.bib"
    assert urls.region_csl("73.13") == "wilayah/73.13/kutipan-73.13.json"
    assert urls.chart_folder("73.13") == "wilayah/73.13"
    assert urls.forums() == "forum/"
    assert urls.forums_feed() == "forum/atom.xml"
    assert urls.forum("pku-wajo-2024") == "forum/pku-wajo-2024/"
    assert urls.region_unit("73.13") == "wilayah:73.13"
    assert urls.forum_unit("pku-wajo-2024") == "forum:pku-wajo-2024"


@pytest.mark.parametrize(
    ("address", "file"),
    [("", "index.html"), ("wilayah/", "wilayah/index.html"), ("forum/a/", "forum/a/index.html")],
)
def test_save_as_and_page_path_are_inverse(address, file):
    assert urls.save_as(address) == file
    assert urls.page_path(file) == address


def test_a_file_that_is_not_a_folders_page_is_its_own_address():
    assert urls.page_path("404.html") == "404.html"
    assert urls.page_path("wilayah/73.13/atom.xml") == "wilayah/73.13/atom.xml"


def test_the_unit_of_a_file_by_its_name():
    assert urls.unit("wilayah/73.13/index.html") == "wilayah:73.13"
    assert urls.unit("wilayah/73.13/sematkan/index.html") == "wilayah:73.13"
    assert urls.unit("forum/pku-wajo-2024/index.html") == "forum:pku-wajo-2024"
    for national in ("index.html", "wilayah/index.html", "wilayah/cakupan-terbaru.csv"):
        assert urls.unit(national) == NATIONAL
    assert urls.unit("forum/index.html") == urls.unit("forum/atom.xml") == NATIONAL
    assert unit_of("wilayah/73/cakupan-73.csv") == "wilayah:73"


def region_files(code: str) -> list[str]:
    """What the generator writes for a regency with figures."""
    return [
        urls.save_as(urls.region(code)),
        urls.save_as(urls.region_embed(code)),
        urls.region_feed(code),
        urls.region_csv(code),
        urls.region_bibtex(code),
        urls.region_csl(code),
    ]


def test_every_file_of_a_region_or_a_forum_is_in_its_unit(built_site):
    """unit() gives back the unit the generator wrote each file for, and every address urls.py
    gives a region or a forum of the test site is a file the build wrote."""
    written = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()}
    regions = {path.split("/")[1] for path in written if urls.unit(path).startswith("wilayah:")}
    with_figures = {code for code in regions if urls.region_csl(code) in written}
    assert with_figures, "the test site has regencies with figures"
    for code in sorted(with_figures):
        for file in region_files(code):
            assert file in written
            assert urls.unit(file) == urls.region_unit(code)
    for code in sorted(regions):
        assert urls.save_as(urls.region(code)) in written
    forums = {path.split("/")[1] for path in written if urls.unit(path).startswith("forum:")}
    assert forums
    for slug in sorted(forums):
        assert urls.unit(urls.save_as(urls.forum(slug))) == urls.forum_unit(slug)
    for page in (urls.home(), urls.directory(), urls.forums(), urls.corrections(), urls.data()):
        assert urls.save_as(page) in written
        assert urls.unit(urls.save_as(page)) == NATIONAL
    for feed in (urls.national_feed(), urls.forums_feed(), urls.corrections_feed()):
        assert feed in written
        assert urls.unit(feed) == NATIONAL
    assert urls.latest_csv() in written


def docstrings(tree: ast.AST) -> set[int]:
    """The ids of the nodes that are docstrings (of the module, a class or a function)."""
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for first in body:
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                    found.add(id(first.value))
            # attribute docstrings: a string standing alone after an assignment
            for before, after in itertools.pairwise(body):
                if isinstance(before, ast.Assign | ast.AnnAssign) and isinstance(after, ast.Expr):
                    found.add(id(after.value))
    return found


def layout_literals(path: Path, root: Path = ROOT) -> list[str]:
    """The string literals of a module that spell a piece of the layout; docstrings and Atom
    ids (`tag:` names, minted once and never moved with the layout) are not addresses."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            if not text.startswith("tag:") and spelled(text):
                found.append(f"{path.relative_to(root)}:{node.lineno}: f{text!r}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in skip or node.value.startswith("tag:"):
                continue
            if spelled(node.value):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {node.value!r}")
    return found


def test_no_module_but_urls_spells_out_the_layout():
    found = [
        literal
        for path in sorted(PLUGIN.rglob("*.py"))
        if path.name != "urls.py"
        for literal in layout_literals(path)
    ]
    assert found == [], "ask plugins/uhc_portal/urls.py for the address"


def template_literals(text: str) -> list[str]:
    """The pieces of the layout a template spells in its markup and text (Jinja's `{{ … }}`
    as `{}`: words to translate are inside them), comments aside."""
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}", "{}", text, flags=re.S)
    return [line.strip() for line in text.splitlines() if LAYOUT.search(line)]


def test_no_template_spells_out_the_layout():
    """Templates link with `urls` ({{ SITEURL }}/{{ urls.region(code) }})."""
    found = [
        f"{path.name}: {line}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for line in template_literals(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "ask urls (plugins/uhc_portal/urls.py) for the address"


def test_the_layout_check_finds_a_literal(tmp_path):
    """The check above can fail: an address typed into a module is found, a docstring is not."""
    module = tmp_path / "m.py"
    module.write_text(
        '"""Pages under wilayah/."""\n'
        'ID = "tag:pantau-uhc,2026:wilayah/"\n'
        'def f(code):\n    return f"wilayah/{code}/atom.xml"\n'
        'WORDS = "nama wilayah: sebut kolomnya"\n',
        encoding="utf-8",
    )
    assert layout_literals(module, tmp_path) == ["m.py:4: f'wilayah/{}/atom.xml'"]
    page = '{# the box opens /wilayah/ #}<a href="{{ SITEURL }}/wilayah/{{ code }}/">x</a>'
    assert template_literals(page) == ['<a href="{}/wilayah/{}/">x</a>']
    assert template_literals('<a href="{{ SITEURL }}/{{ urls.region(code) }}">x</a>') == []
