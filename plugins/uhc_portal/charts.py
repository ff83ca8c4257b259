"""Charts as Vega-Lite specs: page objects → chart data → one Altair chart per kind. No I/O here.

Every chart is drawn from *named datasets* only, so the spec of one kind has the same structure
for every region and only its `datasets`, title and subtitle change. `spec()` builds that
structure once per kind with Altair (which validates it against the Vega-Lite schema) and then
fills in the data: the build never pays Altair's validation 514 times.

Numbers printed inside a chart are formatted in Python with the same filters as the page
(`angka`, `persen`, `tanggal`), so a chart and the page beside it print the same digits; the
axes get Indonesian number and date formats from the d3 locales built from Babel below.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import altair as alt
from babel import Locale
from babel.dates import format_date, get_day_names, get_month_names
from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

from . import filters
from .filters import angka
from .i18n import _
from .model import Dataset, PartialDate, StatusRule, Value
from .status import Assessment
from .views import RegionPage, Site, status_words

# Okabe–Ito: told apart with every common colour-vision deficiency, and never alone: status is
# also a word or a shape, series are also a dash pattern or a symbol.
BLUE, ORANGE, GREEN, PURPLE = "#0072B2", "#E69F00", "#009E73", "#CC79A7"
VERMILION, GREY, INK, FAINT = "#D55E00", "#6F6F6F", "#1d1d1b", "#9A9A9A"
STATUS_STYLE = {  # css class → (colour, symbol shape); shapes as on the page's badges
    "meets": (BLUE, "circle"),
    "below": (VERMILION, "triangle-down"),
    "unknown": (GREY, "square"),
}
THRESHOLD_DASH = [6, 3]
HALO = {"stroke": "#ffffff", "strokeWidth": 4, "strokeOpacity": 0.9}  # text drawn over lines
FONT = "Liberation Sans, Arial, sans-serif"  # metric twin of Arial; a long list renders slower
WIDTH = 300  # plot width: with axes and padding about 360 px, legible on a phone as it is
HEIGHT = 210
Y_TICKS = [0, 20, 40, 60, 80, 100]
NAMES_PER_LINE = 44
MARKER_ROWS = 3  # characters of the "no data" list per line at 11 px within WIDTH


@dataclass(frozen=True)
class ChartData:
    """What one chart shows: its data, the words around it, and where its files go."""

    kind: str  # "wilayah", "provinsi", "sebaran" or "tahunan": picks the layout
    name: str  # file name without extension, also the HTML id: "grafik-73.13"
    folder: str  # folder of the page it belongs to, "" for the home page
    heading: str  # visible title inside the chart
    subheading: str | list[str]
    title: str  # the SVG's <title>
    description: str  # the SVG's <desc>: the key numbers in a sentence
    datasets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.name}" if self.folder else self.name

    @property
    def html_id(self) -> str:
        return re.sub(r"[^a-z0-9-]", "-", self.name)


# ---------------------------------------------------------------------------------------------
# Locales for the renderer (vl-convert ships none for Indonesian)


def format_locale(locale: str = "id") -> dict[str, Any]:
    """d3-format locale from Babel: for Indonesian decimal ',' and thousands '.'."""
    return {
        "decimal": get_decimal_symbol(locale),
        "thousands": get_group_symbol(locale),
        "grouping": [3],
        "currency": ["Rp", ""] if locale == "id" else ["", ""],
        "minus": get_minus_sign_symbol(locale),
        "percent": "\u00a0%" if locale == "id" else "%",
    }


LDML_TO_D3 = {
    "EEEE": "%A",
    "EEE": "%a",
    "y": "%Y",
    "yyyy": "%Y",
    "yy": "%y",
    "MMMM": "%B",
    "MMM": "%b",
    "MM": "%m",
    "M": "%-m",
    "dd": "%d",
    "d": "%-d",
    "HH": "%H",
    "H": "%-H",
    "hh": "%I",
    "h": "%-I",
    "mm": "%M",
    "ss": "%S",
    "a": "%p",
}


def ldml_to_d3(pattern: str) -> str:
    """A Babel (LDML) date pattern as a d3-time-format specifier: 'dd/MM/yy' → '%d/%m/%y'."""
    out = []
    for match in re.finditer(r"'([^']*)'|([A-Za-z])\2*|(.)", pattern):
        quoted, letters, other = match.group(1), match.group(0), match.group(3)
        if quoted is not None:
            out.append(quoted.replace("%", "%%") or "'")
        elif other is not None:
            out.append("%%" if other == "%" else other)
        else:
            out.append(LDML_TO_D3.get(letters, letters))
    return "".join(out)


def time_format_locale(locale: str = "id") -> dict[str, Any]:
    """d3-time-format locale with month and day names from Babel (d3 weeks start on Sunday)."""
    loc = Locale.parse(locale)
    days = get_day_names("wide", locale=locale)
    short_days = get_day_names("abbreviated", locale=locale)
    periods = loc.day_periods["format"]["abbreviated"]
    date = ldml_to_d3(loc.date_formats["full"].pattern)
    time = ldml_to_d3(loc.time_formats["medium"].pattern)
    return {
        "dateTime": str(loc.datetime_formats["medium"]).replace("{1}", date).replace("{0}", time),
        "date": ldml_to_d3(loc.date_formats["short"].pattern),
        "time": time,
        "periods": [periods["am"], periods["pm"]],
        "days": [days[(i + 6) % 7] for i in range(7)],
        "shortDays": [short_days[(i + 6) % 7] for i in range(7)],
        "months": [get_month_names("wide", locale=locale)[m] for m in range(1, 13)],
        "shortMonths": [get_month_names("abbreviated", locale=locale)[m] for m in range(1, 13)],
    }


# ---------------------------------------------------------------------------------------------
# Small helpers shared by the charts


@functools.lru_cache(maxsize=1 << 16)
def persen(value: Value | float | None, decimals: int, locale: str) -> str:
    """filters.persen, remembered: 120 monthly figures × 514 regions repeat many values."""
    return filters.persen(value, decimals, locale)


@functools.lru_cache(maxsize=1 << 12)
def tanggal(value: PartialDate | dt.date | None, locale: str) -> str:
    """filters.tanggal, remembered: every region's series has the same months."""
    return filters.tanggal(value, locale)


