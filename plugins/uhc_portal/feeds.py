"""Atom feeds of figure updates: an entry per figure and per correction, newest first, with ids
that stay the same however often the site is built and whatever data is added.

A figure's entry is dated by the day its source was published (when the figure became known),
or else the last day the figure speaks for; a correction's by the day it was made public.
Nothing here reads a clock: a feed's `updated` is its newest entry's date.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from . import urls
from .filters import angka, persen, rentang, tanggal
from .freshness import Freshness, old_words
from .i18n import _
from .markup import values_words
from .model import Correction, Dataset, PartialDate, Snapshot, Value
from .status import Assessment
from .views import figure_path, status_words

NATIONAL_ENTRIES = 200
"""The national feed holds the newest figures only: a national set has 60,000 of them."""
REGION_ENTRIES = 20
"""A region's feed holds its newest figures."""
TAG = "tag:pantau-uhc,2026:"
"""Prefix of every id (RFC 4151): the year is when the ids were minted, never the build's."""
REGION_TAG = "tag:pantau-uhc,2026:wilayah/"
"""Prefix of a region feed's id: a name minted once, not an address (the layout may move)."""
CORRECTION_TAG = "tag:pantau-uhc,2026:koreksi/"
JAKARTA = dt.timezone(dt.timedelta(hours=7))
EPOCH = dt.date(1970, 1, 1)


def figure_id(snapshot: Snapshot) -> str:
    """Region code, date and source: what identifies a figure, so its entry keeps its id."""
    parts = (snapshot.region_code, snapshot.as_of.iso, snapshot.source_id)
    return TAG + "angka/" + "/".join(quote(part, safe="") for part in parts)


def correction_id(c: Correction) -> str:
    """Region code, the figure's date and the day of the correction."""
    parts = (c.region_code, c.as_of.iso, c.date.iso)
    return CORRECTION_TAG + "/".join(quote(part, safe="") for part in parts)


SortKey = tuple[dt.date, int, tuple[dt.date, int], str, str]


def entry_date(snapshot: Snapshot, dataset: Dataset) -> dt.date:
    return dated_entry(snapshot.as_of, snapshot.source_id, dataset)


def dated_entry(as_of: PartialDate, source_id: str, dataset: Dataset) -> dt.date:
    """A figure's entry date: its source's publication, else the end of its own date."""
    published = dataset.sources[source_id].published
    return published.start if published else as_of.end


def sort_key(snapshot: Snapshot, dataset: Dataset) -> SortKey:
    """Newest last: entry date, then the figure's own date, region code and source."""
    return figure_key(snapshot.region_code, snapshot.as_of, snapshot.source_id, dataset)


def figure_key(code: str, as_of: PartialDate, source_id: str, dataset: Dataset) -> SortKey:
    """`sort_key` of a figure not made yet, from its region, date and source."""
    return (dated_entry(as_of, source_id, dataset), 0, as_of.sort_key(), code, source_id)


def correction_key(c: Correction) -> SortKey:
    """After the figures of its day; unique, as a figure has one correction a day."""
    return (c.date.start, 1, c.as_of.sort_key(), c.region_code, c.date.iso)


Keyed = tuple[SortKey, Assessment | Correction]


def keyed(assessments: Iterable[Assessment], dataset: Dataset) -> list[Keyed]:
    """Figures with their sort keys, made once for a region's feed and the national one."""
    return [(sort_key(a.snapshot, dataset), a) for a in assessments]


def keyed_corrections(corrections: Iterable[Correction]) -> list[Keyed]:
    return [(correction_key(c), c) for c in corrections]


def first(key: Keyed) -> SortKey:
    return key[0]


def newest(figures: list[Keyed], count: int) -> list[Keyed]:
    """The `count` newest figures, newest first (keys are unique: one figure per region and
    date)."""
    return heapq.nlargest(count, figures, key=first)


class Newest:
    """The newest figures of the whole country, gathered region by region as the downloads
    are written, without holding every figure."""

    def __init__(self, count: int = NATIONAL_ENTRIES):
        self.count = count
        self.heap: list[Keyed] = []

    def add(self, figures: list[Keyed]) -> None:
        heap, count = self.heap, self.count
        for item in figures:
            if len(heap) < count:
                heapq.heappush(heap, item)
            elif item[0] > heap[0][0]:  # keys are unique: a region has one figure per date
                heapq.heapreplace(heap, item)

    def figures(self) -> list[Keyed]:
        return sorted(self.heap, key=first, reverse=True)


