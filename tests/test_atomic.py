"""The site is built into a staging folder and swapped into place: a build that fails, or is
killed while it writes, leaves the previous output/ exactly as it was, and the next build works.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, build, make_project
from support import tree
from uhc_portal import build as build_module

# A test-only plugin: after STALL_AFTER pages are written, say so and wait to be killed.
STALL_PLUGIN = """
import os, pathlib, time
from pelican import signals

written = 0

def stall(path, context):
    global written
    written += 1
    if written == int(os.environ["STALL_AFTER"]):
        pathlib.Path(os.environ["STALL_MARKER"]).write_text(path, encoding="utf-8")
        time.sleep(3600)

def register():
    signals.content_written.connect(stall)
"""


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".output-"))


def cli(project: Path, *args: str, **env: str) -> subprocess.Popen:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "plugins"), **env}
    return subprocess.Popen(
        [sys.executable, "-m", "uhc_portal", "build", *args],
        cwd=project,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def rename_region(project: Path, old: str, new: str) -> None:
    regencies = project / "data" / "regions" / "regencies.csv"
    regencies.write_text(regencies.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_build_killed_while_writing_leaves_the_previous_output(tmp_path):
    project = make_project(tmp_path / "project")
    output = build(project)
    before = tree(output)
    rename_region(project, "Kabupaten Wajo", "Kabupaten Wajo Baru")
    (project / "stall").mkdir()
    (project / "stall" / "stall_after_writes.py").write_text(STALL_PLUGIN, encoding="utf-8")
    (project / "stallconf.py").write_text(
        "import os, sys\nsys.path.append(os.curdir)\nfrom pelicanconf import *  # noqa\n"
        "PLUGIN_PATHS = PLUGIN_PATHS + ['stall']\n"
        "PLUGINS = PLUGINS + ['stall_after_writes']\n",
        encoding="utf-8",
    )
    marker = tmp_path / "stalled"
    process = cli(
        project,
        "--settings",
        "stallconf.py",
        "--output",
        "output",
        STALL_AFTER="5",
        STALL_MARKER=str(marker),
    )
    try:
        deadline = time.monotonic() + 300  # a guard against a hang, not a timing assertion
        while not marker.exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the build never reached its fifth page"
            time.sleep(0.05)
        [staging] = [project / name for name in leftovers(project)]
        assert len([p for p in staging.rglob("*") if p.is_file()]) >= 5  # it was writing
        assert Path(marker.read_text(encoding="utf-8")).is_relative_to(staging)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
    assert process.returncode == -signal.SIGKILL
    assert tree(output) == before

    result = cli(project, "--output", "output")
    _, err = result.communicate(timeout=600)
    assert result.returncode == 0, err
    deadline = time.monotonic() + 60  # removed in the background, after the build exits
    while leftovers(project) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert leftovers(project) == []  # the killed build's staging folder was cleaned up
    page = (output / "wilayah" / "73.13" / "index.html").read_text(encoding="utf-8")
    assert "Kabupaten Wajo Baru" in page


def test_a_template_error_midway_leaves_the_previous_output(project, tmp_path):
    output = build(project)
    before = tree(output)
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "static").symlink_to(ROOT / "theme" / "static")
    for template in (ROOT / "theme" / "templates").iterdir():
        text = template.read_text(encoding="utf-8")
        if template.name == "region.html":  # region pages come after the index and directory
            text = text.replace(
                "{% block content %}", "{% block content %}{{ region.no_such_thing.boom() }}", 1
            )
        (theme / "templates" / template.name).write_text(text, encoding="utf-8")
    with pytest.raises(Exception, match="no_such_thing"):
        build(project, THEME=str(theme))
    assert tree(output) == before
    assert leftovers(project) == []


def test_a_data_error_leaves_the_previous_output(project):
    output = build(project)
    before = tree(output)
    rename_region(project, "Kabupaten Wajo", "")
    result = cli(project, "--output", "output")
    _, err = result.communicate(timeout=600)
    assert result.returncode == 1
    assert "data/regions/regencies.csv:3: field 'name'" in err
    assert "output/ was left as it was" in err
    assert tree(output) == before
    assert leftovers(project) == []


def test_staging_folders_of_live_builds_are_kept_and_of_dead_builds_removed(project):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    for name in (
        f".output-building-{dead_pid}-abc",
        f".output-old-{dead_pid}",
        f".output-old-{dead_pid}-3",
        f".output-building-{os.getpid()}-live",
        ".output-building-x-y",
        ".outputs",
    ):
        (project / name).mkdir()
        (project / name / "index.html").write_text("old", encoding="utf-8")
    build(project)
    build_module.wait_for_removals()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".output")) == [
        f".output-building-{os.getpid()}-live",
        ".output-building-x-y",
        ".outputs",
    ]


def test_the_swap_also_works_where_the_atomic_exchange_is_missing(project, monkeypatch):
    output = build(project)
    (output / "stale.html").write_text("from an older build", encoding="utf-8")
    monkeypatch.setattr(build_module, "exchange", lambda a, b: False)
    build(project)
    assert not (output / "stale.html").exists()
    assert (output / "index.html").is_file()
    build_module.wait_for_removals()
    assert leftovers(project) == []


def test_the_previous_site_is_set_aside_and_removed_after_the_build(project, monkeypatch):
    """The new site is in place when the build returns; the previous one, renamed aside after
    the process that removes it, goes meanwhile (issue 21: off the critical path)."""
    output = build(project)
    (output / "stale.html").write_text("from an older build", encoding="utf-8")
    old_inode = output.stat().st_ino
    gate = project / "remove-now"
    wait = f"while not pathlib.Path({str(gate)!r}).exists(): time.sleep(0.01)\n"
    held = "import pathlib, time\n" + wait  # the removal starts when the test lets it
    monkeypatch.setattr(build_module, "REMOVER", held + build_module.REMOVER)
    build(project)
    assert not (output / "stale.html").exists()
    [aside] = leftovers(project)
    [remover] = build_module.REMOVING
    assert aside.startswith(f".output-old-{remover.pid}-")  # alive: no later build removes it
    assert (project / aside).stat().st_ino == old_inode
    assert (project / aside / "stale.html").is_file()
    build_module.remove_stale(output)
    assert leftovers(project) == [aside]
    gate.touch()
    build_module.wait_for_removals()
    assert leftovers(project) == []


def test_a_site_set_aside_by_a_remover_that_died_is_removed_by_the_next_build(project):
    output = build(project)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    (project / f".output-old-{int(dead.stdout)}-0").mkdir()
    build_module.remove_stale(output)
    build_module.wait_for_removals()
    assert leftovers(project) == []


def test_the_exchange_swaps_two_folders_atomically(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a", encoding="utf-8")
    (b / "x").write_text("b", encoding="utf-8")
    if not build_module.exchange(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available on this system")
    assert (a / "x").read_text(encoding="utf-8") == "b"
    assert (b / "x").read_text(encoding="utf-8") == "a"