def iso(day: dt.date) -> str:
    return day.isoformat()


def threshold_text(rule: StatusRule, locale: str) -> str:
    """The threshold as the page prints it ('95 %')."""
    return persen(rule.min_coverage_pct, 0, locale)


def pct_text(assessment: Assessment, locale: str) -> str:
    """Coverage as the page prints it: as many decimals as the source printed."""
    s = assessment.snapshot
    decimals = s.pct_decimals if s.coverage_pct.origin == "printed" else 2
    return persen(s.coverage_pct, decimals, locale)


def short_date(value: PartialDate | dt.date, locale: str) -> str:
    """A date at its own precision, with a short month: '26 Okt 2020', 'Jan 2019', '2021'."""
    if isinstance(value, dt.date):
        return format_date(value, format="d MMM y", locale=locale)
    if value.precision == "year":
        return str(value.year)
    return format_date(value.start, format="d MMM y" if value.day else "MMM y", locale=locale)


def legend_row(
    order: int,
    text: str,
    colour: str,
    kind: str,
    dash: list[int] | None = None,
    shape: str = "circle",
    fill: str | None = None,
) -> dict[str, Any]:
    """One row of a chart's own legend: kind 'line', 'point', 'line+point' or 'rule'."""
    return {
        "urutan": order,
        "teks": text,
        "warna": colour,
        "garis": dash or [1, 0],
        "bentuk": shape,
        "isi": fill or colour,
        "jenis": kind,
        "ada_garis": kind in ("line", "line+point", "rule"),
        "ada_titik": kind in ("point", "line+point"),
    }


def wrap(text: str, width: int = NAMES_PER_LINE) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=False) or [""]


