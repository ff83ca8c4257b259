"""What every chart kind shares: its data record, the page's formats, its legend and frame."""

from __future__ import annotations

import datetime as dt
import functools
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

from babel.dates import format_date

from .. import filters
from ..model import PartialDate, StatusRule, Value
from ..status import Assessment
from .altair_later import alt
from .theme import FONT, INK, NAMES_PER_LINE, WIDTH


@dataclass(frozen=True)
class ChartData:
    """What one chart shows: its data, the words around it, and where its files go."""

    kind: str  # "wilayah", "provinsi", "sebaran", "tahunan" or "peta": picks the layout
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


def legend_chart(width: int = WIDTH) -> alt.LayerChart:
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
        width=width, height=alt.Step(18), view=alt.ViewConfig(strokeWidth=0)
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