@dataclass(frozen=True, slots=True)
class Feed:
    id: str
    title: str
    subtitle: str
    self_url: str
    page_url: str
    language: str = "id"
    typed: bool = True
    """Links name their media type and the feed its author: the figure feeds. The forum and
    correction feeds, first written with feedgenerator, keep the elements they had."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry, its words made; `published` and `content` (HTML) only where given."""

    title: str
    link: str
    id: str
    updated: str  # RFC 3339, as `stamp` writes it
    summary: str
    html: bool = False  # the summary is HTML (type="html")
    published: str = ""
    content: str = ""


def link(href: str, rel: str, media_type: str, typed: bool) -> str:
    kind = f' type="{media_type}"' if typed else ""
    return f'<link href={quoteattr(href)} rel="{rel}"{kind}/>\n'


def write(feed: Feed, entries: Iterable[Entry], updated: str) -> bytes:
    """The site's one Atom writer: every feed's XML, an element a line, entries as given."""
    typed = feed.typed
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(feed.language)}>\n'
        f"<title>{escape(feed.title)}</title>\n"
        f"<subtitle>{escape(feed.subtitle)}</subtitle>\n",
        link(feed.self_url, "self", "application/atom+xml", typed),
        link(feed.page_url, "alternate", "text/html", typed),
        f"<id>{escape(feed.id)}</id>\n<updated>{updated}</updated>\n",
        "<author><name>Pantau UHC</name></author>\n" if typed else "",
    ]
    for e in entries:
        html = ' type="html"' if e.html else ""
        parts += [
            f"<entry>\n<title>{escape(e.title)}</title>\n",
            link(e.link, "alternate", "text/html", typed),
            f"<id>{escape(e.id)}</id>\n",
            f"<published>{e.published}</published>\n" if e.published else "",
            f"<updated>{e.updated}</updated>\n<summary{html}>{escape(e.summary)}</summary>\n",
            f'<content type="html">{escape(e.content)}</content>\n' if e.content else "",
            "</entry>\n",
        ]
    parts.append("</feed>\n")
    return "".join(parts).encode("utf-8")


def stamp(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(), JAKARTA).isoformat()


@dataclass(frozen=True, slots=True)
class Words:
    """The feed's words, translated once per feed rather than for every entry."""

    derived: str
    coverage: str
    participants: str
    population: str
    active: str
    not_enrolled: str
    status: str
    source: str
    per: str

    @classmethod
    def now(cls) -> Words:
        return cls(
            " (" + _("dihitung") + ")",  # not in an f-string, where Babel would not see it
            _("Cakupan"),
            _("Peserta"),
            _("Penduduk"),
            _("Peserta aktif"),
            _("Belum terdaftar"),
            _("Status"),
            _("Sumber"),
            _("per"),
        )


def count_text(label: str, value: Value, words: Words) -> str:
    if not value.known:
        return ""
    marked = words.derived if value.origin == "derived" else ""
    between = f" ({rentang(value)})" if value.bounded else ""
    return f"{label} {angka(value)}{between}{marked}. "


def coverage_text(s: Snapshot) -> str:
    """The percentage at the decimals the source printed (two when derived)."""
    coverage = s.coverage_pct
    return persen(coverage, s.pct_decimals if coverage.origin == "printed" else 2)


def old_text(a: Assessment, freshness: Freshness | None) -> str:
    """', angka lama: per Des 2019, 6 tahun lalu' after the status when the figure is older
    than UHC_STALE_MONTHS at the build's date (an entry is read on its own), else ''."""
    age = freshness.old(a.snapshot.as_of) if freshness else None
    return f", {old_words(age)}" if age else ""


