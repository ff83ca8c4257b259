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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import markdown
import nh3
from markupsafe import Markup, escape

from . import urls
from .citation import Citations, figure_words
from .filters import angka, persen, rentang, tanggal
from .fixlinks import FixLinks
from .freshness import Age, old_words
from .i18n import N_, _
from .model import Correction, FigureValues, Snapshot, Source, StatusRule, Value
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
        none = text(_("tidak dicetak sumber"))  # not inside the f-string: Babel would miss it
        return Markup(f'<span class="none" title="{none}">–</span>')
    figure = escape(persen(value, decimals) if kind == "pct" else angka(value))
    if value.origin != "derived":
        return figure
    if value.bounded and kind == "count":  # the range in view: phones have no hover
        figure += Markup(f' <span class="range">({escape(rentang(value))})</span>')
    title = text(_("dihitung dari: %(f)s"), f=value.derived_from)
    derived = text(_("dihitung"))
    return Markup(f'{figure} <span class="derived" title="{title}">{derived}</span>')


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


def old(age: Age | None) -> Markup:
    """Beside the status of a region whose newest figure is old: 'angka lama: per Des 2019,
    6 tahun lalu', in words and a dashed frame (never colour alone); nothing otherwise. The
    status itself is left as it was judged."""
    if age is None:
        return Markup("")
    return Markup(f' <span class="old">{escape(old_words(age))}</span>')


def threshold(rule: StatusRule) -> Markup:
    """'ambang 95 %': the threshold a figure was judged by, on every row of a region's table."""
    return text(_("ambang %(t)s"), t=persen(rule.min_coverage_pct, 0))


@functools.lru_cache(maxsize=1024)  # the same few messages on every row of every page
def text(translated: str, **variables: str) -> Markup:
    """A translated message as the templates' newstyle gettext formats it ('%%' is '%'), with
    the translation escaped as well as the variables."""
    return escape(translated) % variables


VALUE_WORDS = (
    ("coverage_pct", N_("cakupan")),
    ("participants", N_("peserta")),
    ("population", N_("penduduk")),
    ("active_participants", N_("peserta aktif")),
    ("not_enrolled", N_("belum terdaftar")),
)


def values_words(values: FigureValues, only: Iterable[str] | None = None) -> str:
    """'cakupan 82,77 %, peserta 311.536': the numbers of a figure in words, as pages print."""
    parts = []
    for name, word in VALUE_WORDS:
        amount = getattr(values, name)
        if amount is None or (only is not None and name not in only):
            continue
        shown = persen(amount, values.pct_decimals) if name == "coverage_pct" else angka(amount)
        parts.append(f"{_(word)} {shown}")
    return ", ".join(parts)


def changed_fields(c: Correction) -> list[str]:
    """The numbers a correction changed (all of them for a withdrawn figure)."""
    names = [name for name, _word in VALUE_WORDS]
    if c.now is None:
        return names
    return [n for n in names if getattr(c.was, n) != getattr(c.now, n)] or names


def correction_note(c: Correction, siteurl: str) -> Markup:
    """'dikoreksi pada …, sebelumnya …, alasan …', beside the corrected figure."""
    words = text(
        _("dikoreksi pada %(d)s, sebelumnya %(v)s, alasan: %(r)s"),
        d=tanggal(c.date),
        v=values_words(c.was, changed_fields(c)) or c.was.source_id,
        r=c.reason,
    )
    more = escape(_("rincian"))
    link = f"{escape(siteurl)}/{urls.corrections()}#{escape(c.anchor)}"
    return Markup(f'<span class="correction">{words} <a href="{link}">{more}</a></span>')


@dataclass
class FigureExtras:
    """What a region's figure rows show besides the numbers: corrections and, when the site
    names its repository, links to fix the data."""

    region_code: str
    region_name: str
    corrections: Sequence[Correction]
    links: FixLinks | None
    siteurl: str
    """The page's own SITEURL (relative when RELATIVE_URLS), for links within the site."""
    public_url: str = ""
    """The site's public address, for the page a report names (a path when there is none)."""

    def note(self, s: Snapshot) -> Markup:
        if not self.corrections:
            return Markup("")
        found = [c for c in self.corrections if c.as_of == s.as_of]
        return Markup("".join(f"<br>{correction_note(c, self.siteurl)}" for c in found))

    def page(self, anchor: str) -> str:
        return f"{self.public_url}/{urls.figure(self.region_code, anchor)}"

    def fix(
        self, file: str, line: int, title: str, angka_: str, anchor: str, context: str
    ) -> Markup:
        """The two links; each named with `context` for a screen reader's list of links, which
        would otherwise hold many alike."""
        if self.links is None:
            return Markup("")
        edit = self.links.edit(file, line)
        report = self.links.issue(
            title, f"{self.region_name} ({self.region_code})", angka_, self.page(anchor)
        )
        links = []
        for href, words in ((edit, _("Sunting data")), (report, _("Laporkan kesalahan"))):
            label = escape(f"{words}: {context}")
            links.append(f'<a href="{escape(href)}" aria-label="{label}">{escape(words)}</a>')
        return Markup(f'<span class="fix">{" · ".join(links)}</span>')

    def row_links(self, s: Snapshot) -> Markup:
        if self.links is None:
            return Markup("")
        when = tanggal(s.as_of)
        numbers = [
            f"{_(word)} {number_text(getattr(s, name), name, s.pct_decimals)}"
            for name, word in VALUE_WORDS
            if getattr(s, name).origin == "printed"
        ]
        angka_ = f"{', '.join(numbers)}; per {when}; {s.file}:{s.line}"
        title = _("Laporan angka: %(r)s, %(d)s") % {"r": self.region_name, "d": when}
        return Markup("<br>") + self.fix(
            s.file, s.line, title, angka_, figure_anchor(s), f"{self.region_name}, {when}"
        )

    def source_links(self, source: Source) -> Markup:
        """For a source block: its entry in sources.yaml."""
        if self.links is None:
            return Markup("")
        title = _("Laporan sumber: %(t)s") % {"t": source.title}
        angka_ = f"{source.id}: {source.title}; data/sources.yaml:{source.line}"
        fix = self.fix(
            "data/sources.yaml", source.line, title, angka_, f"sumber-{source.id}", source.title
        )
        return Markup(f'<p class="note">{fix}</p>')


