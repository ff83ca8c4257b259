"""vl-convert behind a content-addressed cache: a Vega-Lite spec → SVG and PNG, each chart
shape compiled to Vega once per process (`TEMPLATES`), each process drawing with vl-convert's own
fonts (`bundled_fonts_only`). render.py plans the charts, hands them to worker processes and
writes them beside their pages; this module renders one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from .files import atomic_write
from .safe_svg import halos_under_text, merge_halos, short_numbers

log = logging.getLogger(__name__)

RENDER_VERSION = "5"  # part of every cache key: bump when rendering or post-processing changes
PNG_SCALE = 1.5  # 540 px wide: sharp enough to share, a third cheaper than 2×


TEMPLATES: dict[str, dict[str, Any]] = {}
"""Each chart shape's compiled Vega template, by a digest of the shape (every renderer in the
process shares them: a preview's rebuilds do not compile them again)."""


def engine_version() -> str:
    import vl_convert

    return getattr(vl_convert, "__version__", "unknown")


class Renderer:
    """vl-convert behind a content-addressed cache: key = hash(spec, locales, versions).

    Vega-Lite is compiled to Vega once per chart shape (a spec without its data and title), and
    each chart's data is filled into that Vega spec: compiling is a third of the cost of a chart.
    One Renderer lives in each process that renders (the build's, or each worker's).
    """

    def __init__(
        self,
        cache_dir: Path | None,
        locale: str = "id",
        locales: tuple[dict[str, Any], dict[str, Any]] | None = None,
    ):
        """`locales`: the d3 number and time locales, as charts.format_locale and
        charts.time_format_locale give them (a worker is handed them, not to import charts)."""
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.locale = locale
        if locales is None:
            from . import charts

            locales = charts.format_locale(locale), charts.time_format_locale(locale)
        self.format_locale, self.time_format_locale = locales
        self.templates = TEMPLATES
        self.stats = {"rendered": 0, "cached": 0}

    def key(self, spec: dict[str, Any]) -> str:
        blob = json.dumps(
            {
                "spec": spec,
                "format": self.format_locale,
                "time": self.time_format_locale,
                "engine": engine_version(),
                "png_scale": PNG_SCALE,
                "version": RENDER_VERSION,
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def vega(self, spec: dict[str, Any]) -> dict[str, Any]:
        """The Vega spec of a Vega-Lite spec: its shape's compiled template with its data."""
        import vl_convert

        title = spec.get("title") or {}
        shape = {k: v for k, v in spec.items() if k not in ("datasets", "title")}
        shape["title"] = {k: v for k, v in title.items() if k not in ("text", "subtitle")}
        name = hashlib.sha256(json.dumps(shape, sort_keys=True).encode("utf-8")).hexdigest()
        if name not in self.templates:
            empty = {**spec, "datasets": {k: [] for k in spec.get("datasets", {})}}
            self.templates[name] = merge_halos(vl_convert.vegalite_to_vega(empty))
        filled = dict(self.templates[name])
        datasets = spec.get("datasets", {})
        filled["data"] = [
            {**entry, "values": datasets[entry["name"]]} if entry.get("name") in datasets else entry
            for entry in filled["data"]
        ]
        if "title" in filled:
            filled["title"] = {
                **filled["title"],
                **{k: title[k] for k in ("text", "subtitle") if k in title},
            }
        return filled

    def obtain(self, spec: dict[str, Any]) -> tuple[str, bytes]:
        """(raw SVG, PNG) of one spec: from the cache, or rendered and then cached."""
        key = self.key(spec)
        cached = self.load(key)
        if cached:
            self.stats["cached"] += 1
            return cached
        self.stats["rendered"] += 1
        job = (
            json.dumps(self.vega(spec), ensure_ascii=False),
            self.format_locale,
            self.time_format_locale,
        )
        svg, png = render_job(job)
        self.store(key, svg, png)
        return svg, png

    def render_all(self, specs: list[dict[str, Any]]) -> list[tuple[str, bytes]]:
        """(raw SVG, PNG) for each spec, from the cache where possible."""
        return [self.obtain(spec) for spec in specs]

    def cache_file(self, key: str, suffix: str) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / key[:2] / f"{key}{suffix}"

    def load(self, key: str) -> tuple[str, bytes] | None:
        if self.cache_dir is None:
            return None
        svg_file, png_file = self.cache_file(key, ".svg"), self.cache_file(key, ".png")
        try:
            return svg_file.read_text(encoding="utf-8"), png_file.read_bytes()
        except OSError:
            return None

    def store(self, key: str, svg: str, png: bytes) -> None:
        if self.cache_dir is None:
            return
        atomic_write(self.cache_file(key, ".svg"), svg.encode("utf-8"))
        atomic_write(self.cache_file(key, ".png"), png)

    def bundle(self) -> bytes:
        """vl-convert's Vega + Vega-Lite + Vega-Embed bundle, cached per engine version."""
        import vl_convert

        name = f"vega-bundle-{engine_version()}.js"
        if self.cache_dir is not None and (self.cache_dir / name).is_file():
            return (self.cache_dir / name).read_bytes()
        script = vl_convert.javascript_bundle().encode("utf-8")
        if self.cache_dir is not None:
            atomic_write(self.cache_dir / name, script)
        return script


NO_SYSTEM_FONTS = Path(__file__).with_name("no-system-fonts.conf")
FONT_PROBE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    '<text y="15" font-family="Liberation Sans" font-size="12">Aa ≈</text></svg>'
)
_fonts_pinned = False


def bundled_fonts_only() -> None:
    """Make this process's vl-convert draw with the fonts it bundles, never the system's.

    vl-convert loads its font database once per process, with the system's fonts beside its own
    Liberation Sans. Where the system has Liberation Sans too, every text measurement and every
    PNG opened and mapped the system's font file again (about 3,000 times a chart, half of a
    chart's CPU time in the kernel), and the PNG depended on the font version installed. While
    the database loads, FONTCONFIG_FILE names a font folder that does not exist; the variable is
    restored at once, so nothing else this process starts (a browser in the tests) is affected.
    """
    global _fonts_pinned
    if _fonts_pinned:
        return
    import vl_convert

    before = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(NO_SYSTEM_FONTS)
    try:
        vl_convert.svg_to_png(FONT_PROBE)  # the renderer's font database
        vl_convert.vega_to_svg(  # the one Vega measures text with
            {"marks": [{"type": "text", "encode": {"enter": {"text": {"value": "Aa ≈"}}}}]}
        )
    finally:
        if before is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = before
    _fonts_pinned = True


def render_job(job: tuple[str, dict, dict]) -> tuple[str, bytes]:
    """Render one Vega spec to SVG and PNG."""
    import vl_convert

    bundled_fonts_only()
    spec, format_locale, time_format_locale = job
    svg = vl_convert.vega_to_svg(
        spec,
        allowed_base_urls=[],  # a spec may not fetch anything, from anywhere
        format_locale=format_locale,
        time_format_locale=time_format_locale,
    )
    svg = short_numbers(halos_under_text(svg))
    return svg, vl_convert.svg_to_png(svg, scale=PNG_SCALE)
