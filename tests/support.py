"""Helpers the test modules share (as Pelican's own pelican/tests/support.py): the days tests
build on, a folder read as bytes, git, the command line, an office's spreadsheet, the Nu HTML
Checker, the preview server as a subprocess, and one editor making a steward's random edits.

Fixtures live in conftest.py; a test module imports helpers from here, never from another test
module (tests/test_house.py checks), so that each test file can be read, run and changed alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import pytest
from pagefind_files import is_unstable
from uhc_portal import charts, safe_svg
from uhc_portal.__main__ import main
from uhc_portal.dataset import load_dataset
from uhc_portal.errors import DataErrors
from uhc_portal.model import PartialDate, Snapshot, Value
from uhc_portal.status import assess

ROOT = Path(__file__).resolve().parent.parent
SITE_DATA = Path(__file__).resolve().parent / "site" / "data"

# Days ----------------------------------------------------------------------------------------

TODAY = dt.date(2026, 12, 7)  # the test site's day, not before any `accessed` in the seed data
REAL_TODAY = max(TODAY, dt.date.today())
"""The day the real data/ is read on: stewards record the day they read a source (`accessed`),
which may not lie in the future, so a fixed day would fail as soon as a source is read later."""
EARLIER = dt.date(2024, 12, 31)  # a `today` before some figures' dates: they become errors

# Folders as bytes ----------------------------------------------------------------------------


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by its path relative to it, with its bytes, in path order."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def stable(files: dict[str, bytes]) -> dict[str, bytes]:
    """A tree without the Pagefind files whose names and bytes vary from run to run."""
    return {name: data for name, data in files.items() if not is_unstable(name)}


def first_difference(a: dict[str, bytes], b: dict[str, bytes]) -> str:
    """The first way two trees differ, in words ("" when they are the same)."""
    if a.keys() != b.keys():
        return (
            f"files differ: only first {sorted(a.keys() - b.keys())[:5]}, "
            f"only second {sorted(b.keys() - a.keys())[:5]}"
        )
    for name in a:
        if a[name] != b[name]:
            try:
                lines = difflib.unified_diff(
                    a[name].decode().splitlines(), b[name].decode().splitlines(), lineterm="", n=1
                )
                return f"{name} differs:\n" + "\n".join(list(lines)[:20])
            except UnicodeDecodeError:
                return f"{name} differs (binary)"
    return ""


# Commands ------------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    """git in `repo`, as a test's author (commits need a name), its output as text."""
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def run_cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m uhc_portal …` in a subprocess in `project`, as a steward runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    return subprocess.run(
        [sys.executable, "-m", "uhc_portal", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


# What stewards import ------------------------------------------------------------------------


def office_xlsx(path: Path, rows: list[tuple], title: str = "Rekap Kepesertaan JKN") -> Path:
    """A sheet as offices publish one: a title, a merged two-row header (Peserta JKN over
    Terdaftar and Aktif), the rows, a blank line, a totals row and footnotes."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Rekap"
    sheet["A1"] = title
    sheet["A2"] = "Keadaan per 30 Juni 2024"
    for col, label in zip(
        "ABCF", ["No", "Kabupaten/Kota", "Jumlah Penduduk", "Cakupan (%)"], strict=True
    ):
        sheet[f"{col}4"] = label
        sheet.merge_cells(f"{col}4:{col}5")
    sheet["D4"] = "Jumlah Peserta JKN"
    sheet.merge_cells("D4:E4")
    sheet["D5"], sheet["E5"] = "Terdaftar", "Aktif"
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    sheet.append([])
    sheet.append([None, "JUMLAH", "9.999.999", "9.999.999", None, "99,99"])
    sheet.append([])
    sheet.append(["*) Sumber: BPJS Kesehatan Kedeputian Wilayah"])
    sheet.append(["Keterangan: data sementara"])
    book.save(path)
    return path


def guide_section() -> str:
    """The steward guide's section on importing a table (its worked example)."""
    text = (ROOT / "content" / "pages" / "panduan-data.md").read_text()
    return text[text.index("## Mengimpor tabel") :]


# The Nu HTML Checker -------------------------------------------------------------------------

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def run_vnu(files: list[Path]) -> list[str]:
    """Errors of the Nu HTML Checker on these files (HTML, and SVG with --also-check-svg)."""
    java = shutil.which("java")
    if java is None:
        pytest.skip(
            "no java on this machine: the Nu HTML Checker (vnu.jar) runs on Java; "
            "install default-jre-headless (CI does)"
        )
    assert VNU.is_file(), "vnu.jar is missing: `make test` installs it (npm ci)"
    result = subprocess.run(
        [
            java,
            "-jar",
            str(VNU),
            "--errors-only",
            "--also-check-svg",
            "--format",
            "json",
            "--stdout",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(result.stdout)
    return [
        f"{m.get('url', '').rsplit('/output/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in report["messages"]
    ]


# The preview server --------------------------------------------------------------------------

BUILD_SECONDS = 180  # a whole build of the real data on a busy machine, with room to spare


class Preview:
    """The server as a subprocess; its stdout lines read by a thread as they come."""

    def __init__(self, project: Path):
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "uhc_portal", "serve", "--settings", "pelicanconf.py"),
                *("--output", "output", "--port", "0", "--bind", "127.0.0.1"),
            ],
            cwd=project,
            env={**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "PYTHONHASHSEED": "0"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def address(self) -> str:
        """The server's address, once it says it is ready."""
        ready = self.wait_for("Pratinjau siap:")
        return re.fullmatch(r"Pratinjau siap: (http://127\.0\.0\.1:\d+)/", ready)[1]

    def read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, prefix: str, timeout: float = BUILD_SECONDS) -> str:
        """The next line starting with `prefix` (the terminal's contract)."""
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            self.seen.append(line)
            if line.startswith(prefix):
                return line
        raise AssertionError(f"no line {prefix!r} in {timeout} s:\n" + "\n".join(self.seen))

    def stop(self, how: signal.Signals = signal.SIGTERM) -> int:
        self.process.send_signal(how)
        try:
            return self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


# A steward's random edits --------------------------------------------------------------------

HEADER = "region_code,as_of,population,participants,active_participants,coverage_pct,"
HEADER += "not_enrolled,source\n"
NO_PUBLISHED_DATE = ("wajo-2025", "makassar-2024", "linggau-2018")  # any figure date may cite


def rows_file(rng: random.Random, codes: list[str], sources: list[str], count: int) -> str:
    """A coverage file of `count` random rows (valid in form; any may contradict another)."""
    lines = [HEADER]
    for _ in range(count):
        population = rng.randrange(50_000, 3_000_000)
        participants = rng.randrange(population // 2, population)
        year, month = rng.randrange(2015, 2026), rng.randrange(1, 13)
        source = rng.choice(sources)
        lines.append(
            f"{rng.choice(codes)},{year}-{month:02d},{population},{participants},,,,{source}\n"
        )
    return "".join(lines)


class DataEditor:
    """Random edits of a project's data/ (and of its content, theme and settings), each a
    steward's kind of change, drawn from `rng`: the same seed, the same edits.

    Two menus. `load_edits()`: any change to data/, valid or not, for the loading cache's
    equivalence (tests/test_load_cache.py; `undo`, `repair` and `reset` take breakage back).
    `BUILD_EDITS`: valid edits of the test site's project, weighted, for the equivalence of
    incremental and clean builds (tests/test_incremental.py; `choose`, then `apply`)."""

    def __init__(self, data: Path, rng: random.Random, today: dt.date = TODAY):
        self.data, self.project, self.rng, self.today = data, data.parent, rng, today
        self.original = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
        self.codes = [line.split(",")[0] for line in self.lines("regions/regencies.csv")[1:]]
        self.sources = re.findall(r"^([a-z0-9-]+):", self.text("sources.yaml"), re.M)
        self.made = 0  # numbers new names and titles
        self.undo: list[Callable[[], None]] = []  # edits that break other files, undone later

    # Reading and writing data/

    def later_restore(self, name: str) -> None:
        path, before = self.data / name, (self.data / name).read_bytes()
        self.undo.append(lambda: path.write_bytes(before))

    def text(self, name: str) -> str:
        return (self.data / name).read_text(encoding="utf-8")

    def lines(self, name: str) -> list[str]:
        return self.text(name).splitlines(keepends=True)

    def write(self, name: str, lines: list[str] | str) -> None:
        text = lines if isinstance(lines, str) else "".join(lines)
        (self.data / name).write_text(text, encoding="utf-8")

    def coverage_files(self) -> list[str]:
        return [f"coverage/{p.name}" for p in sorted((self.data / "coverage").glob("*.csv"))]

    def forum_files(self) -> list[str]:
        return [f"forums/{p.name}" for p in sorted((self.data / "forums").glob("*.yaml"))]

    def regencies(self) -> list[str]:
        """The regencies' codes as the file now lists them."""
        return [line.split(",")[0] for line in self.lines("regions/regencies.csv")[1:]]

    def pick_row(self) -> tuple[str, list[str], int] | None:
        files = [f for f in self.coverage_files() if len(self.lines(f)) > 1]
        if not files:
            return None
        name = self.rng.choice(files)
        lines = self.lines(name)
        return name, lines, self.rng.randrange(1, len(lines))

    # Any coverage file, any row: the row may become invalid or contradict another

    def row_changed(self) -> str:
        if not (picked := self.pick_row()):
            return self.row_added()
        name, lines, index = picked
        cells = lines[index].rstrip("\n").split(",")
        if len(cells) == 8 and cells[3].isdigit():
            cells[3] = str(int(cells[3]) + self.rng.choice((-1, 1, 1000)))
        lines[index] = ",".join(cells) + "\n"
        self.write(name, lines)
        return f"row changed in {name}"

    def row_added(self) -> str:
        name = self.rng.choice(self.coverage_files() or ["coverage/baru.csv"])
        lines = self.lines(name) if (self.data / name).exists() else [HEADER]
        row = rows_file(self.rng, self.codes[:40], self.sources, 1).split("\n", 1)[1]
        lines.insert(self.rng.randrange(1, len(lines) + 1), row)
        self.write(name, lines)
        return f"row added to {name}"

    def row_removed(self) -> str:
        if not (picked := self.pick_row()):
            return self.row_added()
        name, lines, index = picked
        del lines[index]
        self.write(name, lines)
        return f"row removed from {name}"

    def row_made_invalid(self) -> str:
        if not (picked := self.pick_row()):
            return self.row_added()
        name, lines, index = picked
        cells = lines[index].rstrip("\n").split(",")
        if len(cells) == 8:
            field = self.rng.randrange(4)
            cells[field] = ("99.99", "2020-13", "1.000.000", "82,77")[field]
        lines[index] = ",".join(cells) + "\n"
        self.write(name, lines)
        return f"row made invalid in {name}"

    def same_size_edit(self) -> str:
        """One digit changed for another, the file's size and time stamp kept."""
        if not (picked := self.pick_row()):
            return self.row_added()
        name, lines, index = picked
        path = self.data / name
        before = path.stat()
        digits = [i for i, c in enumerate(lines[index]) if c in "123456789" and i > 12]
        if digits:
            i = self.rng.choice(digits)
            line = lines[index]
            lines[index] = line[:i] + str(int(line[i]) % 9 + 1) + line[i + 1 :]
        self.write(name, lines)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert path.stat().st_size == before.st_size
        return f"one digit changed in {name}, same size and time"

    def coverage_file_added(self) -> str:
        self.made += 1
        name = f"coverage/{self.rng.choice('0az')}-tambahan-{self.made}.csv"
        self.write(name, rows_file(self.rng, self.codes[:60], self.sources, 8))
        return f"{name} added"

    def coverage_file_removed(self) -> str:
        name = self.rng.choice(self.coverage_files())
        (self.data / name).unlink()
        return f"{name} removed"

    def coverage_file_renamed(self) -> str:
        name = self.rng.choice(self.coverage_files())
        self.made += 1
        new = f"coverage/{self.rng.choice('0az')}-nama-{self.made}.csv"
        (self.data / name).rename(self.data / new)
        return f"{name} renamed {new}"

    # The test site's coverage/contoh.csv: valid rows, one per region and date

    def sample_lines(self) -> list[str]:
        return self.text("coverage/contoh.csv").splitlines()

    def write_sample(self, lines: list[str]) -> None:
        self.write("coverage/contoh.csv", "\n".join(lines) + "\n")

    def free_date(self, code: str) -> str:
        taken = {tuple(line.split(",")[:2]) for line in self.sample_lines()[1:]}
        while True:
            date = f"{self.rng.randint(2016, 2025)}-{self.rng.randint(1, 12):02d}"
            if (code, date) not in taken:
                return date

    def sample_row(self, code: str, date: str) -> str:
        population = self.rng.randint(50_000, 3_000_000)
        pct = self.rng.uniform(55, 104)
        return f"{code},{date},{population},,,{pct:.2f},,{self.rng.choice(NO_PUBLISHED_DATE)}"

    def sample_row_added(self) -> str:
        code = self.rng.choice(self.regencies())
        lines = self.sample_lines()
        line = self.sample_row(code, self.free_date(code))
        lines.insert(self.rng.randint(1, len(lines)), line)  # anywhere: later lines move
        self.write_sample(lines)
        return f"row added: {line}"

    def sample_row_changed(self) -> str:
        lines = self.sample_lines()
        if len(lines) < 2:
            return self.sample_row_added()
        index = self.rng.randint(1, len(lines) - 1)
        code, date = lines[index].split(",")[:2]
        old, lines[index] = lines[index], self.sample_row(code, date)
        self.write_sample(lines)
        return f"row changed: {old} -> {lines[index]}"

    def sample_row_removed(self) -> str:
        lines = self.sample_lines()
        if len(lines) < 3:
            return self.sample_row_added()
        removed = lines.pop(self.rng.randint(1, len(lines) - 1))
        self.write_sample(lines)
        return f"row removed: {removed}"

    # Forums

    def forum_copied(self) -> str:
        self.made += 1
        new = f"forums/2023-salinan-{self.made}.yaml"
        self.write(new, self.text(self.rng.choice(self.forum_files())))
        return f"{new} added"

    def forum_added(self) -> str:
        """A new valid forum, with a commitment more often than not."""
        self.made += 1
        code = self.rng.choice(self.regencies())
        date = f"{self.rng.randint(2017, 2025)}-{self.rng.randint(1, 12):02d}-15"
        commitment = (
            f'commitments:\n  - deadline: "{self.rng.randint(2018, 2026)}"\n'
            f"    committed_by: Bupati\n    target_pct: {self.rng.choice([95, 98])}\n"
            if self.rng.random() < 0.6
            else ""
        )
        text = (
            f'date: "{date}"\nregions: ["{code}"]\ntitle: Forum contoh {self.made}\n'
            f"kind: {self.rng.choice(['forum-pku', 'rapat', 'sosialisasi'])}\n"
            f"summary: Ringkasan forum contoh nomor {self.made}.\n{commitment}"
            f"sources: [{self.rng.choice(NO_PUBLISHED_DATE)}]\n"
        )
        name = f"{date}-contoh-{self.made}.yaml"
        self.write(f"forums/{name}", text)
        return f"forum added: {name} ({code})"

    def forum_edited(self) -> str:
        name = self.rng.choice(self.forum_files())
        text = self.text(name)
        change = self.rng.randrange(4)
        if change == 0:
            text = re.sub(r"^title: (.*)$", r"title: \1 (diubah)", text, count=1, flags=re.M)
        elif change == 1:
            text = re.sub(r'^regions: \["', 'regions: ["99.99", "', text, count=1, flags=re.M)
        elif change == 2:
            text = re.sub(r"^date: .*$", 'date: "2025-06-01"', text, count=1, flags=re.M)
        else:
            text = text.replace("title:", "title: [", 1)  # not YAML any more
        self.write(name, text)
        return f"{name} edited ({change})"

    def forum_removed(self) -> str:
        if not (forums := self.forum_files()):
            return self.forum_added()
        name = self.rng.choice(forums)
        (self.data / name).unlink()
        return f"forum removed: {name}"

    # Sources and corrections

    def source_retitled(self) -> str:
        self.made += 1
        text = self.text("sources.yaml")
        titles = list(re.finditer(r"^  title: .*$", text, re.M))
        chosen = self.rng.choice(titles)
        new = f"  title: Judul baru nomor {self.made}"
        self.write("sources.yaml", text[: chosen.start()] + new + text[chosen.end() :])
        return f"source retitled: {chosen.group(0).strip()} -> {new.strip()}"

    def source_added_above(self) -> str:
        """A source before all others: every later source's line moves."""
        self.made += 1
        block = (
            f"sumber-baru-{self.made}:\n  title: Sumber baru {self.made}\n"
            f"  excerpt: Kutipan sumber baru.\n"
        )
        self.write("sources.yaml", block + self.text("sources.yaml"))
        return f"source added above the others: sumber-baru-{self.made}"

    def source_moved(self) -> str:
        """The last source's block moved to the top: same sources, other lines."""
        text = self.text("sources.yaml")
        starts = [m.start() for m in re.finditer(r"^[a-z0-9-]+:", text, re.M)]
        if len(starts) < 2:
            return "no source to move"
        self.write("sources.yaml", text[starts[-1] :] + text[: starts[-1]])
        return "a source moved"

    def source_removed(self) -> str:
        text = self.text("sources.yaml")
        blocks = list(re.finditer(r"^[a-z0-9-]+:\n(?:  .*\n|    .*\n)*", text, re.M))
        found = self.rng.choice(blocks)
        self.later_restore("sources.yaml")
        self.write("sources.yaml", text[: found.start()] + text[found.end() :])
        return "a source removed"

    def correction_added(self) -> str:
        if not (picked := self.pick_row()):
            return self.row_added()
        name, lines, index = picked
        cells = lines[index].rstrip("\n").split(",")
        if len(cells) != 8:
            return "no correction (a broken row)"
        code, as_of, *numbers, source = cells
        fields = ("population", "participants", "active_participants", "coverage_pct")
        fields += ("not_enrolled",)
        now = [f"{f}: {n}" for f, n in zip(fields, numbers, strict=True) if n]
        if self.rng.random() < 0.3 and now:
            now[0] += "1"  # not what the row prints: a mismatch
        text = self.text("corrections.yaml").replace("corrections: []", "corrections:")
        self.made += 1
        text += (
            f'  - region: "{code}"\n    as_of: "{as_of}"\n'
            f"    was: {{population: 1, source: {source}}}\n"
            f"    now: {{{', '.join([*now, f'source: {source}'])}}}\n"
            f'    date: "2024-0{self.rng.randrange(1, 10)}-01"\n'
            f"    reason: Uji {self.made}.\n    source: {source}\n"
        )
        self.write("corrections.yaml", text)
        return f"a correction of {name}:{index + 1} added"

    # Regions, aliases, rules, recognitions

    def region_renamed(self) -> str:
        self.made += 1
        lines = self.text("regions/regencies.csv").splitlines()
        index = self.rng.randint(1, len(lines) - 1)
        code, province, name = lines[index].split(",", 2)
        prefix = "Kota " if name.startswith("Kota ") else "Kabupaten "
        lines[index] = f"{code},{province},{prefix}Contoh {self.made}"
        self.write("regions/regencies.csv", "\n".join(lines) + "\n")
        return f"region renamed: {name} -> {lines[index]}"

    def region_removed(self) -> str:
        lines = self.lines("regions/regencies.csv")
        used = [i for i, line in enumerate(lines) if line[:5] in ("73.13", "17.06", "16.73")]
        index = self.rng.choice(used)
        del lines[index]
        self.later_restore("regions/regencies.csv")
        self.write("regions/regencies.csv", lines)
        return "a regency removed (its figures' code now unknown)"

    def province_removed(self) -> str:
        lines = self.lines("regions/provinces.csv")
        index = self.rng.randrange(1, len(lines))
        del lines[index]
        self.later_restore("regions/provinces.csv")
        self.write("regions/provinces.csv", lines)
        return "a province removed (its tile and regencies now unknown)"

    def alias_edited(self) -> str:
        text = self.text("regions/aliases.yaml")
        self.made += 1
        code = self.rng.choice([*self.codes[:20], "99.99"])
        self.write("regions/aliases.yaml", text + f'"Nama lain {self.made}": "{code}"\n')
        return "an alias added"

    def rules_touched(self) -> str:
        text = self.text("rules.yaml")
        if self.rng.random() < 0.5:
            text = "# komentar baru\n" + text  # every line moves down one
        else:
            text = text.replace('valid_to: "2024-12-31"', 'valid_to: "2025-06-30"', 1)
        self.write("rules.yaml", text)
        return "rules.yaml touched"

    def recognition_lines(self) -> list[str]:
        return self.text("recognitions/uhc-award.csv").splitlines()

    def recognition_added(self) -> str:
        provinces = self.text("regions/provinces.csv")
        codes = self.regencies() + [line.split(",")[0] for line in provinces.splitlines()[1:]]
        lines = self.recognition_lines()
        taken = {tuple(line.split(",")) for line in lines[1:]}
        while True:
            category = self.rng.choice(["Utama", "Madya", "Pratama", ""])
            year = str(self.rng.randint(2018, 2025))
            row = (self.rng.choice(codes), year, "UHC Award", category)
            row += (self.rng.choice(NO_PUBLISHED_DATE),)
            if row not in taken:
                break
        line = ",".join(row)
        lines.insert(self.rng.randint(1, len(lines)), line)
        self.write("recognitions/uhc-award.csv", "\n".join(lines) + "\n")
        return f"recognition added: {line}"

    def recognition_removed(self) -> str:
        lines = self.recognition_lines()
        if len(lines) < 2:
            return self.recognition_added()
        removed = lines.pop(self.rng.randint(1, len(lines) - 1))
        self.write("recognitions/uhc-award.csv", "\n".join(lines) + "\n")
        return f"recognition removed: {removed}"

    # Beside data/: content, theme, settings (the project's own copies), and the day

    def content_touched(self) -> str:
        self.made += 1
        page = self.rng.choice(sorted((self.project / "content" / "pages").glob("*.md")))
        with open(page, "a", encoding="utf-8") as out:
            out.write(f"\nParagraf tambahan nomor {self.made}.\n")
        return f"content page touched: {page.name}"

    def template_touched(self) -> str:
        self.made += 1
        name = self.rng.choice(["base.html", "region.html", "page.html", "forum.html"])
        path = self.project / "theme" / "templates" / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.rstrip("\n") + f"\n<!-- perubahan {self.made} -->\n", "utf-8")
        return f"template touched: {name}"

    def setting_touched(self) -> str:
        self.made += 1
        with open(self.project / "pelicanconf.py", "a", encoding="utf-8") as out:
            out.write(f'SITENAME = "Pantau UHC {self.made}"\n')
        return "setting touched: SITENAME"

    def today_changed(self) -> str:
        self.today = EARLIER
        self.undo.append(lambda: setattr(self, "today", TODAY))
        return f"today is {self.today}"

    def nothing(self) -> str:
        return "nothing changed"

    # Taking edits back

    def restored(self) -> str:
        """A file back as it was (an invalid one becomes valid again), or a removed one back."""
        path = self.rng.choice(sorted(self.original))
        path.write_bytes(self.original[path])
        return f"{path.relative_to(self.data)} restored"

    def repair(self, files: set[str]) -> None:
        """The files named in errors back as they were (or gone, if new): often valid again."""
        for name in files:
            path = self.data.parent / name
            if path in self.original:
                path.write_bytes(self.original[path])
            elif path.exists():
                path.unlink()

    def reset(self) -> None:
        """Every file as it was at the start, none other."""
        for path in self.data.rglob("*"):
            if path.is_file() and path not in self.original:
                path.unlink()
        for path, content in self.original.items():
            path.write_bytes(content)

    # The menus

    def load_edits(self) -> list[Callable[[], str]]:
        """Any change to data/, each as likely as its number of places in the list."""
        return [
            self.row_changed,
            self.row_changed,
            self.row_added,
            self.row_removed,
            self.row_made_invalid,
            self.same_size_edit,
            self.coverage_file_added,
            self.coverage_file_removed,
            self.coverage_file_renamed,
            self.forum_copied,
            self.forum_edited,
            self.forum_removed,
            self.source_retitled,
            self.source_moved,
            self.source_removed,
            self.correction_added,
            self.correction_added,
            self.region_renamed,
            self.region_removed,
            self.province_removed,
            self.alias_edited,
            self.rules_touched,
            self.today_changed,
            self.restored,
            self.restored,
            self.restored,
            self.nothing,
        ]

    # Valid edits of the test site's project, by weight; "invalid_row" is the caller's to make
    # and take back (a build that fails must leave the site as it was).
    BUILD_EDITS: ClassVar[dict[str, int]] = {
        "sample_row_changed": 6,
        "sample_row_added": 5,
        "sample_row_removed": 3,
        "forum_added": 2,
        "forum_removed": 1,
        "source_retitled": 2,
        "source_added_above": 1,
        "region_renamed": 1,
        "content_touched": 1,
        "template_touched": 1,
        "setting_touched": 1,
        "recognition_added": 1,
        "recognition_removed": 1,
        "nothing": 1,
        "invalid_row": 1,
    }

    def choose(self) -> str:
        """One of BUILD_EDITS, by its weight."""
        return self.rng.choices(list(self.BUILD_EDITS), weights=self.BUILD_EDITS.values())[0]

    def apply(self, kind: str) -> str:
        """Make the edit `kind` names (not "invalid_row"); what it did, in words."""
        assert kind in self.BUILD_EDITS and kind != "invalid_row", kind
        return getattr(self, kind)()


# Shared by the chart, validation and import tests and by the per-module message tests.


def rendered(renderer, data: charts.ChartData) -> str:
    raw, _png = renderer.render_all([charts.spec(data)])[0]
    return str(safe_svg.finish_svg(raw, data))


def with_history(site, code: str, snapshots: list[Snapshot], name: str | None = None):
    """The page of `code` with other snapshots (and optionally another name)."""
    page = site.regions[code]
    history = [assess(s, site.dataset.rules) for s in snapshots]
    return dataclasses.replace(page, history=history, name=name or page.name)


def snapshot(
    code: str,
    year: int,
    month: int,
    pct: float | None,
    population=None,
    participants=None,
    active=None,
    origin="printed",
) -> Snapshot:
    def v(x, kind="printed"):
        return Value(x, kind) if x is not None else Value(None)

    return Snapshot(
        code,
        PartialDate(year, month),
        v(population),
        v(participants),
        v(active),
        v(pct, origin),
        Value(None),
        "wajo-2020",
        "contoh.csv",
        2,
    )


INVALID = Path(__file__).parent / "invalid"


COV = "data/coverage/{}.csv"


FORUM = "data/forums/{}.yaml"


SRC = "data/sources.yaml"


RECOGNITION = "data/recognitions/{}.csv"


CLAIMS = "data/claims.csv"


def install(fixture: str, data: Path) -> str:
    """Put one invalid fixture into a copy of the test data; return the file it lands in."""
    folder, name = fixture.split("/")
    csv = folder in ("coverage", "recognitions", "claims")
    source = INVALID / folder / (name + (".csv" if csv else ".yaml"))
    if folder == "claims":  # the one claims file, in place of the test site's
        shutil.copy(source, data / "claims.csv")
        return CLAIMS
    if folder == "recognitions":
        shutil.copy(source, data / folder / source.name)
        return RECOGNITION.format(name)
    if folder == "sources":
        with (data / "sources.yaml").open("a", encoding="utf-8") as out:
            out.write(source.read_text(encoding="utf-8"))
        return SRC
    shutil.copy(source, data / folder / source.name)
    return (COV if folder == "coverage" else FORUM).format(name)


def report_for(tmp_path: Path, fixture: str) -> tuple[str, list]:
    data = tmp_path / "data"
    shutil.copytree(SITE_DATA, data)
    file = install(fixture, data)
    with pytest.raises(DataErrors) as caught:
        load_dataset(data, TODAY)
    return file, caught.value.errors


TABLE = "contoh-rekap-2024"  # a table's source: its numbers stand in the table, not the excerpt


def add_table_source(data: Path) -> Path:
    with (data / "sources.yaml").open("a", encoding="utf-8") as out:
        out.write(
            f"{TABLE}:\n  title: Contoh rekap kepesertaan JKN\n"
            "  excerpt: Rekap kepesertaan JKN per kabupaten/kota.\n"
            "  excerpt_note: tabel lembar Rekap, satu baris per kabupaten/kota\n"
        )
    return data


def run(*argv: str) -> int:
    return main(["import", *argv])
