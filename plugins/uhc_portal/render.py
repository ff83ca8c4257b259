"""Charts → files: each spec rendered once by vl-convert, cached on disk by a hash of the spec.

For every chart the build writes, next to its page, `<name>.svg`, `<name>.png` and the Vega-Lite
`<name>.json`, and hands the page an inline SVG that has been checked (`safe_svg`: well-formed,
SVG elements only, no script, no link to anything outside itself) and made accessible
(`role="img"`, `<title>`, `<desc>`). Same input, same bytes: vl-convert's output is deterministic
once the ids inside the SVG are renumbered per chart, and nothing carries a clock.

Cost: the vl-convert engine warms once per process (about a second). Vega-Lite is compiled to
Vega once per kind of chart and each chart's data is filled in. Charts whose spec hash is in the
cache (SVG and PNG, `UHC_CHART_CACHE`) are not rendered again. A rendered chart costs about
0.1 s of one core (half SVG, half PNG; see bundled_fonts_only), so charts are rendered by one
worker process per core while the build writes pages (`ChartPipeline`); a page waits only for
its own chart. Charts are handed out a few at a time ahead of the pages and pages read their SVG
back from its file, so memory stays flat with the number of regions.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import functools
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from . import urls
from .files import atomic_write, write_new
from .processes import spawn_pool, usable_cores
from .safe_svg import UnsafeSvg, finish_svg, halos_under_text, merge_halos, short_numbers

if TYPE_CHECKING:  # workers import this module without Altair, pandas or Pelican
    from .charts import ChartData
    from .views import Site

log = logging.getLogger(__name__)

RENDER_VERSION = "5"  # part of every cache key: bump when rendering or post-processing changes
PNG_SCALE = 1.5  # 540 px wide: sharp enough to share, a third cheaper than 2×
PARALLEL_FROM = 16  # fewer charts than this are rendered in-process: a pool costs ~2 s to warm
BUNDLE_PATH = urls.vega_bundle()


ChartMaker = Callable[[], "ChartData | None"]  # a chart's data, or None: its page has no chart


@dataclass(frozen=True)
class RenderedChart:
    """A chart for a page: its inline SVG and where its downloads are.

    The chart may still be rendering in a worker when the page is built: `svg` waits for it,
    then reads back the .svg file written next to the page (so that 5,000 charts are not all
    held in memory), checking that it is byte for byte the SVG that was checked.
    """

    data: ChartData
    file: Path
    pipeline: ChartPipeline = field(repr=False, compare=False)
    index: int = field(compare=False)

    @property
    def svg(self) -> Markup:
        self.pipeline.wait(self.index)
        svg = self.file.read_bytes()
        # finish_svg checked this SVG when it was written; the hash proves it is still that one
        if hashlib.sha256(svg).hexdigest() != self.pipeline.digests[self.index]:
            raise UnsafeSvg(f"{self.file} changed after it was checked")
        return Markup(svg.decode("utf-8"))

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

    regions: LazyCharts
    provinces: LazyCharts
    home: list[RenderedChart]
    pipeline: ChartPipeline = field(repr=False)
    province_series: LazyCharts | None = None
    """Each province's own figures over time: `uhc_charts.province_series.get(code)`."""


# ---------------------------------------------------------------------------------------------
# Rendering with a cache


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


def chart_makers(site: Site, locale: str = "id") -> list[tuple[str, str, ChartMaker]]:
    """Every chart the site may have, in the order its pages are written: ("home", "", make),
    then ("provinces", code, make) with ("province_series", code, make), and ("regions", code,
    make). `make()` gives the chart's data, or None when its page has none to show."""
    from . import charts

    dataset = site.dataset
    return [
        ("home", "", functools.partial(charts.tile_data, site, locale)),
        ("home", "", functools.partial(charts.distribution_data, site, locale)),
        ("home", "", functools.partial(charts.yearly_data, site, locale)),
        ("home", "", functools.partial(charts.national_data, site.national, dataset, locale)),
        *(
            chart
            for code, page in site.provinces.items()
            for chart in (
                ("provinces", code, functools.partial(charts.province_data, page, dataset, locale)),
                (
                    "province_series",
                    code,
                    functools.partial(charts.province_series_data, page, dataset, locale),
                ),
            )
        ),
        *(
            ("regions", code, functools.partial(charts.region_data, page, dataset, locale))
            for code, page in site.regions.items()
        ),
    ]


@dataclass(frozen=True)
class ChartTask:
    """All a worker needs for one chart: its spec, its words, and where its files go."""

    spec: dict[str, Any]
    base: str  # output path without extension: <output>/wilayah/73.13/grafik-73.13
    html_id: str
    title: str
    description: str


TEMPLATES: dict[str, dict[str, Any]] = {}
"""Each chart shape's compiled Vega template, by a digest of the shape (every renderer in the
process shares them: a preview's rebuilds do not compile them again)."""

_worker: Renderer | None = None  # one per worker process, with its compiled templates


