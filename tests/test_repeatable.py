"""Two builds of the same commit give byte-identical output, whatever PYTHONHASHSEED, the files'
modification times, the checkout's location, the time zone or the clock say.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, build, make_project
from pagefind_files import decode, filters
from support import first_difference, stable, tree

# Loaded by `site` at interpreter start (PYTHONPATH): moves the clock UHC_FAKE_DAYS days ahead.
# date/datetime are replaced by subclasses whose metaclass keeps isinstance() true for real
# dates, as freezegun does; time.time moves too (date.today() reads it).
FAKE_CLOCK = """
import datetime, os, time

_days = int(os.environ["UHC_FAKE_DAYS"])
_shift = datetime.timedelta(days=_days)
_date, _datetime, _time = datetime.date, datetime.datetime, time.time


class _DateMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, _date)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, _date)


class _DatetimeMeta(_DateMeta):
    def __instancecheck__(cls, obj):
        return isinstance(obj, _datetime)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, _datetime)


class FakeDate(_date, metaclass=_DateMeta):
    @classmethod
    def today(cls):
        return _date.today() + _shift


class FakeDatetime(_datetime, metaclass=_DatetimeMeta):
    @classmethod
    def now(cls, tz=None):
        return _datetime.now(tz) + _shift

    @classmethod
    def utcnow(cls):
        return _datetime.now(datetime.timezone.utc).replace(tzinfo=None) + _shift

    @classmethod
    def today(cls):
        return _datetime.today() + _shift


datetime.date, datetime.datetime = FakeDate, FakeDatetime
time.time = lambda: _time() + _shift.total_seconds()
"""


def build_in_subprocess(project: Path, hashseed: str, tz: str, fake_days: int | None) -> Path:
    paths = [str(ROOT / "plugins")]
    env = {**os.environ, "PYTHONHASHSEED": hashseed, "TZ": tz}
    env.pop("SOURCE_DATE_EPOCH", None)
    if fake_days is not None:
        shim = project.parent / "shim"
        shim.mkdir()
        (shim / "sitecustomize.py").write_text(FAKE_CLOCK, encoding="utf-8")
        paths.insert(0, str(shim))
        env["UHC_FAKE_DAYS"] = str(fake_days)
    env["PYTHONPATH"] = os.pathsep.join(paths)
    result = subprocess.run(
        [sys.executable, "-m", "uhc_portal", "build", "--output", "output"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return project / "output"


def test_two_builds_are_byte_identical(real_site, tmp_path):
    """The session's build of data/ (in-process, PYTHONHASHSEED of the test run, UHC_TODAY fixed)
    against a command-line build elsewhere, with another hash seed, time zone, old file times
    and a clock three years ahead."""
    project = make_project(tmp_path / "elsewhere" / "deeper" / "project", ROOT / "data")
    for path in (project / "data").rglob("*"):
        os.utime(path, (946684800, 946684800))  # 2000-01-01: files checked out long ago
    os.utime(project / "pelicanconf.py", (4102444800, 4102444800))  # 2100-01-01
    output = build_in_subprocess(project, "4242", "Pacific/Kiritimati", 3 * 365 + 17)
    first, second = tree(real_site), tree(output)
    assert len(first) > 500
    assert first_difference(stable(first), stable(second)) == ""
    assert_same_search_index(real_site / "pagefind", output / "pagefind")


def assert_same_search_index(first: Path, second: Path) -> None:
    """Pagefind keeps filters and their values in a HashMap seeded anew each run (docs/search.md):
    only their order, and so the filter chunks' hash names and the two files naming
    them, may differ between two builds.
    Everything else in the bundle is compared byte for byte by the caller."""
    assert filters(first) == filters(second)  # same values, each with the same pages
    assert filters(first)["status"], "the status filter is in the index"
    meta_first, meta_second = (decode(next(b.glob("pagefind.*.pf_meta"))) for b in (first, second))
    names = [sorted(name for name, _chunk in meta[3]) for meta in (meta_first, meta_second)]
    assert names[0] == names[1] == ["province", "status"]
    assert meta_first[:3] + meta_first[4:] == meta_second[:3] + meta_second[4:]
    entries = [json.loads((b / "pagefind-entry.json").read_text()) for b in (first, second)]
    for entry in entries:
        entry["languages"]["id"].pop("hash")  # names the meta file above
    assert entries[0] == entries[1]


def test_the_fake_clock_really_moves_the_clock(tmp_path):
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(FAKE_CLOCK, encoding="utf-8")
    code = (
        "import datetime as d, time; from babel.dates import format_date; "
        "print(d.date.today().year - d.date.fromtimestamp(0).year > 60, "
        "isinstance(d.date(2020, 1, 1) + d.timedelta(1), d.date), "
        "format_date(d.date(2020, 1, 2), 'd MMMM y', locale='id'))"
    )
    env = {**os.environ, "PYTHONPATH": str(shim), "UHC_FAKE_DAYS": str(365 * 10)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "True", "2", "Januari", "2020"]


def test_a_site_without_forums_has_a_feed_date_from_no_clock(project, monkeypatch):
    """With no forum to date it, the forum feed's <updated> is the epoch, whatever the clock
    says: the clock (datetime.now, date.today, time.time) is moved to 2099 for the second build."""
    for forum in (project / "data" / "forums").iterdir():
        forum.unlink()
    first = (build(project) / "forum" / "atom.xml").read_bytes()
    import datetime
    import time

    real_datetime, real_date = datetime.datetime, datetime.date

    class Later(real_datetime):
        @classmethod
        def now(cls, tz=None):
            return real_datetime(2099, 1, 1, tzinfo=tz)

        @classmethod
        def utcnow(cls):
            return real_datetime(2099, 1, 1)

    class LaterDate(real_date):
        @classmethod
        def today(cls):
            return real_date(2099, 1, 1)

    monkeypatch.setattr(datetime, "datetime", Later)
    monkeypatch.setattr(datetime, "date", LaterDate)
    monkeypatch.setattr(time, "time", lambda: 4070908800.0)  # 2099-01-01
    assert (build(project) / "forum" / "atom.xml").read_bytes() == first
    assert b"<updated>1970-01-01T00:00:00+00:00</updated>" in first
