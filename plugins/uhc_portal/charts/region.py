"""Region: coverage over time against the rule in force, with forums and commitments: what the
chart shows (its named datasets and its words). How they are drawn is in `region_layers`."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from .. import urls
from ..filters import angka, selisih
from ..i18n import _
from ..model import Dataset, PartialDate, StatusRule
from ..status import Assessment
from ..views import RegionPage, status_words
from .altair_later import alt
from .common import (
    ChartData,
    iso,
    legend_row,
    pct_text,
    persen,
    short_date,
    tanggal,
    threshold_text,
)
from .labels import Frame, keep_step_labels_apart, place_labels, plot_top, text_width
from .region_layers import region_layout
from .theme import (
    BLUE,
    FAINT,
    GREEN,
    HEIGHT,
    INK,
    ORANGE,
    PURPLE,
    REGION_WIDTH,
    THRESHOLD_DASH,
    text_colour,
)


def region_data(page: RegionPage, dataset: Dataset, locale: str = "id") -> ChartData | None:
    """Coverage over time with the threshold step, context and markers; None without figures."""
    history = [a for a in page.history if a.snapshot.coverage_pct.known]
    if not history:
        return None
    latest = history[-1]
    uhc_rules = sorted((r for r in dataset.rules if r.tier == "uhc"), key=lambda r: r.valid_from)
    forum_days = sorted({f.date.start for f in page.forums})
    deadlines = sorted(
        {(o.commitment.deadline.end, o.target_pct) for o in page.commitments},
        key=lambda d: (d[0], d[1] or 0),
    )
    events = [a.snapshot.as_of.end for a in history] + forum_days + [d for d, _ in deadlines]
    start, end = min(events), max(events)
    if uhc_rules:  # reach into the year of the rule in force now, so its step is visible
        end = max(end, dt.date(uhc_rules[-1].valid_from.year, 12, 31))
    pad = max(dt.timedelta(days=120), (end - start) * 0.06)
    start, end = start - pad, end + pad
    span = (end - start).days or 1

    def where(day: dt.date) -> float:
        return (day - start).days / span

    steps, step_labels = threshold_steps(uhc_rules, start, end, locale)
    targets = target_line(dataset, start, end, locale)

    # a point per snapshot; smaller when they crowd (120 monthly figures on ~300 px)
    size, stroke = (
        (80, 2.5) if len(history) <= 15 else (36, 1.8) if len(history) <= 40 else (14, 1.2)
    )
    coverage, active = [], []
    for a in history:
        s = a.snapshot
        when = tanggal(s.as_of, locale)
        origin = s.coverage_pct.origin or "printed"
        coverage.append(
            {
                "tanggal": iso(s.as_of.end),
                "nilai": s.coverage_pct.amount,
                "asal": origin,
                "isi": BLUE if origin == "printed" else "#ffffff",
                "ukuran": size,
                "tebal": stroke,
                "Per": when,
                "Cakupan": pct_text(a, locale),
                "Status": status_words(a)[0],
            }
        )
        if s.active_pct_of_population is not None:
            active.append(
                {
                    "tanggal": iso(s.as_of.end),
                    "nilai": s.active_pct_of_population,
                    "isi": ORANGE if s.active_participants.origin == "printed" else "#ffffff",
                    "ukuran": size * 0.7,
                    "tebal": stroke,
                    "Per": when,
                    "Peserta aktif": persen(s.active_pct_of_population, 2, locale),
                }
            )

    markers: list[dict[str, Any]] = []
    for day in forum_days:
        forums = [f for f in page.forums if f.date.start == day]
        when = short_date(forums[0].date, locale)
        markers.append(
            {
                "tanggal": iso(day),
                "warna": GREEN,
                "warna_teks": text_colour(GREEN),
                "garis": [2, 2],
                "teks": _("forum %(d)s") % {"d": when}
                if len(forums) == 1
                else _("%(n)s forum %(d)s") % {"n": len(forums), "d": when},
                "Keterangan": _("Forum, %(d)s") % {"d": tanggal(forums[0].date, locale)},
            }
        )
    promises = []
    for day, target in deadlines:
        deadline = next(
            o.commitment.deadline for o in page.commitments if o.commitment.deadline.end == day
        )
        markers.append(
            {
                "tanggal": iso(day),
                "warna": PURPLE,
                "warna_teks": text_colour(PURPLE),
                "garis": [5, 2, 1, 2],
                "teks": _("tenggat %(d)s") % {"d": short_date(deadline, locale)},
                "Keterangan": _("Tenggat komitmen, %(d)s") % {"d": tanggal(deadline, locale)},
            }
        )
        if target is not None:
            promises.append(
                {
                    "tanggal": iso(day),
                    "nilai": target,
                    "Keterangan": _("Komitmen: %(t)s paling lambat %(d)s")
                    % {"t": persen(target, 0, locale), "d": tanggal(day, locale)},
                }
            )
    place_labels(markers, where)

    # labels beside the latest point: to its right, or to its left near the right edge
    side = "kiri" if where(latest.snapshot.as_of.end) > 0.62 else "kanan"
    gap_labels: dict[str, list[dict]] = {"kanan": [], "kiri": []}
    gap_rule: list[dict] = []
    s = latest.snapshot
    if latest.rule and latest.verdict == "below":
        gap_rule.append(
            {
                "tanggal": iso(s.as_of.end),
                "dari": s.coverage_pct.amount,
                "ke": latest.rule.min_coverage_pct,
            }
        )
        if latest.people_needed.known:
            words = _("%(n)s jiwa lagi") % {"n": angka(latest.people_needed, locale)}
        else:
            decimals = s.pct_decimals if s.coverage_pct.origin == "printed" else 2
            gap = latest.rule.min_coverage_pct - s.coverage_pct.amount
            words = _("%(p)s poin lagi") % {"p": selisih(gap, decimals, locale)}
        # right of the point: halfway up the gap; left of it (where earlier points run in):
        # under the value label
        middle = (s.coverage_pct.amount + latest.rule.min_coverage_pct) / 2
        # a gap of a few pixels: halfway up would be inside the value label (under the point)
        # and the threshold's label (over the line); under the value label instead
        top = plot_top(dataset, history)
        if (middle - s.coverage_pct.amount) * HEIGHT / top < 9:
            middle = s.coverage_pct.amount - 24 * top / HEIGHT
        gap_labels[side].append(
            {
                "tanggal": iso(s.as_of.end),
                "nilai": middle if side == "kanan" else s.coverage_pct.amount,
                "teks": words,
            }
        )
    value_labels: dict[str, list[dict]] = {"kanan": [], "kiri": []}
    value_labels[side].append(
        {
            "tanggal": iso(s.as_of.end),
            "nilai": s.coverage_pct.amount,
            "teks": pct_text(latest, locale),
        }
    )

    keep_step_labels_apart(
        step_labels,
        [*value_labels["kanan"], *value_labels["kiri"]],
        [*gap_labels["kanan"], *gap_labels["kiri"]],
        side,
        Frame(start, span, plot_top(dataset, history)),
    )

    legend = [legend_row(0, _("Cakupan JKN, dicetak sumber"), BLUE, "line+point")]
    if any(c["asal"] == "derived" for c in coverage):
        legend.append(
            legend_row(1, _("Cakupan JKN, dihitung portal"), BLUE, "point", fill="#ffffff")
        )
    if active:
        legend.append(
            legend_row(2, _("Peserta aktif (% penduduk)"), ORANGE, "line+point", [4, 2], "square")
        )
    if steps:
        legend.append(
            legend_row(3, _("Ambang UHC menurut aturan yang berlaku"), INK, "line", THRESHOLD_DASH)
        )
    if targets:
        legend.append(legend_row(4, _("Target nasional (RPJMN)"), FAINT, "line", [1, 3]))
    if forum_days:
        legend.append(legend_row(5, _("Forum"), GREEN, "rule", [2, 2]))
    if deadlines:
        if promises:
            legend.append(
                legend_row(
                    6,
                    _("Tenggat komitmen dan targetnya"),
                    PURPLE,
                    "line+point",
                    [5, 2, 1, 2],
                    "diamond",
                )
            )
        else:
            legend.append(legend_row(6, _("Tenggat komitmen"), PURPLE, "rule", [5, 2, 1, 2]))

    name = page.name
    return ChartData(
        kind="wilayah",
        name=f"grafik-{page.code}",
        folder=urls.chart_folder(page.code),
        heading=_("Cakupan JKN %(r)s") % {"r": name},
        subheading=_("Persen penduduk yang terdaftar, per tanggal angka"),
        title=_("Grafik cakupan JKN %(r)s menurut waktu") % {"r": name},
        description=region_description(page, history, deadlines, dataset, locale),
        datasets={
            "ambang": steps,
            "ambang_label": step_labels,
            "target": targets,
            "penanda": markers,
            "komitmen": promises,
            "cakupan": coverage,
            "aktif": active,
            "celah": gap_rule,
            "celah_kanan": gap_labels["kanan"],
            "celah_kiri": gap_labels["kiri"],
            "nilai_kanan": value_labels["kanan"],
            "nilai_kiri": value_labels["kiri"],
            "legenda": legend,
        },
    )


def threshold_steps(
    rules: list[StatusRule], start: dt.date, end: dt.date, locale: str
) -> tuple[list[dict], list[dict]]:
    """The UHC threshold as a step line over [start, end]; a new segment after a gap in rules."""
    steps: list[dict] = []
    labels: list[dict] = []
    segment, previous_end = 0, None
    for rule in rules:
        seg_start = max(rule.valid_from, start)
        seg_end = min(rule.valid_to or end, end)
        if seg_start > seg_end:
            continue
        if previous_end is not None and seg_start > previous_end + dt.timedelta(days=1):
            segment += 1
        if steps and steps[-1]["segmen"] == segment:
            steps.pop()  # the open end of the previous rule: the step rises here instead
        steps.append(
            {
                "tanggal": iso(seg_start),
                "nilai": rule.min_coverage_pct,
                "segmen": segment,
                "Aturan": rule.name,
            }
        )
        steps.append(
            {
                "tanggal": iso(seg_end),
                "nilai": rule.min_coverage_pct,
                "segmen": segment,
                "Aturan": rule.name,
            }
        )
        text = threshold_text(rule, locale)
        if narrow(seg_start, seg_end, rule != rules[-1], start, end, text):
            previous_end = seg_end
            continue
        labels.append(
            {
                "tanggal": iso(seg_start),
                "nilai": rule.min_coverage_pct,
                "teks": _("ambang %(t)s") % {"t": text} if not labels else text,
                "polos": text,  # the threshold alone, where the words do not fit
            }
        )
        previous_end = seg_end
    return steps, labels


def narrow(
    seg_start: dt.date, seg_end: dt.date, more: bool, start: dt.date, end: dt.date, text: str
) -> bool:
    """A step too short on the plot to carry its label, with more steps after it: its line is
    drawn (its tooltip names the rule) but its label would sit on the next rule's step."""
    room = (seg_end - seg_start).days / ((end - start).days or 1) * REGION_WIDTH
    return more and room < text_width(text, 12)


