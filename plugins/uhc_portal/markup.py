"""HTML made in Python: Markdown from data, rendered and then sanitized (data arrives by pull
request from many hands), and the figures and badges a region page shows hundreds of times.

The figures were Jinja macros, which took most of a region page's time; they are now filters
(`{{ s.population|number }}`, `{{ a|badge }}`), plain calls where a global would go through
Jinja's context. Like the templates they escape every value they put into markup, and their
words go through gettext.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

import markdown
import nh3
from markupsafe import Markup, escape

from .filters import angka, persen, rentang, tanggal
from .i18n import _
from .model import Snapshot, Source, StatusRule, Value
from .status import Assessment
from .views import figure_anchor, status_words

ALLOWED_TAGS = {"p", "em", "strong", "ul", "ol", "li", "a", "blockquote", "br", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https"}
LINK_REL = "nofollow noopener"
# nh3 adds rel even to a link whose href it removed; rel without href is invalid HTML.
HREFLESS_LINK = re.compile(r'<a((?: (?!href=)[a-z]+="[^"]*")*) rel="' + LINK_REL + '">')


def too_deep(text: str) -> bool:
    """Python-Markdown recurses once per nesting level: '1. ' * 1600 exhausts the stack."""
    return converted(text) is None


@functools.cache
def converted(text: str) -> Markup | None:
    """A summary's sanitized HTML, made once per build when it is checked at load and then
    reused by its page, the forum list and the feed (with 20,000 forums a bounded cache kept
    converting them again); None when it is nested too deeply to convert."""
    try:
        html = markdown_html(text)
    except RecursionError:
        return None
    return sanitize(html)


def markdown_html(text: str) -> str:
    """Python-Markdown's HTML, not yet sanitized, from one parser reset for each text: building
    a parser costs as much as converting a summary."""
    try:
        return parser().reset().convert(text)
    except BaseException:
        parser.cache_clear()  # a conversion stopped half way leaves state that reset() keeps
        raise


@functools.cache
def parser() -> markdown.Markdown:
    return markdown.Markdown(output_format="html")


def render_markdown(text: str) -> Markup:
    html = converted(text)
    if html is None:  # refused at load (too_deep); from a template, shown as plain text
        return sanitize(f"<p>{escape(text)}</p>")
    return html


def sanitize(html: str) -> Markup:
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        url_relative="deny",
        link_rel=LINK_REL,
    )
    return Markup(HREFLESS_LINK.sub(r"<a\1>", clean))


BADGE_MARKS = {"meets": "✔", "below": "✖"}


def number(value: Value, kind: str = "count", decimals: int = 2) -> Markup:
    """A count or, with kind "pct", a percentage, saying when the source printed none and when
    the portal derived it (and from what)."""
    if value.amount is None:
        return Markup(f'<span class="none" title="{text(_("tidak dicetak sumber"))}">–</span>')
    figure = escape(persen(value, decimals) if kind == "pct" else angka(value))
    if value.origin != "derived":
        return figure
    if value.bounded and kind == "count":  # the range in view: phones have no hover
        figure += Markup(f' <span class="range">({escape(rentang(value))})</span>')
    title = text(_("dihitung dari: %(f)s"), f=value.derived_from)
    return Markup(f'{figure} <span class="derived" title="{title}">{text(_("dihitung"))}</span>')


def pct(snapshot: Snapshot) -> Markup:
    """Coverage at the decimals the source printed, flagged above 100 %."""
    coverage = snapshot.coverage_pct
    html = number(coverage, "pct", snapshot.pct_decimals if coverage.origin == "printed" else 2)
    if snapshot.over_100:
        flag = text(_("di atas 100 %%: data penduduk tertinggal dari pendaftaran"))
        html += Markup(f' <span class="flag">{flag}</span>')
    return html


def badge(assessment: Assessment | None) -> Markup:
    """The status in words, with a mark for those who scan colour and shape."""
    words, css = status_words(assessment)
    mark = BADGE_MARKS.get(css, "?")
    return Markup(
        f'<span class="badge badge-{escape(css)}"><span class="mark" aria-hidden="true">{mark}'
        f"</span> {escape(words)}</span>"
    )


def threshold(rule: StatusRule) -> Markup:
    """'ambang 95 %': the threshold a figure was judged by, on every row of a region's table."""
    return text(_("ambang %(t)s"), t=persen(rule.min_coverage_pct, 0))


@functools.lru_cache(maxsize=1024)  # the same few messages on every row of every page
def text(translated: str, **variables: str) -> Markup:
    """A translated message as the templates' newstyle gettext formats it ('%%' is '%'), with
    the translation escaped as well as the variables."""
    return escape(translated) % variables


def figure_rows(
    rows: Iterable[tuple[Assessment, Snapshot, Source]], labels: Sequence[str]
) -> Markup:
    """The rows of a region's table of figures (RegionPage.figures), each cell labelled with its
    column's heading for narrow screens (`labels`: the eight headings, translated).

    Built here rather than in a Jinja loop: a national site has 600,000 rows, and Jinja's call
    and escaping per cell were most of a region page's time. Every value goes through the same
    filters as the rest of the page; text is escaped."""
    per, people, members, active, share, missing, verdict, cites = (escape(x) for x in labels)
    lines = []
    for h, hs, cited in rows:
        rule = f'<br><span class="meta">{threshold(h.rule)}</span>' if h.rule else ""
        lines.append(
            f'<tr id="{escape(figure_anchor(hs))}">\n'
            f'  <td data-label="{per}">{escape(tanggal(hs.as_of))}</td>\n'
            f'  <td class="num" data-label="{people}">{number(hs.population)}</td>\n'
            f'  <td class="num" data-label="{members}">{number(hs.participants)}</td>\n'
            f'  <td class="num" data-label="{active}">{number(hs.active_participants)}</td>\n'
            f'  <td class="num" data-label="{share}">{pct(hs)}</td>\n'
            f'  <td class="num" data-label="{missing}">{number(hs.not_enrolled)}</td>\n'
            f'  <td data-label="{verdict}">{badge(h)}{rule}</td>\n'
            f'  <td data-label="{cites}"><a href="#sumber-{escape(hs.source_id)}">'
            f"{escape(cited.publisher or cited.title)}</a></td>\n"
            "</tr>\n"
        )
    return Markup("".join(lines))  # each part escaped or built from escaped parts above


HTML_FILTERS = {
    "number": number,
    "pct": pct,
    "badge": badge,
    "threshold": threshold,
    "figure_rows": figure_rows,
}
