"""Forum summaries are Markdown from pull requests: rendered, then sanitized by nh3 (a maintained
sanitizer, Rust's ammonia) to a small allow-list of tags, with http(s) links only.
"""

from __future__ import annotations

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from uhc_portal.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown, too_deep

# Pieces that Markdown and HTML give meaning to, so that random text often forms markup.
PIECES = [
    "<",
    ">",
    "</",
    "/>",
    '"',
    "'",
    "=",
    "`",
    "&",
    "&#",
    ";",
    ":",
    "(",
    ")",
    "[",
    "]",
    "!",
    "*",
    "_",
    "#",
    "-",
    "1.",
    "\n",
    "\n\n",
    "    ",
    " ",
    "\t",
    "<!--",
    "-->",
    "<![CDATA[",
    "script",
    "img",
    "a",
    "svg",
    "math",
    "iframe",
    "style",
    "href",
    "src",
    "onerror",
    "onload",
    "javascript",
    "JaVaScRiPt",
    "data",
    "vbscript",
    "alert(1)",
    "http://x.org",
    "https://x.org/a?b=1&c=2",
    "//x.org",
    "x",
    "title",
    "<a href=",
    "](",
    "&colon;",
    "&#106;",
    "&#x6A;",
    "\x00",
    "\u2028",
    "é",
]
markdownish = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=60).map("".join)


def check_allow_list(html: str) -> None:
    """Parse the output as a browser would and hold it to the allow-list."""
    fragment = html5lib.parseFragment(html, namespaceHTMLElements=False)
    for element in fragment.iter():
        if element is fragment or not isinstance(element.tag, str):
            assert not isinstance(element.tag, str) or element is fragment, element.tag
            continue
        assert element.tag in ALLOWED_TAGS, element.tag
        allowed = ALLOWED_ATTRIBUTES.get(element.tag, set()) | (
            {"rel"} if element.tag == "a" else set()
        )
        assert set(element.attrib) <= allowed, (element.tag, element.attrib)
        if element.tag == "a":
            href = element.get("href")
            assert href is None or href.lower().startswith(("http://", "https://")), href
            assert (href is None) == (element.get("rel") is None)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=markdownish)
def test_any_summary_renders_to_the_allow_list_only(text):
    check_allow_list(str(render_markdown(text)))


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](  javascript:alert(1))",
        "[x](java\tscript:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](data:text/html,x)",
        "[x](vbscript:msgbox(1))",
        "[x](/relative)",
        "[x](//evil.example)",
        "![x](https://x.org/a.png)",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="https://x.org" onclick="alert(1)">x</a>',
        '<a href="https://x.org" style="position:fixed">x</a>',
        "<iframe src=https://x.org></iframe>",
        "<form action=https://x.org><button>x</button></form>",
        "<style>p{display:none}</style>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
        "<!--><script>alert(1)</script>-->",
        '<a href="https://x.org" target="_blank">x</a>',
        "[x]: javascript:alert(1)\n\n[y][x]",
        '<https://x.org/"onmouseover="alert(1)>',
        "<base href=https://evil.example/>",
        '<meta http-equiv="refresh" content="0;url=x">',
    ],
)
def test_known_attacks_are_defused(attack):
    html = str(render_markdown(attack))
    check_allow_list(html)
    # Inside an http(s) href a payload is inert text; anywhere else it must be gone.
    fragment = html5lib.parseFragment(html, namespaceHTMLElements=False)
    elsewhere = [
        v for e in fragment.iter() for k, v in getattr(e, "attrib", {}).items() if k != "href"
    ]
    assert all("alert(1)" not in v for v in elsewhere)
    assert all(e.tag != "script" for e in fragment.iter())


def test_formatting_and_safe_links_survive():
    html = str(
        render_markdown(
            'Forum **PKU** _Wajo_: [berita](https://example.org/a?b=1&c=2 "Judul").\n\n'
            "- satu\n- dua\n\n> kutipan `kode`"
        )
    )
    assert html == (
        '<p>Forum <strong>PKU</strong> <em>Wajo</em>: <a href="https://example.org/a?b=1&amp;c=2"'
        ' title="Judul" rel="nofollow noopener">berita</a>.</p>\n'
        "<ul>\n<li>satu</li>\n<li>dua</li>\n</ul>\n"
        "<blockquote>\n<p>kutipan <code>kode</code></p>\n</blockquote>"
    )


def test_text_that_only_looks_like_markup_stays_text():
    html = str(render_markdown('1 < 2 & 3 > 2, "kutip" dan <tidak-ada-tag>'))
    text = "".join(html5lib.parseFragment(html, namespaceHTMLElements=False).itertext())
    assert "1 < 2 & 3 > 2" in text


def test_markdown_nested_too_deep_is_refused_and_never_crashes_a_page():
    deep = "1. " * 1600
    assert too_deep(deep)
    assert not too_deep("1. satu\n    1. dua\n        1. tiga")

    def in_a_deep_stack(depth: int) -> str:  # as if called from deep inside a template
        return str(render_markdown(deep + " ")) if depth == 0 else in_a_deep_stack(depth - 1)

    html = in_a_deep_stack(50)
    check_allow_list(html)
    assert "1. 1. 1." in html