# ---------------------------------------------------------------------------------------------
# Region: coverage over time against the rule in force


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
            words = _("%(p)s poin lagi") % {
                "p": persen(latest.rule.min_coverage_pct - s.coverage_pct.amount, 2, locale)
            }
        # right of the point: halfway up the gap; left of it (where earlier points run in):
        # under the value label
        middle = (s.coverage_pct.amount + latest.rule.min_coverage_pct) / 2
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
        folder=f"wilayah/{page.code}",
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
        labels.append(
            {
                "tanggal": iso(seg_start),
                "nilai": rule.min_coverage_pct,
                "teks": _("ambang %(t)s") % {"t": text} if not labels else text,
            }
        )
        previous_end = seg_end
    return steps, labels


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


def place_labels(markers: list[dict], where: Callable[[dt.date], float]) -> None:
    """Stack marker labels in rows so that two labels close in time do not overlap.

    A label is written to the right of its line, or to the left near the right edge; its
    width is estimated at 7 px a character (12 px text). At most MARKER_ROWS rows.
    """
    row_ends: list[float] = []  # right end of the last label in each row, in px
    for marker in sorted(markers, key=lambda m: (m["tanggal"], m["teks"])):
        x = where(dt.date.fromisoformat(marker["tanggal"])) * WIDTH
        width = 7 * len(marker["teks"]) + 6
        right = x + width <= WIDTH
        left_end, right_end = (x, x + width) if right else (x - width, x)
        for row, end in enumerate(row_ends):
            if left_end > end + 4:
                row_ends[row] = right_end
                marker["baris"] = row
                break
        else:
            marker["baris"] = len(row_ends)
            row_ends.append(right_end)
        if marker["baris"] >= MARKER_ROWS:  # too crowded: the line stays, the label goes
            marker["baris"], marker["teks"] = MARKER_ROWS - 1, ""
        marker["y"] = HEIGHT - 6 - 13 * marker["baris"]
        marker["rata"] = "left" if right else "right"
    markers.sort(key=lambda m: (m["tanggal"], m["teks"]))


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


def region_layout(data: ChartData) -> alt.VConcatChart:
    x = alt.X(
        "tanggal:T",
        title=None,
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(tickCount=6, labelOverlap="greedy", grid=False),
    )
    y = alt.Y(
        "nilai:Q",
        title=_("% penduduk"),
        scale=alt.Scale(domain={"unionWith": [0, 100]}, nice=False),
        axis=alt.Axis(values=Y_TICKS, format="d", gridColor="#eeeeee"),
    )

    def layer(name: str) -> alt.Chart:
        return alt.Chart(alt.NamedData(name))

    markers = layer("penanda")
    gap_text = {"fontSize": 12, "fontWeight": "bold", "color": VERMILION}
    value_text = {"fontSize": 13, "fontWeight": "bold", "color": BLUE}
    point_look = {  # filled when printed, hollow when derived; size from the data's density
        "fill": alt.Fill("isi:N", scale=None),
        "size": alt.Size("ukuran:Q", scale=None),
        "strokeWidth": alt.StrokeWidth("tebal:Q", scale=None),
    }
    main = alt.layer(
        layer("target")
        .mark_line(color=FAINT, strokeDash=[1, 3], strokeWidth=1.5)
        .encode(x=x, y=y, tooltip=["Target:N"]),
        markers.mark_rule(strokeWidth=1.5).encode(
            x=x,
            color=alt.Color("warna:N", scale=None),
            strokeDash=alt.StrokeDash("garis:N", scale=None),
            tooltip=["Keterangan:N"],
        ),
        *[
            markers.mark_text(fontSize=12, dx=3 * sign, align=align, **paint)
            .encode(
                x=x,
                y=alt.Y("y:Q", scale=None),
                text="teks:N",
                color=alt.Color("warna:N", scale=None),
            )
            .transform_filter(f"datum.rata == '{align}'")
            for paint in (HALO, {})
            for align, sign in (("left", 1), ("right", -1))
        ],
        layer("ambang")
        .mark_line(interpolate="step-after", color=INK, strokeWidth=2, strokeDash=THRESHOLD_DASH)
        .encode(x=x, y=y, detail="segmen:N", tooltip=["Aturan:N"]),
        *[
            layer("ambang_label")
            .mark_text(
                align="left", baseline="bottom", dx=2, dy=-3, fontSize=12, color=INK, **paint
            )
            .encode(x=x, y=y, text="teks:N")
            for paint in (HALO, {})
        ],
        layer("celah")
        .mark_rule(color=VERMILION, strokeWidth=2)
        .encode(x=x, y=y, y2="ke:Q")
        .transform_calculate(nilai="datum.dari"),
        *[
            layer(f"celah_{side}")
            .mark_text(align=align, **placed, **gap_text, **paint)
            .encode(x=x, y=y, text="teks:N")
            for paint in (HALO, {})
            for side, align, placed in (
                ("kanan", "left", {"dx": 6, "baseline": "middle"}),
                ("kiri", "right", {"dx": -8, "dy": 19, "baseline": "top"}),
            )
        ],
        layer("aktif").mark_line(color=ORANGE, strokeDash=[4, 2], strokeWidth=2).encode(x=x, y=y),
        layer("aktif")
        .mark_point(shape="square", color=ORANGE, opacity=1)
        .encode(x=x, y=y, tooltip=["Per:N", "Peserta aktif:N"], **point_look),
        layer("komitmen")
        .mark_point(shape="diamond", size=90, filled=True, color=PURPLE, opacity=1)
        .encode(x=x, y=y, tooltip=["Keterangan:N"]),
        layer("cakupan").mark_line(color=BLUE, strokeWidth=2.5).encode(x=x, y=y),
        layer("cakupan")
        .mark_point(shape="circle", color=BLUE, opacity=1)
        .encode(x=x, y=y, tooltip=["Per:N", "Cakupan:N", "Status:N"], **point_look),
        *[
            layer(f"nilai_{side}")
            .mark_text(align=align, baseline="top", dx=8 * sign, dy=3, **value_text, **paint)
            .encode(x=x, y=y, text="teks:N")
            for paint in (HALO, {})
            for side, align, sign in (("kanan", "left", 1), ("kiri", "right", -1))
        ],
    ).properties(width=WIDTH, height=HEIGHT)
    return titled(alt.vconcat(main, legend_chart(), spacing=14), data)


