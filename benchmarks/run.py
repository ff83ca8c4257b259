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
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import datetime as dt
import functools
import json
import os
import platform
import runpy
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from argparse import SUPPRESS
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from . import hugo, preview, synthetic
from .memory import TreeSampler, breakdown_text
from .preview import Preview

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"cold": 1.5, "warm": 0.5, "one_change": 0.5, "scale10": 11.0}
MAX_RSS_MB = 1024
# Issue 15: warm and one change against Hugo's build of the same pages, the preview's delay.
NEW_TARGETS = (("warm_hugo", 2.0, ""), ("one_change_hugo", 3.0, ""), ("preview_s", 1.0, " s"))
LATER_RATIOS = ("warm_hugo", "one_change_hugo", "preview_s")  # after scale10 on the ratios line
# Issue 21: one change in seconds, the 10× build's process tree, cold against Hugo, the preview.
ONE_CHANGE_S, SCALE10_TREE_MB, COLD_HUGO, PREVIEW_S = 3.0, 1024, 2.0, 0.5
BASELINES = ("baseline", "hugo")  # not portal builds: no memory target
BUDGET_S = 900  # the default `make bench` (the 1× part) in 15 minutes…
SLOW_MACHINE = 1.7  # …on a 2-core machine this much slower than the one measured
SCALE10_HOW = "`make bench SCALE10=1` or `--scale10` runs it"
ONE_CHANGE_CHARTS = 4  # per language: one changed row may re-render its region's, province's
# and the 2 home charts


@dataclass
class Result:
    name: str
    wall_s: float
    cpu_s: float
    max_rss_mb: float  # ru_maxrss: the largest single process of the build
    tree_rss_mb: float  # sampled: the whole process tree at its largest
    pages: int
    html_mb: float
    returncode: int
    charts_rendered: int | None = None  # new SVGs in the chart cache; None: not a portal build
    stopped: bool = False  # killed at its time limit: wall_s is a lower bound
    by_process: dict[str, list[float]] | None = None  # at the tree's peak: {role: [MB, count]}

    def memory_line(self) -> str:
        return f"{self.name} at its tree's peak ({self.tree_rss_mb:.0f} MB): " + breakdown_text(
            self.by_process
        )

    def row(self) -> str:
        charts = "–" if self.charts_rendered is None else str(self.charts_rendered)
        wall = f">{self.wall_s:.1f}" if self.stopped else f"{self.wall_s:.1f}"
        return (
            f"| {self.name:<11} | {wall:>8} | {self.cpu_s:7.1f} | "
            f"{self.max_rss_mb:8.0f} | {self.tree_rss_mb:9.0f} | {self.pages:6d} | "
            f"{self.html_mb:7.1f} | {charts:>7} |"
        )


HEADER = (
    "| build       |   wall s |   CPU s | RSS MB¹ | tree MB² |  pages | HTML MB | charts³ |\n"
    "|-------------|---------:|--------:|---------:|----------:|-------:|--------:|--------:|"
)


def build_env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT / "plugins"), PYTHONHASHSEED="0")


def measure(
    name: str, command: list[str], cwd: Path, output: Path, log: Path, timeout: float | None = None
) -> Result:
    """Run one build in a fresh subprocess and measure it alone; stop it after `timeout` s."""
    env = build_env()
    stopped = False
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        sampler = TreeSampler(proc.pid)
        sampler.start()
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if timeout is not None and time.perf_counter() - start > timeout and not stopped:
                stopped = True
                os.killpg(proc.pid, signal.SIGKILL)  # the build and its workers: ours alone
            time.sleep(0.05)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        tree_peak = sampler.stop()
    pages = list(output.rglob("*.html")) if output.is_dir() and not stopped else []
    size = sum(p.stat().st_size for p in pages)
    result = Result(
        name,
        wall,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        max(tree_peak, usage.ru_maxrss * 1024) / 2**20,
        len(pages),
        size / 2**20,
        proc.returncode,
        stopped=stopped,
        by_process=sampler.breakdown_mb(),
    )
    if stopped:
        print(f"bench: {name} stopped after {wall:.0f} s (limit {timeout:.0f} s)", file=sys.stderr)
    elif proc.returncode != 0:
        print(
            f"bench: {name} failed (exit {proc.returncode}); last lines of {log}:", file=sys.stderr
        )
        print("\n".join(log.read_text().splitlines()[-20:]), file=sys.stderr)
    return result


