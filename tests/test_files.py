"""files.py, the build's two ways of writing a file: never through a hard link into the live
site, and whole or not at all."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from uhc_portal.files import atomic_write, unlinked, write_new


def test_write_new_never_writes_through_a_hard_link(tmp_path: Path):
    live = tmp_path / "live" / "index.html"
    live.parent.mkdir()
    live.write_bytes(b"served")
    staged = tmp_path / "staging" / "wilayah" / "index.html"
    staged.parent.mkdir(parents=True)
    os.link(live, staged)
    write_new(staged, b"new")
    assert staged.read_bytes() == b"new"
    assert live.read_bytes() == b"served"
    fresh = tmp_path / "made" / "folder" / "a.csv"
    write_new(fresh, b"x")
    assert fresh.read_bytes() == b"x"


def test_unlinked_leaves_no_file_at_the_name(tmp_path: Path):
    there = tmp_path / "a" / "b.html"
    assert not unlinked(there).exists() and there.parent.is_dir()
    there.write_bytes(b"old")
    assert not unlinked(there).exists()


def test_atomic_write_replaces_whole_and_leaves_no_sibling(tmp_path: Path):
    path = tmp_path / "cache" / "manifest.json"
    atomic_write(path, b"one")
    atomic_write(path, b"two")
    assert path.read_bytes() == b"two"
    assert [p.name for p in path.parent.iterdir()] == ["manifest.json"]
    ordinary = tmp_path / "ordinary"
    ordinary.write_bytes(b"")
    assert stat.S_IMODE(path.stat().st_mode) == stat.S_IMODE(ordinary.stat().st_mode)


def test_a_failed_atomic_write_keeps_the_old_file(tmp_path: Path, monkeypatch):
    path = tmp_path / "coverage.csv"
    path.write_bytes(b"old")

    def refuse(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        atomic_write(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["coverage.csv"]