def target_line(dataset: Dataset, start: dt.date, end: dt.date, locale: str) -> list[dict]:
    """National targets joined by a line, cut (by interpolation) to the chart's time span."""
    points = sorted((t.by.end, t.pct, t.basis) for t in dataset.targets)
    if not points:
        return []
    out = []

    def at(day: dt.date) -> float | None:
        for (d0, p0, _b0), (d1, p1, _b1) in itertools.pairwise(points):
            if d0 <= day <= d1:
                return p0 + (p1 - p0) * ((day - d0).days / ((d1 - d0).days or 1))
        return None

    for edge in (start,):
        value = at(edge)
        if value is not None and edge > points[0][0]:
            out.append({"tanggal": iso(edge), "nilai": round(value, 4), "Target": ""})
    for day, pct, basis in points:
        if start <= day <= end:
            out.append(
                {
                    "tanggal": iso(day),
                    "nilai": pct,
                    "Target": _("%(p)s pada %(d)s (%(b)s)")
                    % {"p": persen(pct, 0, locale), "d": tanggal(day, locale), "b": basis},
                }
            )
    value = at(end)
    if value is not None and end < points[-1][0]:
        out.append({"tanggal": iso(end), "nilai": round(value, 4), "Target": ""})
    return out


def region_description(
    page: RegionPage, history: list[Assessment], deadlines: list, dataset: Dataset, locale: str
) -> str:
    """The key numbers in sentences, from the same objects and filters as the page."""
    latest = history[-1]
    s = latest.snapshot
    parts = [
        _("Cakupan JKN %(r)s %(p)s per %(d)s")
        % {"r": page.name, "p": pct_text(latest, locale), "d": tanggal(s.as_of, locale)}
    ]
    if latest.rule is None:
        parts.append(_("tidak ada aturan UHC yang tercatat untuk tanggal itu"))
    else:
        parts.append(_("ambang UHC saat itu %(t)s") % {"t": threshold_text(latest.rule, locale)})
        if latest.verdict == "meets":
            parts.append(_("ambang itu sudah terpenuhi"))
        elif latest.people_needed.known:
            parts.append(
                _("%(n)s jiwa lagi untuk mencapainya") % {"n": angka(latest.people_needed, locale)}
            )
        else:
            parts.append(_("jumlah jiwa yang masih dibutuhkan tidak dapat dihitung"))
    sentences = ["; ".join(parts) + "."]
    if len(history) > 1:
        first = history[0]
        sentences.append(
            _("%(n)s angka sejak %(d)s, yang pertama %(p)s.")
            % {
                "n": len(history),
                "d": tanggal(first.snapshot.as_of, locale),
                "p": pct_text(first, locale),
            }
        )
    current = [r for r in dataset.rules if r.tier == "uhc" and r.valid_to is None]
    if current and latest.rule and current[-1] != latest.rule:
        sentences.append(
            _("Ambang yang berlaku sejak %(d)s: %(t)s.")
            % {
                "d": tanggal(current[-1].valid_from, locale),
                "t": threshold_text(current[-1], locale),
            }
        )
    if page.forums:
        days = sorted({f.date for f in page.forums}, key=PartialDate.sort_key)
        sentences.append(_("Forum: %(d)s.") % {"d": ", ".join(tanggal(d, locale) for d in days)})
    for o in page.commitments:
        target = persen(o.target_pct, 0, locale) if o.target_pct is not None else "–"
        sentences.append(
            _("Tenggat komitmen %(d)s, target %(t)s.")
            % {"d": tanggal(o.commitment.deadline, locale), "t": target}
        )
    return " ".join(sentences)


def region_chart(page: RegionPage, dataset: Dataset, locale: str = "id") -> alt.VConcatChart | None:
    """Coverage over time for one region's page, or None when it has no coverage figure."""
    data = region_data(page, dataset, locale)
    return None if data is None else region_layout(data)