def legend_chart() -> alt.LayerChart:
    """A legend drawn from the 'legenda' dataset: one row per series actually shown."""
    rows = alt.Chart(alt.NamedData("legenda"))
    y = alt.Y("urutan:O", axis=None, title=None)
    sample = (
        rows.transform_filter("datum.ada_garis")
        .mark_rule(strokeWidth=2)
        .encode(
            x=alt.value(0),
            x2=alt.value(26),
            y=y,
            color=alt.Color("warna:N", scale=None),
            strokeDash=alt.StrokeDash("garis:N", scale=None),
        )
    )
    symbol = (
        rows.transform_filter("datum.ada_titik")
        .mark_point(size=55, strokeWidth=2, opacity=1)
        .encode(
            x=alt.value(13),
            y=y,
            shape=alt.Shape("bentuk:N", scale=None),
            color=alt.Color("warna:N", scale=None),
            fill=alt.Fill("isi:N", scale=None),
        )
    )
    words = rows.mark_text(align="left", fontSize=12, color=INK).encode(
        x=alt.value(34), y=y, text="teks:N"
    )
    return alt.layer(sample, symbol, words).properties(
        width=WIDTH, height=alt.Step(18), view=alt.ViewConfig(strokeWidth=0)
    )


def titled(chart: alt.TopLevelMixin, data: ChartData) -> alt.TopLevelMixin:
    """Title, data and look; everything else in the spec is the same for every chart of a kind."""
    return (
        chart.properties(
            title=alt.Title(data.heading, subtitle=data.subheading, anchor="start", offset=12),
            datasets=data.datasets,
            padding={"left": 4, "right": 10, "top": 6, "bottom": 4},
        )
        .configure(
            font=FONT,
            background="#ffffff",
            aria=False,  # <svg role="img"> has <title> and <desc>; no English labels per mark
        )
        .configure_view(stroke=None)
        .configure_axis(
            labelFontSize=12,
            titleFontSize=12,
            titleFontWeight="normal",
            labelColor=INK,
            titleColor=INK,
            domainColor="#888888",
            tickColor="#888888",
        )
        .configure_title(
            fontSize=15,
            subtitleFontSize=12,
            subtitleColor="#444444",
            color=INK,
            subtitlePadding=3,
            limit=WIDTH + 56,
        )
    )


