"""Every built page: a Content-Security-Policy that forbids inline scripts, and nothing in the
page that would need one or that loads anything from another origin."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import soup

# where a page names something the browser fetches, or a URL it may run
LOADED = {
    "script": "src",
    "link": "href",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
    "image": "href",
}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href")
SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript):", re.I)
DATA_SCRIPT = "application/ld+json"  # data, not code: the one inline <script> allowed


def policy(page) -> dict[str, list[str]]:
    """The page's CSP <meta>, directive → sources; {} without one."""
    meta = page.find("meta", attrs={"http-equiv": re.compile("^content-security-policy$", re.I)})
    if meta is None:
        return {}
    directives = {}
    for part in meta["content"].split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), words[1:])
    return directives


def problems_of(page) -> list[str]:
    found = []
    csp = policy(page)
    scripts = csp.get("script-src", csp.get("default-src"))
    if scripts is None:
        found.append("no Content-Security-Policy <meta> with script-src or default-src")
    else:
        allowed_inline = {"'unsafe-inline'", "*", "data:", "http:", "https:"} & set(scripts)
        if allowed_inline or any(s.startswith(("'nonce-", "'sha")) for s in scripts):
            found.append(f"script-src allows inline or foreign scripts: {scripts}")
    for directive, sources in csp.items():
        foreign = [s for s in sources if s == "*" or re.match(r"^(https?:)?//|^https?:$", s)]
        if foreign:
            found.append(f"{directive} allows another origin: {foreign}")
    head = page.find("head")
    first = head.find(["link", "script", "style", "img"]) if head else None
    meta = head.find("meta", attrs={"http-equiv": True}) if head else None
    if meta is not None and first is not None and first.sourceline < meta.sourceline:
        found.append(f"<{first.name}> comes before the policy that should govern it")
    for script in page.find_all("script"):
        if script.get("src") is None and script.get("type") != DATA_SCRIPT:
            found.append(f"inline script: {script.get_text()[:60]!r}")
    for node in page.find_all(True):
        for name, value in node.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"<{node.name} {name}>: an event handler attribute")
            script_url = isinstance(value, str) and SCRIPT_URL.match(value)
            if name.lower() in URL_ATTRIBUTES and script_url:
                found.append(f"<{node.name} {name}={value[:40]!r}>: a script URL")
        if node.name in LOADED:
            url = node.get(LOADED[node.name]) or ""
            if node.name == "link" and not {"stylesheet", "icon", "preload", "modulepreload"} & set(
                node.get("rel", [])
            ):
                continue  # a link the reader may follow, not one the browser loads
            if re.match(r"^\s*([a-z][a-z0-9+.-]*:)?//", url, re.I):
                found.append(f"<{node.name}> loads {url} from another origin")
        if node.name == "style" or node.get("style"):
            css = node.get_text() if node.name == "style" else node["style"]
            if re.search(r"url\(\s*['\"]?([a-z]+:)?//|@import", css, re.I):
                found.append(f"<{node.name}> styles load from another origin")
    return found


def site_problems(site: Path) -> dict[str, list[str]]:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10, f"{site} has pages"
    problems = {}
    for html in pages:
        found = problems_of(soup(html))
        if found:
            problems[html.relative_to(site).as_posix()] = found
    return problems


def test_every_page_forbids_inline_scripts_and_other_origins(real_site):
    problems = site_problems(real_site)
    assert problems == {}, f"{len(problems)} pages, e.g. {list(problems.items())[:5]}"


def test_stylesheets_load_nothing_from_another_origin(real_site):
    for css in real_site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?([a-z]+:)?//|@import", text, re.I), css


@pytest.mark.parametrize(
    "html, problem",
    [
        ("<script>alert(1)</script>", "inline script"),
        ('<a href="javascript:alert(1)">x</a>', "a script URL"),
        ('<a href=" JavaScript:alert(1)">x</a>', "a script URL"),
        ('<img src="x.png" onerror="alert(1)">', "an event handler attribute"),
        ('<img src="https://example.org/x.png" alt="">', "from another origin"),
        ('<img src="//example.org/x.png" alt="">', "from another origin"),
        ('<link rel="stylesheet" href="https://example.org/x.css">', "from another origin"),
        ("<p style=\"background:url('//example.org/x.png')\">x</p>", "styles load"),
    ],
)
def test_the_check_sees_each_kind_of_problem(html, problem):
    page = soup_of(f"{GOOD_HEAD}<body>{html}</body></html>")
    assert [p for p in problems_of(page) if problem in p], problems_of(page)


@pytest.mark.parametrize(
    "csp",
    [
        None,
        "default-src 'self'; script-src 'self' 'unsafe-inline'",
        "default-src 'none'; script-src 'self' 'sha256-abc='",
        "default-src 'none'; script-src https://cdn.example.org",
        "default-src 'none'; img-src *",
    ],
)
def test_the_check_refuses_a_policy_that_lets_inline_or_foreign_scripts_in(csp):
    meta = "" if csp is None else f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
    page = soup_of(f"<!DOCTYPE html><html><head>{meta}</head><body><p>x</p></body></html>")
    assert problems_of(page)


def test_the_check_passes_a_clean_page_with_data_in_json_ld():
    data = '<script type="application/ld+json">{"@type": "Dataset"}</script>'
    page = soup_of(f'{GOOD_HEAD}<body>{data}<script src="../a.js"></script></body></html>')
    assert problems_of(page) == []


GOOD_HEAD = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv='
    "\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'\"></head>"
)


def soup_of(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")