def summary(
    a: Assessment, dataset: Dataset, words: Words, freshness: Freshness | None = None
) -> str:
    """The figure in plain words: its numbers (derived ones marked), status, rule and source."""
    s = a.snapshot
    source = dataset.sources[s.source_id]
    text = ""
    if s.coverage_pct.known:
        marked = words.derived if s.coverage_pct.origin == "derived" else ""
        text += f"{words.coverage} {coverage_text(s)}{marked}. "
    text += count_text(words.participants, s.participants, words)
    text += count_text(words.population, s.population, words)
    text += count_text(words.active, s.active_participants, words)
    text += count_text(words.not_enrolled, s.not_enrolled, words)
    text += f"{words.status}: {status_words(a)[0]}"
    if a.rule:
        text += f" ({a.rule.name})"
    text += old_text(a, freshness)
    published = tanggal(source.published) if source.published else ""
    cited = ", ".join(part for part in (source.title, source.publisher, published) if part)
    return f"{text}. {words.source}: {cited}."


def title(a: Assessment, dataset: Dataset, words: Words, freshness: Freshness | None = None) -> str:
    s = a.snapshot
    if s.coverage_pct.known:
        figure = coverage_text(s)
    else:
        figure = f"{angka(s.participants)} {words.participants.lower()}"
    return (
        f"{dataset.region_name(s.region_code)}: {figure} {words.per} {tanggal(s.as_of)} — "
        f"{status_words(a)[0]}{old_text(a, freshness)}"
    )


def correction_title(c: Correction, dataset: Dataset) -> str:
    return _("Koreksi: %(r)s, angka per %(d)s") % {
        "r": dataset.region_name(c.region_code),
        "d": tanggal(c.as_of),
    }


def correction_summary(c: Correction) -> str:
    """What was public, what is now (or that it was withdrawn), and why."""
    if c.now is None:
        change = _("ditarik dari data")
    else:
        change = _("sekarang %(v)s") % {"v": values_words(c.now)}
    return _("Sebelumnya %(was)s; %(change)s. Alasan: %(reason)s") % {
        "was": values_words(c.was),
        "change": change,
        "reason": c.reason,
    }


def correction_link(c: Correction, siteurl: str) -> str:
    """The corrected figure's row, with its correction beside it; a withdrawn figure's
    correction on /koreksi/."""
    if c.now is None:
        return f"{siteurl}/{urls.corrections()}#{c.anchor}"
    return f"{siteurl}/{urls.figure(c.region_code, 'angka-' + c.as_of.iso)}"


def entry(
    item: Keyed, dataset: Dataset, siteurl: str, words: Words, freshness: Freshness | None
) -> Entry:
    key, found = item
    if isinstance(found, Correction):
        heading, href = correction_title(found, dataset), correction_link(found, siteurl)
        uid, text = correction_id(found), correction_summary(found)
    else:
        s = found.snapshot
        heading = title(found, dataset, words, freshness)
        href = f"{siteurl}/{figure_path(s)}"
        uid, text = figure_id(s), summary(found, dataset, words, freshness)
    return Entry(heading, href, uid, stamp(key[0]), text)


def atom(
    feed: Feed,
    figures: list[Keyed],
    dataset: Dataset,
    siteurl: str,
    empty_updated: dt.date = EPOCH,
    freshness: Freshness | None = None,
) -> bytes:
    """The feed's XML; `figures` newest first. A feed without entries is dated
    `empty_updated`, since Atom needs a date and there is none to take. With `freshness`, an
    entry whose figure is old says so beside its status."""
    updated = figures[0][0][0] if figures else empty_updated
    words = Words.now()
    entries = (entry(item, dataset, siteurl, words, freshness) for item in figures)
    return write(feed, entries, stamp(updated))


def national_feed(siteurl: str) -> Feed:
    return Feed(
        TAG + "pembaruan",
        _("Pantau UHC: angka cakupan terbaru"),
        _("Setiap angka cakupan JKN baru dan setiap koreksi; %(n)s terbaru.")
        % {"n": NATIONAL_ENTRIES},
        f"{siteurl}/{urls.national_feed()}",
        f"{siteurl}/{urls.data()}",
    )


def region_feed(code: str, name: str, siteurl: str) -> Feed:
    return Feed(
        REGION_TAG + quote(code, safe=""),
        _("Pantau UHC: angka cakupan %(r)s") % {"r": name},
        _("Setiap angka cakupan JKN baru dan setiap koreksi untuk %(r)s; %(n)s terbaru.")
        % {"r": name, "n": REGION_ENTRIES},
        f"{siteurl}/{urls.region_feed(code)}",
        f"{siteurl}/{urls.region(code)}",
    )
