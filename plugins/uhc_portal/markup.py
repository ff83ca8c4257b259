"""Markdown from data, rendered and then sanitized: data arrives by pull request from many hands."""

from __future__ import annotations

import re

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "em", "strong", "ul", "ol", "li", "a", "blockquote", "br", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https"}
LINK_REL = "nofollow noopener"
# nh3 adds rel even to a link whose href it removed; rel without href is invalid HTML.
HREFLESS_LINK = re.compile(r'<a((?: (?!href=)[a-z]+="[^"]*")*) rel="' + LINK_REL + '">')


def render_markdown(text: str) -> Markup:
    html = markdown.markdown(text, output_format="html")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes=ALLOWED_SCHEMES, url_relative="deny", link_rel=LINK_REL)
    return Markup(HREFLESS_LINK.sub(r"<a\1>", clean))