# The figure diff -----------------------------------------------------------------------------


def commit_data(project: Path) -> None:
    """The generated data as a git commit: the published base the timed figure diff reads."""
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="bench",
        GIT_AUTHOR_EMAIL="bench@example.org",
        GIT_COMMITTER_NAME="bench",
        GIT_COMMITTER_EMAIL="bench@example.org",
    )
    for args in (["init", "-q", "-b", "main"], ["add", "data"], ["commit", "-q", "-m", "data"]):
        subprocess.run(["git", *args], cwd=project, env=env, check=True)


def coverage_lines(project: Path) -> dict[str, list[str]]:
    folder = project / "data" / "coverage"
    return {p.name: p.read_text(encoding="utf-8").splitlines() for p in folder.glob("*.csv")}


def add_correction(
    project: Path, before: dict[str, list[str]], after: dict[str, list[str]]
) -> None:
    """The entry data/corrections.yaml needs for the changed published row, as a steward
    would add it: the diff then passes."""
    old, new = next(
        (a, b)
        for name in sorted(before)
        for a, b in zip(before[name], after[name], strict=True)
        if a != b
    )

    def values(line: str) -> tuple[str, str, str, str]:
        code, as_of, *numbers, source = next(csv.reader([line]))
        names = ("population", "participants", "active_participants", "coverage_pct")
        names += ("not_enrolled",)
        shown = [f"{n}: {v}" for n, v in zip(names, numbers, strict=True) if v]
        return code, as_of, "{" + ", ".join([*shown, f"source: {source}"]) + "}", source

    code, as_of, was, source = values(old)
    now = values(new)[2]
    (project / "data" / "corrections.yaml").write_text(
        f'corrections:\n  - region: "{code}"\n    as_of: "{as_of}"\n    was: {was}\n'
        f'    now: {now}\n    date: "{synthetic.TODAY.isoformat()}"\n'
        f"    reason: Koreksi sintetis untuk uji kinerja.\n    source: {source}\n",
        encoding="utf-8",
    )


def time_diff(project: Path, logs: Path) -> Result:
    command = [sys.executable, "-m", "uhc_portal", "diff", "--data", str(project / "data")]
    command += ["--base", "HEAD", "--format", "markdown"]
    return measure("diff", command, project, project / "no-output", logs / "diff.md")


# The bulk import -----------------------------------------------------------------------------


