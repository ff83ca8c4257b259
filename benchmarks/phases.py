"""Where a build's time goes, without a profiler's overhead: timers around the build's phases.

    PYTHONPATH=plugins python -m benchmarks.phases <project>/pelicanconf.py [--output DIR]

A sampling profiler (pyinstrument) slows small, frequent Python calls far more than C code, so
its tree overstates Jinja macros and Babel formatting. This wraps the generator's phases with
wall and CPU timers instead, in one process, and prints one line per phase. Build the project
once before (e.g. `python -m benchmarks.run --keep`) to time a warm build.
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

TIMES: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0, 0.0])


def rss_mb() -> float:
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def timed(name: str | Any, function: Any) -> Any:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        label = name(*args, **kwargs) if callable(name) else name
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            entry = TIMES[label]
            entry[0] += time.perf_counter() - wall
            entry[1] += time.process_time() - cpu
            entry[2] += 1
            entry[3] = max(entry[3], rss_mb())

    return wrapper


def instrument() -> None:
    from uhc_portal import figure_downloads, generator, render, session

    kept = session.BuildSession
    kept.dataset = timed("load and validate data/", kept.dataset)
    kept.pages = timed("derive (status, page objects)", kept.pages)
    generator.render_charts = timed("charts: plan, start workers", generator.render_charts)
    generator.finish_charts = timed(
        "charts: wait for the last, stop workers", generator.finish_charts
    )
    render.ChartPipeline.wait = timed(
        "charts: pages waiting for theirs (inside the pages' rows)", render.ChartPipeline.wait
    )
    cls = generator.UhcGenerator
    cls.page = timed(lambda self, writer, template, *a, **k: f"pages: {template}", cls.page)
    figure_downloads.FigureDownloads.upto = timed(
        "downloads: figures (inside the region pages' rows)", figure_downloads.FigureDownloads.upto
    )
    cls.write_summary_downloads = timed(
        "downloads: latest figures, provinces", cls.write_summary_downloads
    )
    cls.write_feed = timed("Atom feed", cls.write_feed)
    cls.write_reuse = timed("downloads: reference tables, data package, feeds", cls.write_reuse)
    figure_downloads.FigureDownloads.__exit__ = timed(
        "downloads: the rest, national files closed", figure_downloads.FigureDownloads.__exit__
    )
    build_phases()


def build_phases() -> None:
    """The build's own steps around the language runs."""
    from uhc_portal import build, incremental, search_index

    search = search_index.SearchIndex
    search.add = timed("search index: records, Pagefind started", search.add)
    search.finish = timed("search index: waiting for Pagefind", search.finish)
    build.write_site_index = timed("sitemap", build.write_site_index)
    build.swap_into_place = timed("swap into place", build.swap_into_place)
    build.remove_stale = timed("remove stale folders", build.remove_stale)
    if hasattr(build, "remove_later"):
        build.remove_later = timed("previous site set aside", build.remove_later)
    build.output_files = timed("manifest: stat every file", build.output_files)
    build.DataDigests.of = timed("digest data/", build.DataDigests.of)
    build.code_key = timed("digest code, theme, settings", build.code_key)
    incremental.RunReuse.link = timed("link unchanged page groups", incremental.RunReuse.link)
    build.link_files = timed("link the whole previous site", build.link_files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.phases")
    parser.add_argument("settings", type=Path)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    output = args.output or args.settings.parent / "output"

    from uhc_portal.build import build_site

    instrument()
    wall, cpu = time.perf_counter(), time.process_time()
    build_site(args.settings, output)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    from uhc_portal import build

    if hasattr(build, "wait_for_removals"):
        after = time.perf_counter()
        build.wait_for_removals()
        print(f"previous site removed {time.perf_counter() - after:.1f} s after the build returned")
    print(
        "| phase | calls | wall s | CPU s | share of wall | RSS after, MB |\n"
        "|---|---:|---:|---:|---:|---:|"
    )
    for label, (w, c, n, rss) in sorted(TIMES.items(), key=lambda item: -item[1][0]):
        print(f"| {label} | {n} | {w:.1f} | {c:.1f} | {100 * w / wall:.0f} % | {rss:.0f} |")
    rest = wall - sum(entry[0] for label, entry in TIMES.items() if "inside" not in label)
    print(
        f"| everything else (Pelican, settings, swap into place) | | {rest:.1f} | | "
        f"{100 * rest / wall:.0f} % | |"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"| **whole build** (CPU: this process only) | | {wall:.1f} | {cpu:.1f} | | "
        f"peak {peak:.0f} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
