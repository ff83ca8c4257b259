"""How a figure is cited: a ready Indonesian sentence, BibTeX and CSL-JSON (what reference
managers import), each with the figure, its date, the region, the source and the figure's
permanent address, and saying which numbers the source printed and which the portal derived."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from .filters import angka, persen, tanggal
from .i18n import N_, _
from .model import PartialDate, Snapshot, Source, Value
from .status import Assessment
from .views import figure_anchor, figure_path, status_words

PORTAL = "Pantau UHC"


def figure_url(snapshot: Snapshot, siteurl: str) -> str:
    """The figure's permanent address: absolute when the site's address is set, else from the
    site's root."""
    return f"{siteurl.rstrip('/')}/{figure_path(snapshot)}"


def counted(value: Value, unit: str) -> str:
    """'376.386 penduduk'; a bounded count with its range: '≈ 227 ribu penduduk, antara
    225.112 dan 228.351'."""
    if value.bounded:
        return _("%(n)s %(u)s, antara %(lo)s dan %(hi)s") % {
            "n": angka(value),
            "u": unit,
            "lo": angka(value.lower),
            "hi": angka(value.upper),
        }
    return f"{angka(value)} {unit}"


def coverage_decimals(snapshot: Snapshot) -> int:
    return snapshot.pct_decimals if snapshot.coverage_pct.origin == "printed" else 2


def statement(region: str, s: Snapshot) -> str:
    """'Kabupaten Wajo: cakupan kepesertaan JKN 82,77 % per September 2020 (311.536 peserta
    dari 376.386 penduduk).'"""
    counts = ""
    participants = counted(s.participants, _("peserta"))
    population = counted(s.population, _("penduduk"))
    if s.participants.known and s.population.known:
        counts = _("%(p)s dari %(n)s") % {"p": participants, "n": population}
    elif s.participants.known:
        counts = participants
    elif s.population.known:
        counts = population
    date = tanggal(s.as_of)
    if s.coverage_pct.known:
        text = _("%(r)s: cakupan kepesertaan JKN %(c)s per %(d)s") % {
            "r": region,
            "c": persen(s.coverage_pct, coverage_decimals(s)),
            "d": date,
        }
        return f"{text} ({counts})." if counts else f"{text}."
    if counts:
        return _("%(r)s: %(n)s per %(d)s.") % {"r": region, "n": counts, "d": date}
    if not s.active_participants.known and s.active_pct.known:
        return _("%(r)s: tingkat keaktifan peserta %(a)s per %(d)s (bukan angka cakupan).") % {
            "r": region,
            "a": persen(s.active_pct, s.active_decimals),
            "d": date,
        }
    return _("%(r)s: %(a)s per %(d)s.") % {
        "r": region,
        "a": counted(s.active_participants, _("peserta aktif")),
        "d": date,
    }


FIELDS = (
    ("coverage_pct", N_("cakupan")),
    ("participants", N_("peserta")),
    ("population", N_("penduduk")),
)


def origins(s: Snapshot) -> str:
    """Which of the numbers in the statement the source printed and which the portal derived,
    and which are only approximate ('≈': from a rounded percentage)."""
    values = [(_(label), getattr(s, name)) for name, label in FIELDS]
    if not any(v.known for _label, v in values):
        values = [(_("peserta aktif"), s.active_participants)]
    printed = [label for label, v in values if v.origin == "printed"]
    derived = [label for label, v in values if v.origin == "derived" and not v.approximate]
    rough = [label for label, v in values if v.origin == "derived" and v.approximate]
    if not derived and not rough:
        return _("Semua angka dicetak sumber.")
    parts = [_("Dicetak sumber: %(f)s.") % {"f": ", ".join(printed)}] if printed else []
    if derived:
        parts.append(_("Dihitung Pantau UHC: %(f)s.") % {"f": ", ".join(derived)})
    if rough:
        parts.append(
            _("Dihitung Pantau UHC dari persentase yang dibulatkan, hanya perkiraan (≈): %(f)s.")
            % {"f": ", ".join(rough)}
        )
    return " ".join(parts)


def source_words(source: Source) -> str:
    """'Upeks.co.id, “Judul”, 27 Oktober 2020' (without a date: 'tanpa tanggal terbit')."""
    parts = [source.publisher] if source.publisher else []
    parts.append(f"“{source.title}”")
    parts.append(tanggal(source.published) if source.published else _("tanpa tanggal terbit"))
    words = ", ".join(parts)
    return f"{words}, {source.url}" if source.url else words


def sentence(
    region: str,
    s: Snapshot,
    source: Source,
    siteurl: str,
    sources: Mapping[str, Source] | None = None,
) -> str:
    """The ready sentence a journalist pastes."""
    return f"{sentence_text(region, s, source, sources)} {figure_url(s, siteurl)}"


def sentence_text(
    region: str, s: Snapshot, source: Source, sources: Mapping[str, Source] | None = None
) -> str:
    """The sentence up to the figure's address; with `sources`, the other sources of the same
    date after the figure's own ("Sumber lain mencatat …")."""
    parts = [
        statement(region, s),
        origins(s),
        _("Sumber: %(s)s.") % {"s": source_words(source)},
    ]
    if s.as_printed:
        parts.append(_("Angka-angka sumber ini tidak saling cocok; dikutip sebagaimana dicetak."))
    if s.others and sources is not None:
        parts.append(others_words(s, sources))
    parts.append(_("Dihimpun %(p)s:") % {"p": PORTAL})
    return " ".join(parts)


