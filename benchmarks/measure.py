"""How `make bench` measures one step: each build, the figure diff and the import dry run in a
fresh subprocess, its wall time, CPU time and peak RSS from os.wait4 and its whole process tree
sampled (memory.py); the synthetic project they run in; removing the work folders.

RUSAGE_CHILDREN's ru_maxrss is a running maximum over all children and cannot be subtracted, so
each step is waited on alone with os.wait4: its figures are its own. Because charts may be
rendered in worker processes and the search index by Pagefind's, the summed RSS of the whole
process tree is also sampled, by process role.
"""

from __future__ import annotations

import concurrent.futures
import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import synthetic
from .memory import TreeSampler, breakdown_text

ROOT = Path(__file__).resolve().parent.parent


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


# Removing the work folders ---------------------------------------------------------------


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
