"""From chart data to a filled Vega-Lite spec, one template per kind, validated once.

A template is made with Altair and validated against the Vega-Lite schema once per process and
kept on disk beside the chart cache, under the running code's key (`incremental.running_code`:
this package's files and every installed package's version): a new build process reads it
instead of making it again, which cost more than a second for a build's eight templates.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .altair_later import alt
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


def make_template(kind: str, locale: str) -> str:
    """The kind's spec without data or title, validated, as JSON text."""
    empty = ChartData(kind, "", "", "", "", "", "", {})
    template = build_chart(empty).to_dict(validate=True)
    template["usermeta"] = {
        "embedOptions": {
            "formatLocale": format_locale(locale),
            "timeFormatLocale": time_format_locale(locale),
            "actions": False,
        }
    }
    return json.dumps(template, ensure_ascii=False)


def template(kind: str, locale: str, cache_dir: Path | None = None) -> str:
    """The kind's template in `locale`: made once per process, and read from `cache_dir` (the
    chart cache) when an earlier process of the same code made it."""
    key = (kind, locale)
    if key in _templates:
        return _templates[key]
    from ..files import kept
    from ..incremental import running_code

    file = None
    if cache_dir is not None:
        file = cache_dir / "templates" / f"chart-{kind}-{locale}-{running_code()[:20]}.json"

    def made() -> bytes:
        if file is not None:
            for older in file.parent.glob(f"chart-{kind}-{locale}-*.json"):
                older.unlink(missing_ok=True)  # another code's
        return make_template(kind, locale).encode("utf-8")

    text = kept(file, made).decode("utf-8")
    _templates[key] = text
    return text


def spec(data: ChartData, locale: str = "id", cache_dir: Path | None = None) -> dict[str, Any]:
    """The chart's Vega-Lite spec: the kind's template (validated once) with this chart's data;
    `cache_dir`: the chart cache, where templates are kept between processes."""
    # A fresh copy, much faster than deepcopy.
    filled = json.loads(template(data.kind, locale, cache_dir))
    filled["title"] = {**filled["title"], "text": data.heading, "subtitle": data.subheading}
    filled["datasets"] = data.datasets  # built for this chart alone; never changed afterwards
    return filled
