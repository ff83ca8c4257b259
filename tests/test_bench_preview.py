"""The bench's preview harness (benchmarks.preview) against small stand-ins for
`python -m uhc_portal serve`: one that keeps the contract (ready line, a region page rebuilt
when a data row changes, an update line), one that fails at once, one that never gets ready
and ignores Ctrl-C. Every one of them must be gone when the harness returns."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest

from benchmarks import preview, synthetic

SMALL = synthetic.Size(provinces=2, regencies=6, months=14, forums=2, sources=2)

# Builds output/wilayah/<code>/index.html from each region's rows, into a new folder swapped
# in whole (so the page is briefly missing), then watches data/ and rebuilds.
FAKE_SERVER = textwrap.dedent(
    """\
    import argparse, os, shutil, sys, time
    from pathlib import Path

    parser = argparse.ArgumentParser()
    parser.add_argument("--settings", type=Path)
    parser.add_argument("--output", type=Path)
    parser.add_argument("--port")
    parser.add_argument("--bind")
    parser.add_argument("--pid-file", type=Path)
    parser.add_argument("--fail", action="store_true")
    args = parser.parse_args()
    args.pid_file.write_text(str(os.getpid()))
    data = args.settings.parent / "data"

    def state():
        return sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                      for p in (data / "coverage").glob("*.csv"))

    def build():
        new = args.output.with_name("output.new")
        shutil.rmtree(new, ignore_errors=True)
        rows = {}
        for path in sorted((data / "coverage").glob("*.csv")):
            for line in path.read_text().splitlines()[1:]:
                rows.setdefault(line.split(",")[0], []).append(line)
        for code, lines in rows.items():
            page = new / "wilayah" / code / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text("<table>" + "".join(f"<tr>{l}</tr>" for l in lines) + "</table>")
        time.sleep(0.1)  # the rest of a build
        old = args.output.with_name("output.old")
        if args.output.exists():
            args.output.rename(old)
        new.rename(args.output)
        shutil.rmtree(old, ignore_errors=True)

    build()
    print("uhc_portal: site built", flush=True)
    print(f"Pratinjau siap: http://{args.bind}:{args.port}/", flush=True)
    seen = state()
    while True:
        time.sleep(0.02)
        if state() != seen:
            time.sleep(0.05)  # the watcher's debounce
            seen = state()
            if args.fail:
                print("data/coverage/x.csv, baris 2: angka tidak sah", flush=True)
                print("Gagal: data/coverage/x.csv (0.01 s)", flush=True)
                continue
            build()
            print("Diperbarui: 1 berkas data berubah", flush=True)
    """
)


def gone(pid_file: Path) -> bool:
    try:
        os.kill(int(pid_file.read_text()), 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    synthetic.generate(project / "data", SMALL)
    (project / "pelicanconf.py").write_text("# settings\n")
    return project


def fake_server(tmp_path: Path, project: Path, *extra: str) -> list[str]:
    script = tmp_path / "fake_serve.py"
    script.write_text(FAKE_SERVER)
    command = [sys.executable, str(script), "--settings", str(project / "pelicanconf.py")]
    command += ["--output", str(project / "output"), "--port", str(preview.free_port())]
    return [*command, "--bind", "127.0.0.1", "--pid-file", str(tmp_path / "server.pid"), *extra]


def measure(tmp_path: Path, project: Path, command: list[str], codes: list[str]):
    return preview.measure_preview(
        command,
        project,
        dict(os.environ),
        project / "output",
        codes,
        lambda code: synthetic.change_one_row(project / "data", code),
        tmp_path / "preview.log",
        ready_timeout=30,
        change_timeout=30,
        settle=0.2,
        grace=5,
    )


def test_each_edit_is_timed_until_its_region_page_changes(tmp_path: Path, project: Path):
    codes = synthetic.regency_codes(SMALL)[1:4]
    measured = measure(tmp_path, project, fake_server(tmp_path, project), codes)

    assert measured.reason is None
    assert [e.region for e in measured.edits] == codes
    for edit in measured.edits:
        page = (project / "output" / "wilayah" / edit.region / "index.html").read_text()
        assert f"<tr>{edit.line}</tr>" in page, "the page shows the edited row"
        # The fake's debounce and build take 0.15 s at least; a loaded machine may take longer.
        assert 0.1 < edit.page_s < 20
        assert edit.updated_s >= edit.page_s
    assert measured.median_s == sorted(e.page_s for e in measured.edits)[1]
    assert measured.ready_s is not None and measured.ready_s > 0
    assert "Diperbarui:" in (tmp_path / "preview.log").read_text()
    assert gone(tmp_path / "server.pid"), "the server is stopped"


def test_a_failed_rebuild_ends_the_figure_at_once_with_its_errors(tmp_path: Path, project: Path):
    command = fake_server(tmp_path, project, "--fail")
    measured = measure(tmp_path, project, command, synthetic.regency_codes(SMALL)[1:4])
    assert measured.edits == []
    assert measured.reason == (
        "the server's rebuild failed: data/coverage/x.csv, baris 2: angka tidak sah | "
        "Gagal: data/coverage/x.csv (0.01 s)"
    )
    assert gone(tmp_path / "server.pid")


def test_a_server_that_fails_at_once_is_reported_not_measured(tmp_path: Path, project: Path):
    command = [sys.executable, "-c", "import sys; sys.exit('uhc_portal: error: invalid choice')"]
    measured = preview.measure_preview(
        command,
        project,
        dict(os.environ),
        project / "output",
        ["11.01"],
        lambda code: pytest.fail("no row is edited when the server is not ready"),
        tmp_path / "preview.log",
        ready_timeout=30,
    )
    assert measured.edits == [] and measured.median_s is None
    assert measured.reason is not None
    assert "the server stopped (exit 1) before 'Pratinjau siap:'" in measured.reason
    assert "invalid choice" in measured.reason


def test_a_server_never_ready_is_stopped_even_if_it_ignores_ctrl_c(tmp_path: Path, project: Path):
    pid_file = tmp_path / "server.pid"
    code = (
        "import os, signal, sys, time\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        f"open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        "print('building', flush=True)\n"
        "time.sleep(60)\n"
    )
    measured = preview.measure_preview(
        [sys.executable, "-c", code],
        project,
        dict(os.environ),
        project / "output",
        ["11.01"],
        lambda code: pytest.fail("no row is edited when the server is not ready"),
        tmp_path / "preview.log",
        ready_timeout=1.5,
        grace=1,
    )
    assert measured.reason == "no 'Pratinjau siap:' line after 1.5 s"
    assert gone(pid_file)
