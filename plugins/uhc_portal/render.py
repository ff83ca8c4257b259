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
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from . import urls
from .files import write_new
from .processes import spawn_pool, usable_cores
from .renderer import Renderer
from .safe_svg import UnsafeSvg, finish_svg

if TYPE_CHECKING:  # workers import this module without Altair, pandas or Pelican
    from .charts import ChartData
    from .views import Site

log = logging.getLogger(__name__)

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
                charts.spec(data, self.locale, self.renderer.cache_dir),
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
