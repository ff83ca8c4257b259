"""Charts → files: each spec rendered once by vl-convert, cached on disk by a hash of the spec.

For every chart the build writes, next to its page, `<name>.svg`, `<name>.png` and the Vega-Lite
`<name>.json`, and hands the page an inline SVG that has been checked (well-formed, SVG elements
only, no script, no link to anything outside itself) and made accessible (`role="img"`,
`<title>`, `<desc>`). Same input, same bytes: vl-convert's output is deterministic once the ids
inside the SVG are renumbered per chart, and nothing carries a clock.

Cost: the vl-convert engine warms once per process (about a second); charts whose spec hash is
in the cache are not rendered again; many misses are rendered by a pool of processes, one
engine each, because one engine renders one chart at a time.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from . import charts
from .charts import ChartData
from .views import Site

RENDER_VERSION = "1"  # part of every cache key: bump when rendering or post-processing changes
PNG_SCALE = 2
PARALLEL_FROM = 16  # fewer misses than this are rendered in-process: a pool costs ~1 s to warm
BUNDLE_PATH = "grafik/vega-bundle.js"

SVG_NS = "http://www.w3.org/2000/svg"
ALLOWED_ELEMENTS = {
    "svg",
    "g",
    "path",
    "rect",
    "line",
    "circle",
    "ellipse",
    "polygon",
    "polyline",
    "text",
    "tspan",
    "title",
    "desc",
    "defs",
    "clipPath",
    "linearGradient",
    "radialGradient",
    "stop",
}


class UnsafeSvg(ValueError):
    """The renderer's SVG is not what we are willing to inline into a page."""


@dataclass(frozen=True)
class RenderedChart:
    """A chart ready for a page: the inline SVG and where its downloads are."""

    data: ChartData
    svg: Markup

    @property
    def path(self) -> str:
        return self.data.path

    @property
    def html_id(self) -> str:
        return self.data.html_id

    @property
    def title(self) -> str:
        return self.data.title

    @property
    def description(self) -> str:
        return self.data.description


@dataclass
class ChartSet:
    """All charts of a build, for the templates: `uhc_charts.regions.get(code)` and so on."""

    regions: dict[str, RenderedChart] = field(default_factory=dict)
    provinces: dict[str, RenderedChart] = field(default_factory=dict)
    home: list[RenderedChart] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Rendering with a cache


def engine_version() -> str:
    import vl_convert

    return getattr(vl_convert, "__version__", "unknown")


class Renderer:
    """vl-convert behind a content-addressed cache: key = hash(spec, locales, versions)."""

    def __init__(self, cache_dir: Path | None, locale: str = "id", workers: int | None = None):
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.locale = locale
        self.format_locale = charts.format_locale(locale)
        self.time_format_locale = charts.time_format_locale(locale)
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.memory: dict[str, tuple[str, bytes]] = {}
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

    def render_all(self, specs: list[dict[str, Any]]) -> list[tuple[str, bytes]]:
        """(raw SVG, PNG) for each spec, from the cache where possible."""
        keys = [self.key(spec) for spec in specs]
        missing: dict[str, dict[str, Any]] = {}
        for key, spec in zip(keys, specs, strict=True):
            if key not in self.memory and not self.load(key):
                missing.setdefault(key, spec)
        self.stats["cached"] += len(keys) - len(missing)
        self.stats["rendered"] += len(missing)
        jobs = [
            (json.dumps(spec, ensure_ascii=False), self.format_locale, self.time_format_locale)
            for spec in missing.values()
        ]
        if len(jobs) >= PARALLEL_FROM and self.workers > 1:
            context = multiprocessing.get_context("spawn")  # never fork a running JS engine
            with concurrent.futures.ProcessPoolExecutor(self.workers, mp_context=context) as pool:
                results = list(pool.map(render_job, jobs, chunksize=4))
        else:
            results = [render_job(job) for job in jobs]
        for key, result in zip(missing, results, strict=True):
            self.memory[key] = result
            self.store(key, *result)
        return [self.memory[key] for key in keys]

    def cache_file(self, key: str, suffix: str) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / key[:2] / f"{key}{suffix}"

    def load(self, key: str) -> bool:
        if self.cache_dir is None:
            return False
        svg_file, png_file = self.cache_file(key, ".svg"), self.cache_file(key, ".png")
        try:
            self.memory[key] = (svg_file.read_text(encoding="utf-8"), png_file.read_bytes())
        except OSError:
            return False
        return True

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


def render_job(job: tuple[str, dict, dict]) -> tuple[str, bytes]:
    """Render one spec to SVG and PNG; top-level so that worker processes can run it."""
    import vl_convert

    spec, format_locale, time_format_locale = job
    svg = vl_convert.vegalite_to_svg(
        spec,
        allowed_base_urls=[],  # a spec may not fetch anything, from anywhere
        format_locale=format_locale,
        time_format_locale=time_format_locale,
    )
    png = vl_convert.svg_to_png(svg, scale=PNG_SCALE)
    return svg, png


def atomic_write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------------------------
# From the renderer's SVG to an SVG a page can inline


