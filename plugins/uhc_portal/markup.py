"""Markdown from data, rendered and then sanitized: data arrives by pull request from many hands."""

from __future__ import annotations

import functools
import re

import markdown
import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = {"p", "em", "strong", "ul", "ol", "li", "a", "blockquote", "br", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https"}
LINK_REL = "nofollow noopener"
# nh3 adds rel even to a link whose href it removed; rel without href is invalid HTML.
HREFLESS_LINK = re.compile(r'<a((?: (?!href=)[a-z]+="[^"]*")*) rel="' + LINK_REL + '">')


def too_deep(text: str) -> bool:
    """Python-Markdown recurses once per nesting level: '1. ' * 1600 exhausts the stack."""
    try:
        markdown.markdown(text, output_format="html")
    except RecursionError:
        return True
    return False


@functools.lru_cache(maxsize=4096)  # each summary is shown on its page and in the feed
def render_markdown(text: str) -> Markup:
    try:
        html = markdown.markdown(text, output_format="html")
    except RecursionError:  # refused at load (too_deep); deeper in a template's stack, plain text
        html = f"<p>{escape(text)}</p>"
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes=ALLOWED_SCHEMES, url_relative="deny", link_rel=LINK_REL)
    return Markup(HREFLESS_LINK.sub(r"<a\1>", clean))