def figure_words(s: Snapshot) -> str:
    """A figure's main number alone: its %, else its counts, else its active rate."""
    if s.coverage_pct.known:
        return persen(s.coverage_pct, coverage_decimals(s))
    if s.participants.known:
        return counted(s.participants, _("peserta"))
    if s.population.known:
        return counted(s.population, _("penduduk"))
    if s.active_participants.known:
        return counted(s.active_participants, _("peserta aktif"))
    return _("tingkat keaktifan %(a)s") % {"a": persen(s.active_pct, s.active_decimals)}


def others_words(s: Snapshot, sources: Mapping[str, Source]) -> str:
    """'Sumber lain mencatat 85,40 % (BPJS Kesehatan, “Judul”, 3 Mei 2022, https://…).'"""
    said = "; ".join(
        f"{figure_words(o)} ({source_words(sources[o.source_id])})"
        for o in s.others
        if o.source_id in sources
    )
    return _("Sumber lain mencatat %(o)s.") % {"o": said}


def sentence_html(
    region: str,
    s: Snapshot,
    source: Source,
    siteurl: str,
    sources: Mapping[str, Source] | None = None,
) -> Markup:
    """The sentence as a page shows it, its address a link to the figure's row on the page."""
    return Markup(
        f"{escape(sentence_text(region, s, source, sources))} "
        f'<a href="#{escape(figure_anchor(s))}">{escape(figure_url(s, siteurl))}</a>'
    )


def share_text(region: str, assessment: Assessment) -> str:
    """A region's headline for link previews: 'Kabupaten Wajo: 82,77 % penduduk terdaftar JKN
    per September 2020 — Belum UHC'."""
    s = assessment.snapshot
    words = status_words(assessment)[0]
    if s.coverage_pct.known:
        return _("%(r)s: %(p)s penduduk terdaftar JKN per %(d)s — %(v)s") % {
            "r": region,
            "p": persen(s.coverage_pct, coverage_decimals(s)),
            "d": tanggal(s.as_of),
            "v": words,
        }
    return f"{statement(region, s).removesuffix('.')} — {words}"


class Citations:
    """The citation helpers for templates and the generator, bound to the site's address."""

    def __init__(self, siteurl: str, sources: Mapping[str, Source] | None = None):
        self.siteurl = siteurl
        self.sources = sources

    def url(self, s: Snapshot) -> str:
        return figure_url(s, self.siteurl)

    def sentence(self, region: str, s: Snapshot, source: Source) -> Markup:
        return sentence_html(region, s, source, self.siteurl, self.sources)

    def bibtex(self, region: str, s: Snapshot, source: Source) -> str:
        return bibtex(region, s, source, self.siteurl)

    def share_text(self, region: str, assessment: Assessment) -> str:
        return share_text(region, assessment)

    def csl_json(self, region: str, s: Snapshot, source: Source) -> str:
        return csl_json([csl(region, s, source, self.siteurl)])


def cite_key(s: Snapshot) -> str:
    return f"pantau-uhc-{s.region_code}-{figure_anchor(s)}"


def title(region: str, s: Snapshot) -> str:
    return statement(region, s).removesuffix(".")


BIBTEX_SPECIAL = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "%": r"\%",
        "&": r"\&",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
        "\u00a0": "~",  # after '~' itself is escaped: TeX's no-break space
    }
)


def bibtex(region: str, s: Snapshot, source: Source, siteurl: str) -> str:
    """One @misc entry; every value in braces with TeX's special characters escaped, except the
    url, which BibTeX styles and biblatex read verbatim."""
    url = figure_url(s, siteurl)
    fields = {
        "title": title(region, s).translate(BIBTEX_SPECIAL),
        "author": "{" + PORTAL + "}",
        "url": url,
        "note": " ".join((origins(s), _("Sumber: %(s)s.") % {"s": source_words(source)})).translate(
            BIBTEX_SPECIAL
        ),
        "language": "indonesian",
    }
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    return f"@misc{{{cite_key(s)},\n{body}\n}}\n"


def date_parts(date: PartialDate) -> dict[str, Any]:
    return {"date-parts": [[p for p in (date.year, date.month, date.day) if p is not None]]}


def csl(region: str, s: Snapshot, source: Source, siteurl: str) -> dict[str, Any]:
    """One CSL-JSON item: the figure as a dataset of the portal, the original report as its
    original-* variables."""
    item: dict[str, Any] = {
        "id": cite_key(s),
        "type": "dataset",
        "title": title(region, s),
        "author": [{"literal": PORTAL}],
        "publisher": PORTAL,
        "URL": figure_url(s, siteurl),
        "language": "id",
        "note": origins(s),
        "original-title": source.title,
    }
    if source.publisher:
        item["original-publisher"] = source.publisher
    if source.published:
        item["original-date"] = date_parts(source.published)
    return item


def csl_json(items: list[dict[str, Any]]) -> str:
    """CSL-JSON as reference managers import it: an array of items."""
    return json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