def renumber_ids(svg: str, prefix: str) -> str:
    """Ids in the order they appear, prefixed per chart: two charts on one page never clash."""
    names: dict[str, str] = {}
    for found in re.findall(r'\sid="([^"]+)"', svg):
        names.setdefault(found, f"{prefix}-{len(names) + 1}")
    if not names:
        return svg

    def swap(match: re.Match) -> str:
        return match.group(1) + names.get(match.group(2), match.group(2)) + match.group(3)

    return re.sub(r'(\sid="|url\(#|href="#)([^")]+)([")])', swap, svg)


def check_svg(svg: str) -> None:
    """Refuse anything but plain, self-contained SVG drawing: no script, no events, no links.

    vl-convert escapes the data strings it draws (a region named '<script>' becomes
    '&lt;script&gt;'); this check makes that a verified fact before the SVG is marked safe.
    """
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        raise UnsafeSvg(f"not well-formed XML: {exc}") from None
    for element in root.iter():
        namespace, _, tag = element.tag.rpartition("}")
        if namespace != "{" + SVG_NS or tag not in ALLOWED_ELEMENTS:
            raise UnsafeSvg(f"element <{tag}> is not allowed in a chart")
        for name, value in element.attrib.items():
            local = name.rpartition("}")[2].lower()
            if local.startswith("on"):
                raise UnsafeSvg(f"event attribute {local!r} is not allowed")
            if local in ("href", "src") and not value.startswith("#"):
                raise UnsafeSvg(f"{local}={value!r}: a chart may only refer to itself")
            lowered = value.lower()
            if "javascript:" in lowered or "expression(" in lowered or "@import" in lowered:
                raise UnsafeSvg(f"attribute {local} holds a script or an import")
            if any(not re.match(r"#[\w.-]+\)", ref) for ref in lowered.split("url(")[1:]):
                raise UnsafeSvg(f"attribute {local}={value!r} refers outside the chart")


def accessible(svg: str, html_id: str, title: str, description: str) -> str:
    """role="img" with <title> and <desc> named by aria-labelledby, as the first children."""
    match = re.match(r"\s*<svg\b([^>]*)>", svg)
    if not match:
        raise UnsafeSvg("the renderer's output does not start with <svg>")
    attributes = re.sub(r'\s(role|aria-[a-z]+|id)="[^"]*"', "", match.group(1))
    head = (
        f'<svg{attributes} id="{html_id}-svg" role="img" '
        f'aria-labelledby="{html_id}-title {html_id}-desc">'
        f'<title id="{html_id}-title">{escape(title)}</title>'
        f'<desc id="{html_id}-desc">{escape(description)}</desc>'
    )
    return head + svg[match.end() :]


def finish_svg(raw: str, data: ChartData) -> Markup:
    svg = accessible(renumber_ids(raw, data.html_id), data.html_id, data.title, data.description)
    check_svg(svg)
    return Markup(svg)  # checked just above


# ---------------------------------------------------------------------------------------------
# The build step


def cache_dir_for(settings: dict[str, Any]) -> Path | None:
    """UHC_CHART_CACHE, or `.cache/charts` beside the settings file; False/'' for no cache."""
    value = settings.get("UHC_CHART_CACHE")
    if value is False or value == "":
        return None
    if value:
        return Path(value)
    return Path(settings["PATH"]).parent / ".cache" / "charts"


def chart_data(
    site: Site, locale: str = "id"
) -> tuple[dict[str, ChartData], dict[str, ChartData], list[ChartData]]:
    dataset = site.dataset
    regions = {
        code: d
        for code, page in site.regions.items()
        if (d := charts.region_data(page, dataset, locale))
    }
    provinces = {
        code: d
        for code, page in site.provinces.items()
        if (d := charts.province_data(page, dataset, locale))
    }
    home = [
        d for d in (charts.distribution_data(site, locale), charts.yearly_data(site, locale)) if d
    ]
    return regions, provinces, home


def render_charts(
    site: Site, settings: dict[str, Any], output_path: str | Path, renderer: Renderer | None = None
) -> ChartSet:
    """Render every chart, write its .svg/.png/.json next to its page, return them for pages."""
    locale = settings.get("UHC_LANGUAGE", "id")
    renderer = renderer or Renderer(cache_dir_for(settings), locale)
    regions, provinces, home = chart_data(site, locale)
    everything = [*regions.values(), *provinces.values(), *home]
    specs = [charts.spec(data, locale) for data in everything]
    results = renderer.render_all(specs)
    output = Path(output_path)
    finished: dict[int, RenderedChart] = {}
    for data, spec, (raw, png) in zip(everything, specs, results, strict=True):
        svg = finish_svg(raw, data)
        base = output / data.path
        base.parent.mkdir(parents=True, exist_ok=True)
        Path(f"{base}.svg").write_text(str(svg), encoding="utf-8")
        Path(f"{base}.png").write_bytes(png)
        Path(f"{base}.json").write_text(
            json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        finished[id(data)] = RenderedChart(data, svg)
    bundle = output / BUNDLE_PATH
    bundle.parent.mkdir(parents=True, exist_ok=True)
    bundle.write_bytes(renderer.bundle())
    return ChartSet(
        regions={code: finished[id(d)] for code, d in regions.items()},
        provinces={code: finished[id(d)] for code, d in provinces.items()},
        home=[finished[id(d)] for d in home],
        stats=dict(renderer.stats),
    )