def start_worker(
    cache_dir: Path | None, locale: str, locales: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    global _worker
    _worker = Renderer(cache_dir, locale, locales)


def write_bundle(path: str) -> None:
    """In a worker: the interactive page's script (taking it from vl-convert costs ~3 s cold)."""
    assert _worker is not None, "start_worker runs first"
    write_new(Path(path), _worker.bundle())


def run_task(task: ChartTask) -> tuple[int, int, str]:
    """In a worker: the chart from the cache or rendered, its three files written.

    Returns the worker's counts of charts (rendered, cached) for this task, for the build log,
    and the SHA-256 of the checked SVG it wrote.
    """
    assert _worker is not None, "start_worker runs first"
    before = dict(_worker.stats)
    raw, png = _worker.obtain(task.spec)
    digest = write_chart(task, raw, png)
    return (
        _worker.stats["rendered"] - before["rendered"],
        _worker.stats["cached"] - before["cached"],
        digest,
    )


class ChartPipeline:
    """Charts made and rendered while the build writes pages, each page waiting for its own.

    Each chart is planned as a function that makes its data; the data is made (in page order)
    only when a page asks for the chart or shortly before, handed to a worker process, and then
    dropped, so memory stays flat with the number of regions (the data of all charts of the 10x
    synthetic set would take about 400 MB). One vl-convert engine keeps about one core busy, so
    there is a worker per usable core; the build's own process writes pages meanwhile, at most
    AHEAD charts per worker behind the workers. Small sites (fewer than PARALLEL_FROM charts)
    and one-core machines render in-process, when the page asks.
    """

    def __init__(self, renderer: Renderer, output: Path, locale: str, workers: int | None = None):
        self.renderer = renderer
        self.output = output
        self.locale = locale
        self.workers = usable_cores() if workers is None else workers
        self.makers: list[ChartMaker | None] = []
        self.charts: list[RenderedChart | None] = []  # as far as handed out; None: no chart
        self.pending: dict[int, ChartTask] = {}  # in-process: made, not yet rendered
        self.futures: dict[int, concurrent.futures.Future] = {}
        self.done: set[int] = set()
        self.digests: dict[int, str] = {}  # SHA-256 of each chart's checked SVG
        self.stats = {"rendered": 0, "cached": 0}
        self.pool: concurrent.futures.ProcessPoolExecutor | None = None
        self.parallel = False
        self.bundle: concurrent.futures.Future | None = None
        self.submitted = 0  # charts given to the workers (counted by the build's thread)
        self.finished = 0  # of those, done (counted by the pool's thread)

    def plan(self, maker: ChartMaker) -> int:
        """Plan a chart; `maker` makes its data later, or says there is no chart (None)."""
        self.makers.append(maker)
        return len(self.makers) - 1

    def add(self, data: ChartData) -> int:
        return self.plan(lambda: data)

    def start(self, expected: int | None = None, bundle: bool = True) -> None:
        """Start the workers if there are enough charts (`expected`: about how many will exist,
        where most planned ones may have no data) and cores; hand out the first charts. With
        `bundle`, also write the interactive chart page's script."""
        count = len(self.makers) if expected is None else expected
        if count >= PARALLEL_FROM and self.workers > 1:
            self.pool = spawn_pool(
                self.workers,
                initializer=start_worker,
                initargs=(
                    self.renderer.cache_dir,
                    self.locale,
                    (self.renderer.format_locale, self.renderer.time_format_locale),
                ),
            )
            self.parallel = True
            if bundle:
                self.bundle = self.pool.submit(write_bundle, str(self.output / BUNDLE_PATH))
            self.hand_out(AHEAD * self.workers)
        elif bundle:
            write_new(self.output / BUNDLE_PATH, self.renderer.bundle())

    def hand_out(self, upto: int) -> None:
        """Make the charts up to `upto` (exclusive) and give them to the workers."""
        while len(self.charts) < min(upto, len(self.makers)):
            index = len(self.charts)
            maker, self.makers[index] = self.makers[index], None
            assert maker is not None
            from . import charts

            data = maker()
            if data is None:
                self.charts.append(None)
                self.done.add(index)
                continue
            task = ChartTask(
                charts.spec(data, self.locale),
                str(self.output / data.path),
                data.html_id,
                data.title,
                data.description,
            )
            light = dataclasses.replace(data, datasets={})  # pages need the words, not the data
            self.charts.append(RenderedChart(light, Path(f"{task.base}.svg"), self, index))
            if self.pool is not None:
                self.futures[index] = self.pool.submit(run_task, task)
                self.submitted += 1
                self.futures[index].add_done_callback(self.count_finished)
            else:
                self.pending[index] = task

    def count_finished(self, _future: concurrent.futures.Future) -> None:
        self.finished += 1

    def keep_busy(self) -> None:
        """Hand out charts so that each worker has a few queued: called between pages that have
        no chart (forum pages, downloads), so the workers render meanwhile instead of waiting
        for the region pages to ask. Each call costs a subtraction when enough are queued."""
        if self.pool is None:
            return
        queued = self.submitted - self.finished
        if queued < AHEAD * self.workers:
            self.hand_out(len(self.charts) + AHEAD * self.workers - queued)

    def chart(self, index: int) -> RenderedChart | None:
        """The chart for a page (None: this page has no chart); it may still be rendering."""
        self.hand_out(index + 1 + (AHEAD * self.workers if self.pool is not None else 0))
        return self.charts[index]

    def wait(self, index: int) -> None:
        """Return once chart `index` is written; a worker's error is raised here."""
        self.hand_out(index + 1 + (AHEAD * self.workers if self.pool is not None else 0))
        if index in self.done:  # written already, or no chart at all
            return
        if self.pool is None:
            task = self.pending.pop(index)
            before = dict(self.renderer.stats)
            raw, png = self.renderer.obtain(task.spec)
            self.digests[index] = write_chart(task, raw, png)
            for name in self.stats:
                self.stats[name] += self.renderer.stats[name] - before[name]
        else:
            rendered, cached, self.digests[index] = self.futures.pop(index).result()
            self.stats["rendered"] += rendered
            self.stats["cached"] += cached
        self.done.add(index)

    def finish(self) -> None:
        """Every chart written, including any no page asked for; then the workers stop."""
        try:
            for index in range(len(self.makers)):
                self.wait(index)
            if self.bundle is not None:
                self.bundle.result()
        finally:
            self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    @property
    def count(self) -> int:
        return sum(chart is not None for chart in self.charts)


class LazyCharts:
    """Region code → its chart, made when its page asks: `uhc_charts.regions.get(code)`."""

    def __init__(self, pipeline: ChartPipeline):
        self.pipeline = pipeline
        self.indexes: dict[str, int] = {}

    def plan(self, code: str, maker: ChartMaker) -> None:
        self.indexes[code] = self.pipeline.plan(maker)

    def get(self, code: str) -> RenderedChart | None:
        index = self.indexes.get(code)
        return None if index is None else self.pipeline.chart(index)


AHEAD = 16  # charts handed to each worker beyond the one a page waits for


def render_charts(
    site: Site,
    settings: dict[str, Any],
    output_path: str | Path,
    wanted: Callable[[str, str], bool] = lambda group, code: True,
    first: Iterable[str] = (),
) -> ChartSet:
    """Plan every chart and start rendering them; pages wait for theirs (see ChartPipeline).

    `wanted(group, code)` says which charts this build writes ("home" with code "" for the
    national ones and the interactive page's script); the others' pages were taken unchanged
    from the last build. The caller must call `finish_charts` once all pages are written.
    """
    from .settings import run_language

    locale = run_language(settings)
    renderer = Renderer(cache_dir_for(settings), locale)
    output = Path(output_path)
    workers = settings.get("UHC_CHART_WORKERS")  # checked by check_settings; None: one a core
    pipeline = ChartPipeline(renderer, output, locale, workers)
    # a region's chart data is made up to AHEAD charts per worker before its page: keep its
    # history until the page has read it too
    site.histories.keep = max(site.histories.keep, AHEAD * pipeline.workers + 16)
    home: list[int] = []
    provinces, regions = LazyCharts(pipeline), LazyCharts(pipeline)
    province_series = LazyCharts(pipeline)
    lazy = {"provinces": provinces, "province_series": province_series, "regions": regions}
    makers = chart_makers(site, locale)
    ahead = set(first)  # regions whose charts are planned (and so made) before all others
    makers.sort(key=lambda m: not (m[0] == "regions" and m[1] in ahead))  # stable
    for group, code, make in makers:
        if not wanted(group, code):
            continue
        if group == "home":
            home.append(pipeline.plan(make))
        else:
            lazy[group].plan(code, make)
    # a region or province without figures has no chart: a small site needs no workers
    national = wanted("home", "")
    expected = (
        3 * national
        + (national and site.national is not None)
        + sum(code in site.latest for code in regions.indexes)
        + sum(code in site.latest for code in province_series.indexes)
    )
    pipeline.start(expected, bundle=national)
    return ChartSet(
        home=[chart for index in home if (chart := pipeline.chart(index))],
        provinces=provinces,
        regions=regions,
        pipeline=pipeline,
        province_series=province_series,
    )


def finish_charts(chart_set: ChartSet, started: float) -> None:
    pipeline = chart_set.pipeline
    pipeline.finish()
    log.info(
        "uhc_portal: %d charts (%d rendered, %d from the cache, %s) in %.1f s",
        pipeline.count,
        pipeline.stats["rendered"],
        pipeline.stats["cached"],
        f"{pipeline.workers} workers" if pipeline.parallel else "in-process",
        time.perf_counter() - started,
    )


def write_chart(task: ChartTask, raw: str, png: bytes) -> str:
    """The chart's three downloads next to its page; the .svg is also what the page inlines.

    Returns the SHA-256 of the checked SVG, by which the page knows it when reading it back.
    """
    svg = str(finish_svg(raw, task)).encode("utf-8")
    base = Path(task.base)
    write_new(Path(f"{base}.svg"), svg)
    write_new(Path(f"{base}.png"), png)
    # compact: with indent, json falls back to its slow pure-Python encoder
    spec = json.dumps(task.spec, ensure_ascii=False) + "\n"
    write_new(Path(f"{base}.json"), spec.encode("utf-8"))
    return hashlib.sha256(svg).hexdigest()
