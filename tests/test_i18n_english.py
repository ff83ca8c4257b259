"""The English mirror: every message translated, every page with its twin, hreflang both ways,
English numbers and dates, English charts; Indonesian stays at the root."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from babel.messages.pofile import read_po
from conftest import ROOT, soup, text_of
from uhc_portal.i18n import catalogue_path
from uhc_portal.settings import SettingsError, check_settings, language_runs

LOCALE = ROOT / "plugins" / "uhc_portal" / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")


def catalogue(path: Path, locale: str | None = None):
    with open(path, "rb") as f:
        return read_po(f, locale=locale)


def forms(text: str | tuple[str, ...]) -> tuple[str, ...]:
    """A message's forms: one, or a plural message's singular and plural."""
    return text if isinstance(text, tuple) else (text,)


def test_every_message_has_a_current_english_translation():
    """Fails on a msgid of messages.pot missing from the English .po, left empty or fuzzy, with
    other placeholders than its msgid, and on a stale msgid no longer in the template: after
    `make messages`, translate what it lists."""
    template = {m.id for m in catalogue(LOCALE / "messages.pot") if m.id}
    english = {m.id: m for m in catalogue(catalogue_path("en"), "en") if m.id}
    assert sorted(template - english.keys()) == [], "untranslated: run `make messages`"
    assert sorted(english.keys() - template) == [], "stale: run `make messages`"
    assert [i for i, m in english.items() if not all(forms(m.string)) or m.fuzzy] == [], (
        "untranslated"
    )
    wrong = [
        i
        for i, m in english.items()
        for string in forms(m.string)
        if sorted(PLACEHOLDER.findall(forms(i)[0])) != sorted(PLACEHOLDER.findall(string))
    ]
    assert wrong == [], "placeholders differ from the msgid"
    assert len(template) > 150


def test_no_compiled_catalogue_is_kept():
    assert not list(LOCALE.rglob("*.mo")), ".mo files are compiled at build, in memory"


def test_no_message_is_hidden_from_extraction_in_an_f_string():
    """Babel on Python 3.11 does not look inside f-strings: a `_("…")` there is never extracted
    (`_(word)` of a word marked with N_ elsewhere is fine)."""
    hidden = []
    for path in sorted((ROOT / "plugins").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if (
                        isinstance(inner, ast.Call)
                        and isinstance(inner.func, ast.Name)
                        and inner.func.id in ("_", "N_")
                        and any(isinstance(a, ast.Constant) for a in inner.args)
                    ):
                        hidden.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert hidden == []


def test_languages_setting_is_checked(tmp_path):
    base = {"PATH": str(ROOT / "content"), "JINJA_ENVIRONMENT": {"autoescape": True}}
    for bad in ([], ["id", "id"], ["id", "fr"], "id"):
        with pytest.raises(SettingsError, match="Invalid 'UHC_LANGUAGES' value"):
            check_settings({**base, "UHC_LANGUAGES": bad})
    with pytest.raises(SettingsError, match="Invalid 'UHC_LANGUAGE' value: 'en'"):
        check_settings({**base, "UHC_LANGUAGES": ["id"], "UHC_LANGUAGE": "en"})
    checked = check_settings({**base, "UHC_LANGUAGES": ["id", "en"]})
    assert checked["UHC_LANGUAGE"] == "id"
    assert language_runs(checked) == [("id", ""), ("en", "en")]


def pages(root: Path) -> set[str]:
    """Every HTML page of one language, by its path below that language's root."""
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*.html")
        if not p.relative_to(root).as_posix().startswith("en/")
    }


def test_every_page_has_its_twin_in_the_other_language(built_site):
    indonesian, english = pages(built_site), pages(built_site / "en")
    assert len(indonesian) > 10
    assert sorted(indonesian - english) == [], "Indonesian pages without an English twin"
    assert sorted(english - indonesian) == [], "English pages without an Indonesian twin"


def resolve(site: Path, page: str, href: str) -> str:
    """A relative link of `page` (a path below the site's root) as a path below the root."""
    target = urljoin(f"http://site/{page}", href).removeprefix("http://site/")
    return target + "index.html" if target.endswith("/") or not target else target


