"""`make bench`: a synthetic national site built cold, warm and after one change, against a
plain Pelican site and Hugo's build of the same pages, and the preview server's delay.

Everything happens in a temporary folder (never in data/). The default run is the 1× part:
a synthetic 1× dataset (38 provinces, 514 regencies, 120 monthly figures each, 2,000 forums,
corrections), built

  cold        empty caches, no output folder
  warm        again, nothing changed
  one_change  after raising one region's newest participants in place

then the figure diff (`python -m uhc_portal diff`) of that one change against the generated data
as committed to git, with the correction entry it needs, and `python -m uhc_portal import
--dry-run` of an office's XLSX of every regency; then

  preview     `python -m uhc_portal serve` started on the project; three rows of three other
              regions edited in place while it runs, each timed from the file written to the
              region's page on disk changed (the median is preview_s)
  baseline    a plain Pelican site with one Markdown page (text and a figures table) per page
              of the portal build, each of about the same HTML size, Pelican's `simple` theme
  hugo        the same Markdown pages built by Hugo (when `hugo` is on PATH), one cold run

With --scale10 (`make bench SCALE10=1`) a 10× dataset (5,140 regencies) is then built cold, to
completion: that alone takes longer than the whole 1× part.

Each build runs in a fresh subprocess; wall time, CPU time (user + system of the build and its
children) and peak RSS come from os.wait4 on that subprocess, so each build's figures are its
own (RUSAGE_CHILDREN's ru_maxrss is a running maximum over all children and cannot be
subtracted). Because charts may be rendered in worker processes, the summed RSS of the whole
process tree is also sampled.

The last line printed is

    ratios: cold=… warm=… one_change=… scale10=… warm_hugo=… one_change_hugo=… preview_s=…

cold, warm and one_change each a build's wall time over the Pelican baseline's; scale10 the 10×
build over the 1× cold build (`not-run` unless asked for); warm_hugo and one_change_hugo over
Hugo's build (left out when Hugo is not installed); preview_s in seconds (left out when the
preview server could not be measured). The line before it says why a figure is left out.

This module runs the steps in order; measure.py times each in its subprocess (and makes the
synthetic project), baselines.py writes and builds the Pelican and Hugo sites, report.py prints
the table, the memory by process, the `targets:` lines and the ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import runpy
import sys
import tempfile
import threading
import time
from argparse import SUPPRESS
from pathlib import Path

from . import hugo, preview, synthetic
from .baselines import build_baseline, build_hugo, make_baselines
from .measure import (
    ROOT,
    Result,
    add_correction,
    build_env,
    build_portal,
    commit_data,
    coverage_lines,
    make_project,
    remove,
    time_diff,
    time_import,
)
from .preview import Preview
from .report import machine, preview_line, report, revision


def preview_regions(size: synthetic.Size, changed: str) -> list[str]:
    """Three regions for the preview's edits, none of them one_change's: an eighth, a quarter and
    three quarters of the way through the codes (three other provinces at 1×)."""
    codes = sorted(synthetic.regency_codes(size))
    picks = [codes[len(codes) * k // 8] for k in (2, 6, 1)]
    return [c for i, c in enumerate(picks) if c != changed and c not in picks[:i]]


def time_preview(project: Path, logs: Path, regions: list[str], ready_timeout: float) -> Preview:
    """`python -m uhc_portal serve` on the project (its output folder as the builds left it),
    three rows edited in place while it runs."""
    command = [sys.executable, "-m", "uhc_portal", "serve", "--settings"]
    command += [str(project / "pelicanconf.py"), "--output", str(project / "output")]
    command += ["--port", str(preview.free_port()), "--bind", "127.0.0.1"]
    return preview.measure_preview(
        command,
        project,
        build_env(),
        project / "output",
        regions,
        lambda code: synthetic.change_one_row(project / "data", code),
        logs / "preview.log",
        ready_timeout=ready_timeout,
    )


SIZES_HELP = """\
sizes and times (a shared 2-core VM, BENCHMARKS.md):
  (default)   the 1× part, 6,152 pages per build: roughly 10–20 minutes, with the machine's
              load. The longest steps are the cold build, the Pelican baseline (207 s idle)
              and the preview (its server's first build, then three edits, each waited on
              until the server has finished rebuilding); Hugo takes 16–60 s. Its budget:
              15 minutes on a 2-core machine 1.7× slower (judged on `targets:`).
  --scale10   then the 10× site (about 50,000 pages), cold, to completion: roughly 15 minutes
              more (an estimate from the one-language 10× build, 6.5 minutes).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        epilog=SIZES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--scale10",
        action="store_true",
        help="also build the 10× dataset cold after the 1× part, to completion (`make bench "
        "SCALE10=1`); much longer than the 1× part: roughly 15 minutes more on a 2-core machine",
    )
    parser.add_argument("--no-scale10", dest="scale10", action="store_false", help=SUPPRESS)
    parser.add_argument(
        "--scale10-limit",
        type=float,
        metavar="N",
        help="with --scale10: stop the 10× build after N times the 1× cold build's wall time "
        "(then reported as scale10=>N and missed); default: no limit",
    )
    parser.add_argument(
        "--no-hugo",
        action="store_true",
        help="skip the Hugo baseline (Hugo 0.111 peaks at about 11 GB on the 1× pages)",
    )
    parser.add_argument(
        "--preview-timeout",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="how long to wait for the preview server's first build (default 600)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--workdir", type=Path, help="use this (new) folder instead of a temp one")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="uhc-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    hugo_binary, hugo_missing = hugo.find(skip=args.no_hugo)
    left_out = {"hugo": hugo_missing} if hugo_missing else {}
    print(f"bench: {dt.datetime.now().isoformat(timespec='seconds')} in {work}")
    print(f"bench: machine: {machine()}")
    print(f"bench: code: {revision()}")
    print(f"bench: hugo: {hugo.version(hugo_binary) if hugo_binary else hugo_missing}")
    results: dict[str, Result] = {}
    diff = imported = previewed = None
    try:
        size = synthetic.Size.national()
        t = time.perf_counter()
        project = make_project(work / "national", size)
        print(
            f"bench: generated 1× synthetic data ({size.regencies} regencies, "
            f"{size.regencies * size.months} monthly rows, {size.forums} forums) "
            f"in {time.perf_counter() - t:.1f} s"
        )
        commit_data(project)
        results["cold"] = build_portal("cold", project, logs, cold=True)
        print(results["cold"].row(), flush=True)
        results["warm"] = build_portal("warm", project, logs)
        print(results["warm"].row(), flush=True)
        changed = sorted(synthetic.regency_codes(size))[len(synthetic.regency_codes(size)) // 2]
        before = coverage_lines(project)
        line = synthetic.change_one_row(project / "data", changed)
        print(f"bench: changed one row in place: {line}")
        results["one_change"] = build_portal("one_change", project, logs)
        print(results["one_change"].row(), flush=True)
        add_correction(project, before, coverage_lines(project))
        diff = time_diff(project, logs)
        print(
            f"bench: figure diff of the one change: {diff.wall_s:.1f} s wall, {diff.cpu_s:.1f} s "
            f"CPU, exit {diff.returncode}",
            flush=True,
        )
        imported = time_import(project, logs)
        print(
            f"bench: import of a table of every regency (dry run): {imported.wall_s:.1f} s wall, "
            f"{imported.cpu_s:.1f} s CPU, exit {imported.returncode}",
            flush=True,
        )
        # The baselines are sized from the pages as the builds left them, before the preview
        # edits its three rows.
        sizes = [p.stat().st_size for p in sorted((project / "output").rglob("*.html"))]
        previewed = time_preview(
            project, logs, preview_regions(size, changed), args.preview_timeout
        )
        print(preview_line(previewed), flush=True)

        t = time.perf_counter()
        baseline, hugo_site = make_baselines(work, sizes, hugo_binary is not None)
        took = time.perf_counter() - t
        print(
            f"bench: wrote the baselines' {len(sizes)} pages "
            f"({'Pelican and Hugo' if hugo_site else 'Pelican'}) in {took:.1f} s"
        )
        results["baseline"] = build_baseline(baseline, logs)
        print(results["baseline"].row(), flush=True)
        if hugo_site is not None and hugo_binary is not None:
            results["hugo"] = build_hugo(hugo_site, logs, hugo_binary)
            print(results["hugo"].row(), flush=True)

        if args.scale10:
            # The 1× sites are removed (room on disk) while the 10× data is generated: removing
            # waits on the disk, generating on the CPU. Both are done before the 10× build.
            t = time.perf_counter()
            sites = [project, baseline, *([hugo_site] if hugo_site else [])]
            removing = threading.Thread(target=remove, args=(sites,))
            removing.start()
            size10 = synthetic.Size.national(10)
            project10 = make_project(work / "national10", size10)
            removing.join()
            print(
                f"bench: generated 10× synthetic data ({size10.regencies} regencies, "
                f"{size10.regencies * size10.months} monthly rows, {size10.forums} forums) "
                f"and removed the 1× sites in {time.perf_counter() - t:.1f} s"
            )
            limit = args.scale10_limit * results["cold"].wall_s if args.scale10_limit else None
            results["scale10"] = build_portal("scale10", project10, logs, cold=True, timeout=limit)
            print(results["scale10"].row(), flush=True)
    finally:
        if not args.keep:
            t = time.perf_counter()
            remove([work])
            print(f"bench: removed the work folder in {time.perf_counter() - t:.1f} s")

    languages = len(runpy.run_path(str(ROOT / "pelicanconf.py")).get("UHC_LANGUAGES", ["id"]))
    return report(
        results,
        time.perf_counter() - started,
        args.json,
        diff,
        imported,
        languages,
        previewed,
        left_out,
    )


if __name__ == "__main__":
    sys.exit(main())
