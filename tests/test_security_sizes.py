"""Hostile sizes and shapes: each is refused, or read, with a clear message and bounded memory.

No timings are asserted (the machine is shared); memory is bounded with an address-space limit on
a subprocess, or measured with tracemalloc, and "refused before reading" is shown by memory that
stays far below the file's size.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from conftest import ROOT, SITE_DATA, TODAY
from uhc_portal.coverage import HEADER
from uhc_portal.dataset import load_dataset
from uhc_portal.errors import DataErrors
from uhc_portal.loading import MAX_ERRORS_PER_FILE, MAX_FILE_BYTES
from uhc_portal.schema import MAX_NAME, MAX_TEXT
from uhc_portal.yamlfile import MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_EVENTS

MEMORY_LIMIT = 1536 * 1024 * 1024  # address space for a validating subprocess
MB = 1024 * 1024
CSV_HEADER = ",".join(HEADER) + "\n"
ALIAS_BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(SITE_DATA, folder)
    return folder


def errors_of(data: Path) -> list:
    with pytest.raises(DataErrors) as caught:
        load_dataset(data, TODAY)
    return caught.value.errors


def validate_limited(data: Path) -> subprocess.CompletedProcess:
    """`python -m uhc_portal validate` in a subprocess that may not map more than 1.5 GB."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    return subprocess.run(
        [sys.executable, "-m", "uhc_portal", "validate", "--data", str(data)],
        cwd=data.parent,
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=limit,
        timeout=600,
    )