def office_table(project: Path, path: Path) -> int:
    """An office's XLSX of every regency, as stewards receive it: a title row, Indonesian
    headers, names in capitals with their prefix, thousands dots, decimal commas, a totals row."""
    from openpyxl import Workbook

    with (project / "data" / "regions" / "regencies.csv").open(encoding="utf-8") as file:
        regencies = list(csv.DictReader(file))
    book = Workbook()
    sheet = book.active
    sheet.append(["Rekap kepesertaan JKN per kabupaten/kota (sintetis)"])
    sheet.append([])
    sheet.append(["No", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta JKN", "Cakupan (%)"])
    for n, regency in enumerate(regencies, start=1):
        population = 100_000 + 997 * n
        participants = population * 9 // 10
        pct = f"{100 * participants / population:.2f}".replace(".", ",")
        sheet.append(
            [
                n,
                regency["name"].upper(),
                f"{population:,}".replace(",", "."),
                f"{participants:,}".replace(",", "."),
                pct,
            ]
        )
    sheet.append(["", "TOTAL", "", "", ""])
    book.save(path)
    return len(regencies)


def time_import(project: Path, logs: Path) -> Result:
    """`uhc_portal import --dry-run` of a table of every regency: read, matched, validated with
    the whole national dataset, and the figure diff printed; nothing written."""
    table = project / "rekap-kantor.xlsx"
    office_table(project, table)
    source = next(
        line.split(":")[0]
        for line in (project / "data" / "sources.yaml").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith((" ", "#"))
    )
    command = [sys.executable, "-m", "uhc_portal", "import", str(table), "--data"]
    command += [str(project / "data"), "--source", source, "--as-of", synthetic.TODAY.isoformat()]
    command += ["--dry-run"]
    return measure("import", command, project, project / "no-output", logs / "import.txt")


# The synthetic site ---------------------------------------------------------------------------


def make_project(where: Path, size: synthetic.Size) -> Path:
    """As tests/conftest.make_project: real settings, content, theme and plugin; synthetic data."""
    where.mkdir(parents=True)
    settings = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    settings += (
        f"\n# make bench: synthetic data; every generated date is before this day.\n"
        f'UHC_TODAY = "{synthetic.TODAY.isoformat()}"\n'
    )
    (where / "pelicanconf.py").write_text(settings, encoding="utf-8")
    for name in ("content", "theme", "plugins"):
        (where / name).symlink_to(ROOT / name)
    synthetic.generate(where / "data", size)
    return where


def cache_dirs(project: Path) -> list[Path]:
    """Caches a cold build must not find: .cache/ beside the settings (charts and friends)."""
    return [project / ".cache"]


def cached_charts(project: Path) -> set[str]:
    """SVGs in the chart cache (UHC_CHART_CACHE's default, .cache/charts beside the settings)."""
    folder = project / ".cache" / "charts"
    return {p.name for p in folder.rglob("*.svg")} if folder.is_dir() else set()


def build_portal(
    name: str, project: Path, logs: Path, cold: bool = False, timeout: float | None = None
) -> Result:
    output = project / "output"
    if cold:
        for cache in cache_dirs(project):
            shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(output, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "uhc_portal",
        "build",
        "--settings",
        str(project / "pelicanconf.py"),
        "--output",
        str(output),
    ]
    before = cached_charts(project)
    result = measure(name, command, project, output, logs / f"{name}.log", timeout)
    result.charts_rendered = len(cached_charts(project) - before)
    return result


# The baseline: plain Pelican, same number of pages of similar size ---------------------------

BASELINE_SETTINGS = """\
# make bench baseline: a plain Pelican site with Pelican's own `simple` theme.
AUTHOR = "Pantau UHC bench"
SITENAME = "Baseline"
SITEURL = ""
PATH = "content"
THEME = {theme!r}
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "id"
RELATIVE_URLS = True
ARTICLE_PATHS = []
PAGE_PATHS = ["pages"]
PAGE_URL = "{{slug}}/"
PAGE_SAVE_AS = "{{slug}}/index.html"
DIRECT_TEMPLATES = ["index"]
DISPLAY_PAGES_ON_MENU = False  # else every page lists all 2,559: quadratic, unlike the portal
DISPLAY_CATEGORIES_ON_MENU = False
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""
WORD_LIST = (
    "cakupan",
    "peserta",
    "jaminan",
    "kesehatan",
    "nasional",
    "wilayah",
    "penduduk",
    "sumber",
    "angka",
    "terdaftar",
    "aktif",
    "aturan",
    "tanggal",
    "status",
)
THEME_CHROME = 820  # bytes Pelican 4.12's simple theme puts around a page's body (measured)
TABLE_HEAD = [
    "| Per | Penduduk | Peserta | Cakupan | Belum terdaftar | Status |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
]


def table_row(row: int) -> str:
    line = (
        f"| {2016 + row // 12}-{1 + row % 12:02d} | {1_000_000 + 37 * row:,} | "
        f"{900_000 + 31 * row:,} | {90 + (row % 100) / 100:.2f} % | "
        f"{100_000 + 6 * row:,} | {'Sudah UHC' if row % 3 else 'Belum UHC'} |"
    )
    return line.replace(",", ".")


@functools.cache
def markdown_parser():  # one parser, reset per text: building one costs as much as converting
    import markdown

    return markdown.Markdown(extensions=["markdown.extensions.extra"])


def html_size(text: str) -> int:
    return len(markdown_parser().reset().convert(text).encode())


@functools.cache
def table_sizes() -> tuple[int, float]:
    """HTML bytes of a one-row table, and of each further row, as Pelican's Markdown makes them."""
    one = html_size("\n".join([*TABLE_HEAD, table_row(0)]))
    many = html_size("\n".join([*TABLE_HEAD, *(table_row(r) for r in range(101))]))
    return one, (many - one) / 100


def markdown_page(index: int, target: int) -> str:
    """A Markdown page whose HTML is about `target` bytes: text, then a figures table."""
    words = " ".join(WORD_LIST[(index + k) % len(WORD_LIST)] for k in range(60))
    text = (
        f"Halaman pembanding nomor {index}: *Markdown* biasa dengan **tabel** angka.\n\n{words}\n\n"
    )
    room = target - THEME_CHROME - html_size(text)
    first, per_row = table_sizes()
    if room < first:
        return text
    rows = 1 + round((room - first) / per_row)
    return text + "\n".join([*TABLE_HEAD, *(table_row(r) for r in range(rows))]) + "\n"


def make_baselines(where: Path, sizes: list[int], with_hugo: bool) -> tuple[Path, Path | None]:
    """One Markdown page per page of the portal build, each of about the same HTML size, written
    once for Pelican (where/baseline) and, with_hugo, the same text for Hugo (where/hugo)."""
    import pelican

    theme = Path(pelican.__file__).parent / "themes" / "simple"
    pelican_site = where / "baseline"
    (pelican_site / "content" / "pages").mkdir(parents=True)
    (pelican_site / "pelicanconf.py").write_text(BASELINE_SETTINGS.format(theme=str(theme)))
    hugo_site = hugo.write_site(where / "hugo") if with_hugo else None
    for index, size in enumerate(sizes[1:]):  # the site's own index.html is the first page
        title, slug = f"Halaman pembanding {index}", f"halaman-{index:05d}"
        body = markdown_page(index, size)
        (pelican_site / "content" / "pages" / f"{slug}.md").write_text(
            f"Title: {title}\nSlug: {slug}\n\n{body}", encoding="utf-8"
        )
        if hugo_site is not None:
            (hugo_site / "content" / f"{slug}.md").write_text(
                hugo.page_text(title, slug, body), encoding="utf-8"
            )
    return pelican_site, hugo_site


def build_baseline(project: Path, logs: Path) -> Result:
    output = project / "output"
    shutil.rmtree(output, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "pelican",
        str(project / "content"),
        "-s",
        str(project / "pelicanconf.py"),
        "-o",
        str(output),
    ]
    return measure("baseline", command, project, output, logs / "baseline.log")


def build_hugo(site: Path, logs: Path, binary: str) -> Result:
    """One cold `hugo` run into a fresh output folder: Hugo's build of the same pages."""
    output = site / "public"
    shutil.rmtree(output, ignore_errors=True)
    return measure("hugo", hugo.command(binary, site, output), site, output, logs / "hugo.log")


# Reporting -----------------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{mem_kb / 2**20:.1f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        memory = "unknown RAM"
    return (
        f"{os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable), {model}, {memory}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def revision() -> str:
    """The commit measured, and whether the working tree differed from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "plugins", "theme"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{commit or 'unknown'}{' + uncommitted changes in plugins/ or theme/' if dirty else ''}"


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


def preview_line(measured: Preview) -> str:
    if measured.reason is not None:
        done = "; ".join(f"{e.region}: {e.page_s:.2f} s" for e in measured.edits)
        before = f"; before that {done}" if done else ""
        return f"preview: not measured ({measured.reason}){before}"
    assert measured.median_s is not None
    each = ", ".join(f"{e.page_s:.2f}" for e in measured.edits)
    regions = ", ".join(e.region for e in measured.edits)
    updated = ", ".join(f"{e.updated_s:.2f}" for e in measured.edits)
    return (
        f"preview (a row edited in place → its region page changed on disk, server running): "
        f"median {measured.median_s:.2f} s of {each} s (regions {regions}; the server's "
        f"'Diperbarui:' line seen after {updated} s); server ready (its first build) after "
        f"{measured.ready_s:.1f} s; its process tree peak {measured.tree_rss_mb:.0f} MB"
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


def remove(folders: list[Path]) -> None:
    """Folders removed by four threads, split a few levels down: on this machine's disk (ext4
    mounted with `discard`) one thread removed about 2,900 files a second and four about 3,900,
    and the 10× site leaves some 90,000. Symlinks (to the project's own content, theme and
    plugins) are unlinked, never followed."""

    def parts(folder: Path, depth: int) -> Iterator[Path]:
        for child in folder.iterdir():
            if depth and child.is_dir() and not child.is_symlink():
                yield from parts(child, depth - 1)
            else:
                yield child

    def drop(path: Path) -> None:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        for folder in folders:
            if folder.is_dir() and not folder.is_symlink():
                list(pool.map(drop, parts(folder, 3)))
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def report(
    results: dict[str, Result],
    total: float,
    json_path: Path | None,
    diff: Result | None = None,
    imported: Result | None = None,
    languages: int = 1,
    previewed: Preview | None = None,
    left_out: dict[str, str] | None = None,
) -> int:
    print()
    print(HEADER)
    for result in results.values():
        print(result.row())
    if diff is not None:
        print(
            f"figure diff of one changed row (1×): {diff.wall_s:.1f} s wall, {diff.cpu_s:.1f} s "
            f"CPU, exit {diff.returncode}"
        )
    if imported is not None:
        print(
            f"import of every regency's row (dry run, 1×): {imported.wall_s:.1f} s wall, "
            f"{imported.cpu_s:.1f} s CPU, exit {imported.returncode}"
        )
    if previewed is not None:
        print(preview_line(previewed))
    print(
        "¹ largest single process (ru_maxrss)  ² whole process tree, sampled every 0.2 s  "
        "³ charts rendered (new SVGs in the chart cache)"
    )
    for name, result in results.items():
        if name not in BASELINES:
            print("memory by process: " + result.memory_line())
    ratios = ratios_of(results, "wall_s")
    if previewed is not None and previewed.median_s is not None and previewed.reason is None:
        ratios["preview_s"] = previewed.median_s
    cpu_ratios = ratios_of(results, "cpu_s")
    stopped = "scale10" in results and results["scale10"].stopped
    failed = [name for name, r in results.items() if r.returncode != 0 and not r.stopped]
    if diff is not None and diff.returncode != 0:
        failed.append("diff")
    if imported is not None and imported.returncode != 0:
        failed.append("import")
    reasons = reasons_left_out(results, previewed, left_out or {})
    print("targets: " + "; ".join(targets_of(results, ratios, total, languages)))
    print("targets: " + "; ".join(new_targets_of(ratios, reasons)))
    print("targets: " + "; ".join(issue21_targets(results, ratios, reasons)))
    print(
        f"bench: total {total:.0f} s" + (f"; FAILED builds: {', '.join(failed)}" if failed else "")
    )
    if json_path:
        json_path.write_text(
            json.dumps(
                {
                    "machine": machine(),
                    "code": revision(),
                    "ratios": ratios,
                    "cpu_ratios": cpu_ratios,
                    "left_out": reasons,
                    "results": {k: asdict(v) for k, v in results.items()},
                    "diff": asdict(diff) if diff is not None else None,
                    "import": asdict(imported) if imported is not None else None,
                    "preview": preview_json(previewed),
                    "total_s": total,
                },
                indent=1,
            )
        )
    print(
        "cpu ratios (the same with CPU time; wall time is what the targets use): "
        + line_of(cpu_ratios, stopped)
    )
    if reasons:
        print("ratios left out: " + "; ".join(grouped(reasons)))
    print("ratios: " + line_of(ratios, stopped))
    return 1 if failed else 0


def reasons_left_out(
    results: dict[str, Result], previewed: Preview | None, left_out: dict[str, str]
) -> dict[str, str]:
    """Why a figure of the ratios line is missing, by its name there."""
    reasons: dict[str, str] = {}
    if "scale10" not in results:
        reasons["scale10"] = f"not run: {SCALE10_HOW}"
    if "hugo" not in results:
        why = left_out.get("hugo", "the Hugo baseline did not run")
        reasons["warm_hugo"] = reasons["one_change_hugo"] = why
    if previewed is None:
        reasons["preview_s"] = left_out.get("preview", "the preview was not run")
    elif previewed.reason is not None:
        reasons["preview_s"] = previewed.reason
    return reasons


def grouped(reasons: dict[str, str]) -> list[str]:
    """'a, b (why)' for the names that share a reason, in order."""
    names: dict[str, list[str]] = {}
    for name, why in reasons.items():
        names.setdefault(why, []).append(name)
    return [f"{', '.join(group)} ({why})" for why, group in names.items()]


def targets_of(
    results: dict[str, Result], ratios: dict[str, float], total: float, languages: int
) -> list[str]:
    """Issue 5's targets: against the Pelican baseline, memory, charts, pages, the whole run."""
    stopped = "scale10" in results and results["scale10"].stopped
    checks = [
        f"{name} {ratios[name]:.2f} ≤ {limit:g}: {'ok' if ratios[name] <= limit else 'MISSED'}"
        for name, limit in TARGETS.items()
        if name in ratios
    ]
    if stopped:
        checks[-1] = f"scale10 stopped at {ratios['scale10']:.2f}× the cold build: MISSED"
    if "scale10" not in results:
        checks.append(f"scale10 not measured in this run ({SCALE10_HOW})")
    builds = {name: r for name, r in results.items() if name not in BASELINES}
    if builds:
        worst = max(builds, key=lambda name: builds[name].tree_rss_mb)
        worst_rss = builds[worst].tree_rss_mb
        which = "the 10× one included" if "scale10" in builds else "1× only"
        checks.append(
            f"peak RSS (whole process tree) of every portal build, {which}: {worst_rss:.0f} MB "
            f"({worst}) ≤ {MAX_RSS_MB} MB: {'ok' if worst_rss <= MAX_RSS_MB else 'MISSED'}"
        )
    one = results.get("one_change")
    if one is not None and one.charts_rendered is not None:
        limit = ONE_CHANGE_CHARTS * languages
        checks.append(
            f"one_change re-rendered {one.charts_rendered} charts ≤ {limit} (its region, its "
            f"province, the two national, in {languages} language(s)): "
            f"{'ok' if one.charts_rendered <= limit else 'MISSED'}"
        )
    pages = {r.pages for name, r in results.items() if name != "scale10"}
    checks.append(
        "same page count in all 1× builds and baselines: "
        f"{'ok' if len(pages) == 1 else sorted(pages)}"
    )
    if "scale10" in results:
        checks.append(
            f"whole run with the 10× build {total:.0f} s: no time target (the "
            f"{BUDGET_S // 60}-minute budget is the default run's)"
        )
    else:
        slow = SLOW_MACHINE * total
        checks.append(
            f"whole run {total:.0f} s, {slow:.0f} s on a machine {SLOW_MACHINE:g}× slower ≤ "
            f"{BUDGET_S} s: {'ok' if slow <= BUDGET_S else 'MISSED'}"
        )
    return checks


def new_targets_of(ratios: dict[str, float], reasons: dict[str, str]) -> list[str]:
    """Issue 15's targets: warm and one change against Hugo, the preview's delay."""
    checks = []
    for name, limit, unit in NEW_TARGETS:
        if name in ratios:
            verdict = "ok" if ratios[name] <= limit else "MISSED"
            checks.append(f"{name} {ratios[name]:.2f} ≤ {limit:g}{unit}: {verdict}")
    missing = {name: reasons.get(name, "not run") for name, _, _ in NEW_TARGETS}
    missing = {name: why for name, why in missing.items() if name not in ratios}
    checks += [f"not measured: {group}" for group in grouped(missing)]
    return checks


def issue21_targets(
    results: dict[str, Result], ratios: dict[str, float], reasons: dict[str, str]
) -> list[str]:
    """Issue 21's targets: one change in seconds, the 10× build's whole process tree, the cold
    build against Hugo's, the preview's median delay."""

    def verdict(good: bool) -> str:
        return "ok" if good else "MISSED"

    checks, missing = [], []
    one = results.get("one_change")
    if one is not None and one.returncode == 0:
        good = verdict(one.wall_s <= ONE_CHANGE_S)
        checks.append(f"one_change {one.wall_s:.1f} s ≤ {ONE_CHANGE_S:g} s: {good}")
    else:
        missing.append("one_change_s (no successful one-change build)")
    ten = results.get("scale10")
    if ten is not None and not ten.stopped and ten.returncode == 0:
        checks.append(
            f"scale10 process tree {ten.tree_rss_mb:.0f} MB ≤ {SCALE10_TREE_MB} MB: "
            f"{verdict(ten.tree_rss_mb <= SCALE10_TREE_MB)}"
        )
    else:
        missing.append(f"scale10 tree RSS ({reasons.get('scale10', 'stopped or failed')})")
    if "hugo" in results and "cold" in results:
        cold_hugo = results["cold"].wall_s / results["hugo"].wall_s
        good = verdict(cold_hugo <= COLD_HUGO)
        checks.append(f"cold_hugo {cold_hugo:.2f} ≤ {COLD_HUGO:g}: {good}")
    else:
        missing.append(f"cold_hugo ({reasons.get('warm_hugo', 'no cold build')})")
    if "preview_s" in ratios:
        median = ratios["preview_s"]
        checks.append(f"preview_s {median:.2f} ≤ {PREVIEW_S:g} s: {verdict(median <= PREVIEW_S)}")
    else:
        missing.append(f"preview_s ({reasons.get('preview_s', 'not run')})")
    return checks + [f"not measured: {why}" for why in missing]


def preview_json(previewed: Preview | None) -> dict | None:
    if previewed is None:
        return None
    return {**asdict(previewed), "median_s": previewed.median_s}


def ratios_of(results: dict[str, Result], field: str) -> dict[str, float]:
    """Each build over the Pelican baseline; scale10 over the 1× cold build; warm and one change
    over Hugo's build of the same pages."""
    base = getattr(results["baseline"], field) if "baseline" in results else float("nan")
    ratios = {
        name: getattr(results[name], field) / base
        for name in ("cold", "warm", "one_change")
        if name in results
    }
    if "scale10" in results:
        ratios["scale10"] = getattr(results["scale10"], field) / getattr(results["cold"], field)
    if "hugo" in results:
        for name in ("warm", "one_change"):
            if name in results:
                ratios[f"{name}_hugo"] = getattr(results[name], field) / getattr(
                    results["hugo"], field
                )
    return ratios


def line_of(ratios: dict[str, float], stopped: bool) -> str:
    """cold=X warm=Y one_change=Z scale10=W warm_hugo=A one_change_hugo=B preview_s=C: scale10
    '>W' when the 10× build was stopped at its limit and 'not-run' when it was not asked for;
    the Hugo ratios and preview_s left out when not measured."""
    parts = [f"{name}={ratios.get(name, float('nan')):.2f}" for name in ("cold", "warm")]
    parts.append(f"one_change={ratios.get('one_change', float('nan')):.2f}")
    if "scale10" in ratios:
        parts.append(f"scale10={'>' if stopped else ''}{ratios['scale10']:.2f}")
    else:
        parts.append("scale10=not-run")
    parts += [f"{name}={ratios[name]:.2f}" for name in LATER_RATIOS if name in ratios]
    return " ".join(parts)


if __name__ == "__main__":
    sys.exit(main())