# ---------------------------------------------------------------------------------------------
# Province: its regions' latest coverage, sorted, with the threshold of each figure


def province_data(page: RegionPage, dataset: Dataset, locale: str = "id") -> ChartData | None:
    rows = [r for r in page.regions if r.latest and r.latest.snapshot.coverage_pct.known]
    if not rows:
        return None
    rows.sort(key=lambda r: (-(r.latest.snapshot.coverage_pct.amount or 0), r.code))
    bars = []
    for order, row in enumerate(rows):
        a = row.latest
        words, css = status_words(a)
        colour = STATUS_STYLE.get(css, STATUS_STYLE["unknown"])[0]
        pct = a.snapshot.coverage_pct.amount
        text = f"{pct_text(a, locale)} · {words}"
        bars.append(
            {
                "urutan": order,
                "nilai": pct,
                "warna": colour,
                "nama": f"{row.name} ({short_date(a.snapshot.as_of, locale)})",
                "ambang": a.rule.min_coverage_pct if a.rule else None,
                # the label goes inside the bar when it fits (7 px a character at 12 px bold)
                "teks": text,
                "dalam": pct / 100 * WIDTH >= 7 * len(text) + 12,
                "Wilayah": row.name,
                "Cakupan": pct_text(a, locale),
                "Per": tanggal(a.snapshot.as_of, locale),
                "Status": words,
            }
        )
    missing = [r.name for r in page.regions_without_data]
    if missing:
        lines = wrap(
            _("Belum ada angka (%(n)s): %(r)s.")
            % {"n": angka(len(missing), locale), "r": ", ".join(missing)}
        )
    else:
        lines = [_("Semua kabupaten/kota di provinsi ini punya angka.")]
    legend = [legend_row(0, _("Ambang UHC pada tanggal angka"), INK, "rule")]
    return ChartData(
        kind="provinsi",
        name=f"grafik-{page.code}",
        folder=f"wilayah/{page.code}",
        heading=_("Cakupan JKN di %(p)s") % {"p": page.name},
        subheading=_("Angka terbaru tiap kabupaten/kota, diurutkan"),
        title=_("Grafik cakupan JKN terbaru kabupaten/kota di %(p)s") % {"p": page.name},
        description=province_description(page, rows, missing, locale),
        datasets={
            "batang": bars,
            "belum": [{"baris": i, "teks": t} for i, t in enumerate(lines)],
            "legenda": legend,
        },
    )


def province_description(page: RegionPage, rows: list, missing: list[str], locale: str) -> str:
    parts = [
        _("%(n)s dari %(t)s kabupaten/kota di %(p)s punya angka cakupan")
        % {"n": angka(len(rows), locale), "t": angka(len(page.regions), locale), "p": page.name}
    ]
    figures = [
        _("%(r)s %(c)s per %(d)s (%(s)s)")
        % {
            "r": row.name,
            "c": pct_text(row.latest, locale),
            "d": tanggal(row.latest.snapshot.as_of, locale),
            "s": status_words(row.latest)[0],
        }
        for row in rows
    ]
    text = "; ".join(parts) + ": " + "; ".join(figures) + "."
    if missing:
        text += " " + _("Belum ada angka: %(r)s.") % {"r": ", ".join(missing)}
    return text


def province_chart(
    page: RegionPage, dataset: Dataset, locale: str = "id"
) -> alt.VConcatChart | None:
    data = province_data(page, dataset, locale)
    return None if data is None else province_layout(data)