def write_repeated(path: Path, head: str, line: str, size: int) -> None:
    """A file of `head` and then `line` repeated, to just under `size` bytes, written in chunks."""
    count = (size - len(head)) // len(line)
    chunk = line * 10_000
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        for _ in range(count // 10_000):
            out.write(chunk)
        out.write(line * (count % 10_000))


def test_a_50_mb_csv_is_refused_before_it_is_read(data):
    big = data / "coverage" / "besar.csv"
    write_repeated(big, CSV_HEADER, "73.13,2020-09,376386,311536,,82.77,,wajo-2020\n", 50 * MB)
    size = big.stat().st_size
    assert size > 49 * MB
    tracemalloc.start()
    try:
        [error] = errors_of(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (error.file, error.kind, error.value) == (
        "data/coverage/besar.csv",
        "file-too-large",
        f"{size} bytes",
    )
    assert f"at most {MAX_FILE_BYTES // MB} MB" in error.expected and "split it" in error.expected
    assert peak < 5 * MB  # the 50 MB were never read
    result = validate_limited(data)
    assert result.returncode == 1
    assert f"data/coverage/besar.csv: value '{size} bytes': a data file of at most 16 MB" in (
        result.stderr
    )


def test_the_largest_csv_accepted_is_read_in_bounded_memory_with_a_short_report(data):
    # The worst case per byte: a million tiny rows, each of them wrong.
    write_repeated(
        data / "coverage" / "besar.csv", CSV_HEADER, "1,1,1,1,1,1,1,1\n", MAX_FILE_BYTES - 100
    )
    result = validate_limited(data)
    assert result.returncode == 1, result.stderr[-2000:]
    lines = result.stderr.splitlines()
    count = int(lines[0].split()[1])  # "uhc_portal: 103 data errors; ..."
    assert MAX_ERRORS_PER_FILE < count <= MAX_ERRORS_PER_FILE + len(HEADER)  # whole rows
    assert "[too-many-errors]" in lines[-1] and "data/coverage/besar.csv:" in lines[-1]
    assert len(result.stderr) < 50_000


def test_many_bad_rows_stop_at_a_capped_report(data):
    (data / "coverage" / "salah.csv").write_text(
        CSV_HEADER + "99.99,2020-09,1,,,,,wajo-2020\n" * 5000, encoding="utf-8"
    )
    (data / "coverage" / "lebar.csv").write_text(CSV_HEADER + "1,2\n" * 5000, encoding="utf-8")
    errors = errors_of(data)
    for name in ("salah", "lebar"):
        mine = [e for e in errors if e.file == f"data/coverage/{name}.csv"]
        assert len(mine) == MAX_ERRORS_PER_FILE + 1
        assert max(mine, key=lambda e: e.line).kind == "too-many-errors"


def test_a_huge_cell_is_a_csv_error_at_its_line(data):
    (data / "coverage" / "sel.csv").write_text(
        CSV_HEADER + "73.13,2020-09," + "9" * (2 * MB) + ",,,,,wajo-2020\n", encoding="utf-8"
    )
    [error] = errors_of(data)
    assert (error.file, error.line, error.kind) == ("data/coverage/sel.csv", 2, "csv-syntax")
    assert "field larger than field limit" in error.expected


NAME = "Kabupaten " + "Panjang" * 1428  # 10,006 characters


@pytest.mark.parametrize(
    ("file", "edit", "line", "field"),
    [
        ("regions/regencies.csv", lambda t: t.replace("Kabupaten Wajo", NAME), 3, "name"),
        ("regions/provinces.csv", lambda t: t.replace("Sulawesi Selatan", NAME), 3, "name"),
        ("regions/aliases.yaml", lambda t: t + f'? "{NAME}"\n: "73.13"\n', 3, ""),
        (
            "forums/2020-10-26-wajo.yaml",
            lambda t: t.replace("title: Forum PKU Kabupaten Wajo", f"title: {NAME}"),
            3,
            "title",
        ),
        (
            "forums/2020-10-26-wajo.yaml",
            lambda t: t.replace("attendees: [Sekretaris Daerah]", f"attendees: [{NAME}]"),
            7,
            "attendees[0]",
        ),
        (
            "forums/2020-10-26-wajo.yaml",
            lambda t: t.replace("committed_by: Sekretaris Daerah", f"committed_by: {NAME}"),
            10,
            "commitments[0].committed_by",
        ),
        (
            "sources.yaml",
            lambda t: t.replace("title: Contoh laporan 2025", f"title: {NAME}"),
            8,
            "wajo-2025.title",
        ),
    ],
)
def test_a_10000_character_name_is_refused_with_a_short_message(data, file, edit, line, field):
    assert len(NAME) > 10_000
    path = data / file
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    # Other files may report what now has no region or source; this file reports the name.
    errors = [e for e in errors_of(data) if e.file == f"data/{file}"]
    assert [(e.line, e.field, e.kind) for e in errors] == [(line, field, "text-too-long")]
    limit = MAX_NAME if file.startswith("regions/") else MAX_TEXT
    assert f"at most {limit} characters" in errors[0].expected
    assert len(str(errors[0])) < 250  # the name is shortened, not repeated in full


def test_a_10000_character_alias_key_is_a_yaml_error_at_its_line(data):
    # YAML allows at most 1024 characters in a key written the usual way ("key": value).
    with (data / "regions" / "aliases.yaml").open("a", encoding="utf-8") as out:
        out.write(f'"{NAME}": "73.13"\n')
    [error] = errors_of(data)
    assert (error.file, error.line, error.kind) == ("data/regions/aliases.yaml", 3, "yaml-syntax")


def test_yaml_bombs_are_refused_at_parse_in_bounded_memory(data):
    forums = data / "forums"
    (forums / "bom-alias.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    (forums / "bersarang.yaml").write_text(
        "title: " + "[" * 300_000 + "]" * 300_000 + "\n", encoding="utf-8"
    )
    (forums / "bersarang-blok.yaml").write_text(
        "".join("  " * i + f"k{i}:\n" for i in range(500)) + "  " * 500 + "v\n", encoding="utf-8"
    )
    (forums / "banjir.yaml").write_text(
        "".join(f"k{i}: v\n" for i in range(MAX_YAML_EVENTS)), encoding="utf-8"
    )
    (forums / "besar.yaml").write_text("title: " + "x" * MAX_YAML_BYTES + "\n", encoding="utf-8")
    result = validate_limited(data)  # in bounded memory
    assert result.returncode == 1
    got = set(
        re.findall(
            r"data/forums/([a-z-]+\.yaml):?(\d*):.*\[([a-z-]+)\]$", result.stderr, re.MULTILINE
        )
    )
    assert got == {
        ("bom-alias.yaml", "2", "yaml-alias"),
        ("bersarang.yaml", "1", "yaml-too-deep"),
        ("bersarang-blok.yaml", str(MAX_YAML_DEPTH + 1), "yaml-too-deep"),
        ("banjir.yaml", str(MAX_YAML_EVENTS // 2), "yaml-too-many-values"),
        ("besar.yaml", "", "file-too-large"),
    }
    assert "data/forums/bom-alias.yaml:2: value '*a': plain values; anchors and aliases" in (
        result.stderr
    )
    assert f"at most {MAX_YAML_DEPTH} levels of nesting [yaml-too-deep]" in result.stderr


def test_links_folders_and_devices_are_not_read(data, tmp_path):
    secret = tmp_path / "rahasia.yaml"
    secret.write_text("title: RAHASIA-TOKEN\n", encoding="utf-8")
    (data / "forums" / "bocor.yaml").symlink_to(secret)
    (data / "coverage" / "nol.csv").symlink_to("/dev/zero")
    (data / "forums" / "folder.yaml").mkdir()
    os.mkfifo(data / "coverage" / "pipa.csv")
    errors = errors_of(data)
    assert {(e.file, e.kind) for e in errors} == {
        ("data/forums/bocor.yaml", "not-a-file"),
        ("data/coverage/nol.csv", "not-a-file"),
        ("data/forums/folder.yaml", "not-a-file"),
        ("data/coverage/pipa.csv", "not-a-file"),
    }
    assert "RAHASIA" not in "\n".join(map(str, errors))
    assert all("a plain file (not a link, folder or device)" in e.expected for e in errors)


def test_a_data_folder_that_links_outside_the_repository_is_not_read(data, tmp_path_factory):
    outside = tmp_path_factory.mktemp("luar")
    (outside / "x.csv").write_text(CSV_HEADER + "73.13,2021,1,,,,,wajo-2020\n", encoding="utf-8")
    shutil.rmtree(data / "coverage")
    (data / "coverage").symlink_to(outside)
    assert [(e.file, e.kind) for e in errors_of(data)] == [("data/coverage/x.csv", "not-a-file")]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("date: " + "9" * 5000 + "\n", "yaml-syntax"),
        ("date: 0x" + "f" * 5000 + "\n", "yaml-syntax"),
        ("date: 2020-99-99\n", "yaml-syntax"),
        ("date: 1e99999\n", "bad-date"),
        ("date: 2020-10-26\ntitle: \x01\n", "yaml-syntax"),
    ],
)
def test_odd_yaml_values_are_errors_at_their_line(data, text, kind):
    (data / "forums" / "aneh.yaml").write_text(text, encoding="utf-8")
    mine = [e for e in errors_of(data) if e.file == "data/forums/aneh.yaml"]
    assert (mine[0].line, mine[0].kind) == (text.count("\n"), kind)
    assert all(len(e.value) <= 80 for e in mine)


def test_a_count_too_long_for_a_number_is_an_error(data):
    with (data / "coverage" / "contoh.csv").open("a", encoding="utf-8") as out:
        out.write("73.14,2020-09," + "9" * 5000 + ",,,,,wajo-2020\n")
        out.write("73.14,2020-10,1000000001,,,,,wajo-2020\n")
        out.write("73.14,2020-11,٣٧٦٣٨٦,,,,,wajo-2020\n")  # Arabic-Indic digits
    errors = errors_of(data)
    assert [(e.line, e.kind) for e in errors] == [
        (6, "count-out-of-range"),
        (7, "count-out-of-range"),
        (8, "not-whole-number"),
    ]


def test_markdown_nested_hundreds_deep_is_a_data_error(data):
    forum = data / "forums" / "2020-10-26-wajo.yaml"
    text = forum.read_text(encoding="utf-8")
    forum.write_text(
        text.replace("  Forum membahas **validitas data penduduk**.", "  " + "1. " * 1600),
        encoding="utf-8",
    )
    [error] = errors_of(data)
    assert (error.file, error.line, error.field, error.kind) == (
        "data/forums/2020-10-26-wajo.yaml",
        5,
        "summary",
        "markdown-too-deep",
    )