def test_hreflang_links_both_ways_and_a_switch_on_every_page(built_site):
    """Each page names itself and its twin with hreflang, the twin names it back, and the
    header's switch leads to the twin (embeds, shown in other sites' frames, have no header)."""
    checked = 0
    for path in sorted(built_site.rglob("*.html")):
        page = path.relative_to(built_site).as_posix()
        if path.name != "index.html":
            continue
        language = "en" if page.startswith("en/") else "id"
        html = soup(path)
        assert html.html["lang"] == language, page
        links = {link["hreflang"]: link["href"] for link in html.select("link[hreflang]")}
        assert set(links) == {"id", "en"}, page
        own = page.removeprefix("en/")
        assert resolve(built_site, page, links["id"]) == own, page
        assert resolve(built_site, page, links["en"]) == f"en/{own}", page
        twin = resolve(built_site, page, links["en" if language == "id" else "id"])
        back = soup(built_site / twin).select_one(f'link[hreflang="{language}"]')["href"]
        assert resolve(built_site, twin, back) == page, f"{twin} does not link back to {page}"
        checked += 1
        if "embed" in html.body.get("class", []):
            continue  # shown in another site's frame: its twin is linked, no switch
        switch = html.select("header nav.languages a")
        assert [a["hreflang"] for a in switch] == ["en" if language == "id" else "id"], page
        assert resolve(built_site, page, switch[0]["href"]) == twin, page
        assert text_of(switch[0]) == ("English" if language == "id" else "Bahasa Indonesia")
    assert checked > 20


def test_wajo_in_english_formats(real_site):
    """The Wajo article's figures as an English reader expects them; the Indonesian unchanged."""
    english = soup(real_site / "en" / "wilayah" / "73.13" / "index.html")
    indonesian = soup(real_site / "wilayah" / "73.13" / "index.html")
    cells = [text_of(td) for td in english.select_one("#angka-2020-09").select("td")]
    assert cells[0] == "September 2020"
    assert cells[1:3] == ["376,386", "311,536"]
    assert cells[4] == "82.77 %"
    assert cells[5].startswith("64,850")
    main = text_of(english.select_one("main"))
    assert "Assessed under the rule in force on 30 September 2020" in main
    assert "JKN enrolment coverage 82.77 % as of September 2020" in main
    assert "26 October 2020" in main  # the forum's date
    assert text_of(english.select_one("h1")) == text_of(indonesian.select_one("h1"))  # a name
    id_cells = [text_of(td) for td in indonesian.select_one("#angka-2020-09").select("td")]
    assert id_cells[1:3] == ["376.386", "311.536"] and id_cells[4] == "82,77 %"
    assert "Dinilai dengan aturan yang berlaku per 30 September 2020" in text_of(
        indonesian.select_one("main")
    )
    assert text_of(english.select_one(".crumbs")).startswith("Home")


def test_english_charts_speak_english(built_site):
    english = soup(built_site / "en" / "wilayah" / "73.13" / "index.html").select_one("svg")
    indonesian = soup(built_site / "wilayah" / "73.13" / "index.html").select_one("svg")
    assert text_of(english.find("title")) == "Chart of JKN coverage of Kabupaten Wajo over time"
    assert "82.77 %" in text_of(english.find("desc"))
    labels = [text_of(t) for t in english.select("text")]
    assert "% of population" in labels and "% penduduk" not in labels
    assert "% penduduk" in [text_of(t) for t in indonesian.select("text")]


def test_content_pages_are_translated(built_site):
    about = soup(built_site / "en" / "tentang" / "index.html")
    assert text_of(about.select_one("h1")) == "About Pantau UHC"
    assert text_of(soup(built_site / "tentang" / "index.html").select_one("h1")) == (
        "Tentang Pantau UHC"
    )
    sources = {p.name for p in (ROOT / "content" / "pages").glob("*.md")}
    assert sources == {p.name for p in (ROOT / "content" / "en" / "pages").glob("*.md")}