def province_layout(data: ChartData) -> alt.VConcatChart:
    base = alt.Chart(alt.NamedData("batang"))
    y = alt.Y("urutan:O", axis=None, title=None, scale=alt.Scale(paddingInner=0, paddingOuter=0))
    x = alt.X(
        "nilai:Q",
        title=_("% penduduk"),
        scale=alt.Scale(domain={"unionWith": [0, 100]}, nice=False),
        axis=alt.Axis(values=Y_TICKS, format="d", gridColor="#eeeeee", orient="top"),
    )
    tooltip = ["Wilayah:N", "Cakupan:N", "Per:N", "Status:N"]
    bars = alt.layer(
        base.mark_bar(height=16, yOffset=7).encode(
            x=x, y=y, color=alt.Color("warna:N", scale=None), tooltip=tooltip
        ),
        base.mark_text(
            align="left", baseline="bottom", dy=-1, fontSize=12, fontWeight="bold", color=INK
        ).encode(x=alt.value(0), y=y, text="nama:N"),
        base.mark_tick(orient="vertical", thickness=2.5, size=22, color=INK, yOffset=7)
        .encode(x="ambang:Q", y=y)
        .transform_filter("datum.ambang != null"),
        base.transform_filter("datum.dalam")
        .mark_text(align="right", dx=-4, dy=7, fontSize=12, color="#ffffff", fontWeight="bold")
        .encode(x=x, y=y, text="teks:N"),
        base.transform_filter("!datum.dalam")
        .mark_text(align="left", dx=4, dy=7, fontSize=12, color=INK)
        .encode(x=x, y=y, text="teks:N"),
    ).properties(width=WIDTH, height=alt.Step(44))
    missing = (
        alt.Chart(alt.NamedData("belum"))
        .mark_text(
            align="left",
            fontSize=12,
            color="#444444",
        )
        .encode(x=alt.value(0), y=alt.Y("baris:O", axis=None), text="teks:N")
        .properties(width=WIDTH, height=alt.Step(16), view=alt.ViewConfig(strokeWidth=0))
    )
    return titled(alt.vconcat(bars, legend_chart(), missing, spacing=10), data)


# ---------------------------------------------------------------------------------------------
# Home: how the latest coverage of all regions is spread, by status


def distribution_data(site: Site, locale: str = "id") -> ChartData | None:
    latest = sorted(
        (a for a in site.latest_assessments if a.snapshot.coverage_pct.known),
        key=lambda a: a.snapshot.region_code,
    )
    if not latest:
        return None
    groups: dict[str, list[Assessment]] = {"meets": [], "below": [], "unknown": []}
    for a in latest:
        groups[status_words(a)[1]].append(a)
    dots, rows = [], []
    for css, members in groups.items():
        if not members and css == "unknown":
            continue
        colour, shape = STATUS_STYLE[css]
        words = (
            status_words(members[0])[0]
            if members
            else {"meets": _("Sudah UHC"), "below": _("Belum UHC")}[css]
        )
        rows.append(
            {"status": css, "teks": f"{words}: {angka(len(members), locale)}", "warna": colour}
        )
        for i, a in enumerate(members):
            s = a.snapshot
            dots.append(
                {
                    "status": css,
                    "nilai": s.coverage_pct.amount,
                    "warna": colour,
                    "bentuk": shape,
                    # deterministic spread within the row (golden-ratio sequence), not random()
                    "geser": round(((i * 0.6180339887) % 1) * 2 - 1, 4),
                    "Wilayah": site.region_name(s.region_code),
                    "Cakupan": pct_text(a, locale),
                    "Per": tanggal(s.as_of, locale),
                    "Status": status_words(a)[0],
                }
            )
    used = sorted({a.rule.min_coverage_pct for a in latest if a.rule})
    rules = {r.min_coverage_pct: r for r in site.dataset.rules if r.tier == "uhc"}
    lines = [
        {
            "nilai": pct,
            "teks": threshold_text(rules[pct], locale) if pct in rules else persen(pct, 0, locale),
            "rata": "right" if i < len(used) - 1 else "left",
        }
        for i, pct in enumerate(used)
    ]
    summary = site.summary
    return ChartData(
        kind="sebaran",
        name="grafik-sebaran",
        folder="",
        heading=_("Sebaran cakupan terbaru"),
        subheading=[
            _("%(n)s dari %(t)s kabupaten/kota punya angka;")
            % {"n": angka(len(latest), locale), "t": angka(summary["regions"], locale)},
            _("satu titik satu wilayah"),
        ],
        title=_("Grafik sebaran cakupan JKN terbaru menurut status"),
        description=distribution_description(site, groups, used, locale),
        datasets={"titik": dots, "baris": rows, "ambang": lines},
    )