def number_text(value: Value, name: str, decimals: int) -> str:
    return persen(value, decimals) if name == "coverage_pct" else angka(value)


def figure_rows(
    rows: Iterable[tuple[Assessment, Snapshot, Source]],
    labels: Sequence[str],
    extras: FigureExtras | None = None,
    citations: Citations | None = None,
    region: str = "",
) -> Markup:
    """The rows of a region's table of figures (RegionPage.figures), each cell labelled with its
    column's heading for narrow screens (`labels`: the eight headings, translated); with
    `citations`, each followed by a row with its citation for `region`, opened on request.

    Built here rather than in a Jinja loop: a national site has 600,000 rows, and Jinja's call
    and escaping per cell were most of a region page's time. Every value goes through the same
    filters as the rest of the page; text is escaped. `extras` adds corrections beside the date
    and the links to fix the data after the source."""
    per, people, members, active, share, missing, verdict, cites = (escape(x) for x in labels)
    lines = []
    for h, hs, cited in rows:
        rule = f'<br><span class="meta">{threshold(h.rule)}</span>' if h.rule else ""
        note, fix = (extras.note(hs), extras.row_links(hs)) if extras else ("", "")
        lines.append(
            f'<tr id="{escape(figure_anchor(hs))}">\n'
            f'  <td data-label="{per}">{escape(tanggal(hs.as_of))}{note}</td>\n'
            f'  <td class="num" data-label="{people}">{number(hs.population)}</td>\n'
            f'  <td class="num" data-label="{members}">{number(hs.participants)}</td>\n'
            f'  <td class="num" data-label="{active}">{active_cell(hs)}</td>\n'
            f'  <td class="num" data-label="{share}">{pct(hs)}</td>\n'
            f'  <td class="num" data-label="{missing}">{number(hs.not_enrolled)}</td>\n'
            f'  <td data-label="{verdict}">{badge(h)}{rule}</td>\n'
            f'  <td data-label="{cites}"><a href="#sumber-{escape(hs.source_id)}">'
            f"{escape(cited.publisher or cited.title)}</a>{as_printed_note(hs)}"
            f"{others_note(hs, citations.sources if citations else None)}{fix}</td>\n"
            "</tr>\n"
            f"{cite_row(citations, region, hs, cited)}"
        )
    return Markup("".join(lines))  # each part escaped or built from escaped parts above


def active_cell(s: Snapshot) -> Markup:
    """The active participants; or, where the source printed only a rate, that rate, named as
    such: an active-only rate is never a coverage %."""
    if s.active_participants.known or not s.active_pct.known:
        return number(s.active_participants)
    words = text(_("tingkat keaktifan %(a)s"), a=persen(s.active_pct, s.active_decimals))
    return Markup(f'<span class="active-rate">{words}</span>')


def as_printed_note(s: Snapshot) -> Markup:
    """Beside a figure whose source's numbers disagree with each other: said, not fixed."""
    if not s.as_printed:
        return Markup("")
    words = escape(_("angka-angka sumber ini tidak saling cocok; ditampilkan sebagaimana dicetak"))
    return Markup(f'<br><span class="meta as-printed">{words}</span>')


def others_note(s: Snapshot, sources: Mapping[str, Source] | None) -> Markup:
    """'Sumber lain mencatat 85,40 % (BPJS Kesehatan)': every other source of the figure's
    region and date, each a link to its entry on the page."""
    if not s.others:
        return Markup("")
    said = []
    for o in s.others:
        source = sources.get(o.source_id) if sources else None
        name = (source.publisher or source.title) if source else o.source_id
        said.append(
            f'<a href="#sumber-{escape(o.source_id)}">{escape(figure_words(o))} '
            f"({escape(name)})</a>"
        )
    words = text(_("sumber lain mencatat %(o)s"), o=Markup("; ".join(said)))
    return Markup(f'<br><span class="meta others">{words}</span>')


def cite_row(citations: Citations | None, region: str, s: Snapshot, source: Source) -> str:
    """A figure's citation in a row of its own under it, as wide as the table, in a <details>
    that costs one line until asked for."""
    if citations is None:
        return ""
    summary = text(_("Kutip angka ini"))
    return (
        f'<tr class="cite"><td colspan="{FIGURE_COLUMNS}"><details><summary>{summary}'
        f"</summary><p>{citations.sentence(region, s, source)}</p></details></td></tr>\n"
    )


FIGURE_COLUMNS = 8  # the cells of a figure row


HTML_FILTERS = {
    "number": number,
    "pct": pct,
    "badge": badge,
    "lama": old,
    "threshold": threshold,
    "figure_rows": figure_rows,
    "figure_anchor": figure_anchor,
    "figure_words": figure_words,
}
