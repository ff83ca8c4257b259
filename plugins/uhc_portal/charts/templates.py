"""From chart data to a filled Vega-Lite spec, one template per kind, validated once."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import altair as alt

from .by_year import yearly_layout
from .common import ChartData
from .distribution import distribution_layout
from .locales import format_locale, time_format_locale
from .province import province_layout
from .region_layers import region_layout
from .tiles import tile_layout

LAYOUTS: dict[str, Callable[[ChartData], alt.TopLevelMixin]] = {
    "wilayah": region_layout,
    "provinsi": province_layout,
    "sebaran": distribution_layout,
    "tahunan": yearly_layout,
    "peta": tile_layout,
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