def distribution_description(
    site: Site, groups: dict[str, list[Assessment]], thresholds: list[float], locale: str
) -> str:
    summary = site.summary
    text = _(
        "%(n)s dari %(t)s kabupaten/kota punya angka cakupan: %(m)s sudah UHC, %(b)s belum UHC"
    ) % {
        "n": angka(summary["with_data"], locale),
        "t": angka(summary["regions"], locale),
        "m": angka(len(groups["meets"]), locale),
        "b": angka(len(groups["below"]), locale),
    }
    if groups["unknown"]:
        text += _(", %(u)s tidak dapat dinilai") % {"u": angka(len(groups["unknown"]), locale)}
    text += _("; %(x)s belum ada data.") % {
        "x": angka(summary["regions"] - summary["with_data"], locale)
    }
    values = sorted(a.snapshot.coverage_pct.amount for g in groups.values() for a in g)
    if values:
        text += " " + _("Cakupan terendah %(lo)s, tertinggi %(hi)s.") % {
            "lo": persen(values[0], 2, locale),
            "hi": persen(values[-1], 2, locale),
        }
    if thresholds:
        text += " " + _("Ambang UHC pada tanggal angka: %(t)s.") % {
            "t": ", ".join(persen(t, 0, locale) for t in thresholds)
        }
    return text


def distribution_chart(site: Site, locale: str = "id") -> alt.LayerChart | None:
    data = distribution_data(site, locale)
    return None if data is None else distribution_layout(data)


def distribution_layout(data: ChartData) -> alt.LayerChart:
    y = alt.Y(
        "status:N",
        axis=None,
        title=None,
        sort=["meets", "below", "unknown"],
        scale=alt.Scale(paddingInner=0, paddingOuter=0),
    )
    x = alt.X(
        "nilai:Q",
        title=_("% penduduk terdaftar JKN"),
        scale=alt.Scale(domain={"unionWith": [0, 100]}, nice=False),
        axis=alt.Axis(values=Y_TICKS, format="d", gridColor="#eeeeee"),
    )
    chart = alt.layer(
        alt.Chart(alt.NamedData("ambang"))
        .mark_rule(color=INK, strokeDash=THRESHOLD_DASH, strokeWidth=1.5)
        .encode(x=x),
        alt.Chart(alt.NamedData("ambang"))
        .mark_text(baseline="bottom", dy=-2, fontSize=12, color=INK, dx=0)
        .encode(x=x, y=alt.value(0), text="teks:N"),
        alt.Chart(alt.NamedData("baris"))
        .mark_text(align="left", baseline="top", dy=-22, fontSize=12, fontWeight="bold")
        .encode(x=alt.value(0), y=y, text="teks:N", color=alt.Color("warna:N", scale=None)),
        alt.Chart(alt.NamedData("titik"))
        .mark_point(size=60, strokeWidth=1.5, opacity=0.85, filled=True)
        .encode(
            x=x,
            y=y,
            yOffset=alt.YOffset("geser:Q", scale=alt.Scale(domain=[-3, 1.3])),
            color=alt.Color("warna:N", scale=None),
            shape=alt.Shape("bentuk:N", scale=None),
            tooltip=["Wilayah:N", "Cakupan:N", "Per:N", "Status:N"],
        ),
    ).properties(width=WIDTH, height=alt.Step(62))
    return titled(chart, data)


# ---------------------------------------------------------------------------------------------
# Home: how many regions met the rule, year by year


