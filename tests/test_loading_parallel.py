"""Forum files read by worker processes (forums.ForumReading) give what reading them in order
in-process gives: the same forums in the same order, and the same errors."""

from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
import shutil
from pathlib import Path

import pytest
from conftest import SITE_DATA, TODAY
from uhc_portal import dataset, forums
from uhc_portal.errors import DataErrors

INVALID_FORUMS = Path(__file__).parent / "invalid" / "forums"


def data_with_forums(tmp_path: Path, broken: bool) -> Path:
    data = tmp_path / "data"
    shutil.copytree(SITE_DATA, data)
    wajo = next((data / "forums").glob("*.yaml")).read_text(encoding="utf-8")
    for n in range(7):
        (data / "forums" / f"2021-0{n + 1}-01-salinan-{n}.yaml").write_text(wajo, "utf-8")
    if broken:
        for fixture in sorted(INVALID_FORUMS.glob("*.yaml")):
            shutil.copy(fixture, data / "forums" / fixture.name)
    return data


def load(data: Path, parallel: bool, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as patch:
        patch.setattr(forums, "PARALLEL_FORUMS_FROM", 2 if parallel else 10**9)
        patch.setattr(forums, "usable_cores", lambda: 3)  # three workers, on any machine
        started: list[object] = []
        real_pool = forums.spawn_pool
        patch.setattr(forums, "spawn_pool", lambda n: started.append(n) or real_pool(n))
        try:
            result = dataset.load_dataset(data, TODAY)
        except DataErrors as errors:
            result = errors.errors
        assert started == ([3] if parallel else [])
        return result


def test_workers_read_the_same_forums_in_the_same_order(tmp_path, monkeypatch):
    data = data_with_forums(tmp_path, broken=False)
    serial = load(data, False, monkeypatch)
    parallel = load(data, True, monkeypatch)
    assert len(serial.forums) == 8
    assert parallel.forums == serial.forums
    assert [f.slug for f in parallel.forums] == [f.slug for f in serial.forums]


def test_workers_report_the_same_errors(tmp_path, monkeypatch):
    data = data_with_forums(tmp_path, broken=True)
    serial = load(data, False, monkeypatch)
    parallel = load(data, True, monkeypatch)
    assert len({e.file for e in serial}) == len(list(INVALID_FORUMS.glob("*.yaml")))
    assert parallel == serial


class BrokenPool:
    """A pool whose workers all died, as when a script starts a build on import."""

    def submit(self, *args, **kwargs) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        future.set_exception(concurrent.futures.process.BrokenProcessPool("worker died"))
        return future

    def shutdown(self, cancel_futures: bool = False) -> None:
        pass


def test_a_failed_worker_means_reading_in_process(tmp_path, monkeypatch):
    data = data_with_forums(tmp_path, broken=False)
    serial = load(data, False, monkeypatch)
    monkeypatch.setattr(forums, "PARALLEL_FORUMS_FROM", 2)
    monkeypatch.setattr(forums, "usable_cores", lambda: 2)
    monkeypatch.setattr(forums, "spawn_pool", lambda n: BrokenPool())
    assert dataset.load_dataset(data, TODAY).forums == serial.forums