def yearly_data(site: Site, locale: str = "id") -> ChartData | None:
    """Per year: regions with a figure that year, and how many of them met the rule in force."""
    by_year = site.verdicts_by_year
    if not by_year:
        return None
    years = range(min(by_year), max(by_year) + 1)
    bars = []
    for year in years:
        figures = by_year.get(year, {})
        met = sum(1 for verdict in figures.values() if verdict == "meets")
        bars.append(
            {
                "tahun": str(year),
                "ada": len(figures),
                "memenuhi": met,
                "teks": f"{angka(met, locale)}/{angka(len(figures), locale)}" if figures else "–",
                "Tahun": str(year),
                "Punya angka": angka(len(figures), locale),
                "Memenuhi aturan": angka(met, locale),
            }
        )
    legend = [
        legend_row(
            0,
            _("Kabupaten/kota dengan angka pada tahun itu"),
            GREY,
            "point",
            shape="square",
            fill="#e9e6df",
        ),
        legend_row(1, _("…yang memenuhi aturan UHC saat itu"), BLUE, "point", shape="square"),
    ]
    sentences = "; ".join(
        _("%(y)s: %(m)s dari %(n)s")
        % {"y": b["tahun"], "m": angka(b["memenuhi"], locale), "n": angka(b["ada"], locale)}
        for b in bars
        if b["ada"]
    )
    return ChartData(
        kind="tahunan",
        name="grafik-per-tahun",
        folder="",
        heading=_("Memenuhi aturan UHC, per tahun"),
        subheading=_("Angka terakhir tiap wilayah dalam tahun itu"),
        title=_("Grafik jumlah kabupaten/kota yang memenuhi aturan UHC per tahun"),
        description=_(
            "Kabupaten/kota yang memenuhi aturan UHC yang berlaku, dari yang punya "
            "angka pada tahun itu: %(s)s."
        )
        % {"s": sentences},
        datasets={"tahun": bars, "legenda": legend},
    )


def yearly_chart(site: Site, locale: str = "id") -> alt.VConcatChart | None:
    data = yearly_data(site, locale)
    return None if data is None else yearly_layout(data)


def yearly_layout(data: ChartData) -> alt.VConcatChart:
    base = alt.Chart(alt.NamedData("tahun"))
    x = alt.X("tahun:O", title=None, axis=alt.Axis(labelAngle=0, labelOverlap="greedy"))
    tooltip = ["Tahun:N", "Punya angka:N", "Memenuhi aturan:N"]
    count = None  # each bar is labelled "met/with figures"; an axis would only repeat it
    bars = alt.layer(
        base.mark_bar(color="#e9e6df", stroke=GREY, strokeWidth=1, width={"band": 0.8}).encode(
            x=x, y=alt.Y("ada:Q", title=_("kabupaten/kota"), axis=count), tooltip=tooltip
        ),
        base.mark_bar(color=BLUE, width={"band": 0.4}).encode(x=x, y="memenuhi:Q", tooltip=tooltip),
        base.mark_text(baseline="bottom", dy=-3, fontSize=12, color=INK).encode(
            x=x, y="ada:Q", text="teks:N"
        ),
    ).properties(width=WIDTH, height=170)
    return titled(alt.vconcat(bars, legend_chart(), spacing=12), data)


# ---------------------------------------------------------------------------------------------
# From chart data to a filled Vega-Lite spec, one template per kind

LAYOUTS: dict[str, Callable[[ChartData], alt.TopLevelMixin]] = {
    "wilayah": region_layout,
    "provinsi": province_layout,
    "sebaran": distribution_layout,
    "tahunan": yearly_layout,
}
_templates: dict[tuple[str, str], str] = {}  # kind, locale → the validated spec as JSON text


def build_chart(data: ChartData) -> alt.TopLevelMixin:
    return LAYOUTS[data.kind](data)


def spec(data: ChartData, locale: str = "id") -> dict[str, Any]:
    """The chart's Vega-Lite spec: the kind's template (validated once) with this chart's data."""
    key = (data.kind, locale)
    if key not in _templates:
        empty = ChartData(data.kind, "", "", "", "", "", "", {})
        template = build_chart(empty).to_dict(validate=True)
        template["usermeta"] = {
            "embedOptions": {
                "formatLocale": format_locale(locale),
                "timeFormatLocale": time_format_locale(locale),
                "actions": False,
            }
        }
        _templates[key] = json.dumps(template, ensure_ascii=False)
    filled = json.loads(_templates[key])  # a fresh copy, much faster than deepcopy
    filled["title"] = {**filled["title"], "text": data.heading, "subtitle": data.subheading}
    filled["datasets"] = data.datasets  # built for this chart alone; never changed afterwards
    return filled
