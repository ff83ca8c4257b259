"""The preview figure: a row edited in place → the region's page on disk changed, in the
running preview server (`python -m uhc_portal serve`).

The server's contract: it builds once, prints a line starting with `Pratinjau siap:` (then the
address) on standard output, watches data/, content/ and theme/, rebuilds on a change and prints
a line starting with `Diperbarui:` after each update. The delay measured is from just after the
edited file is written and closed to the first read of the region's page whose bytes differ
from before (read every 5 ms, the path opened anew each time: the output folder may be swapped
whole). Each edit waits for the server's `Diperbarui:` line and a few quiet seconds before the
next, so the server is idle when a row is edited.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

READY = "Pratinjau siap:"
UPDATED = "Diperbarui:"
FAILED = "Gagal:"  # a rebuild failed: the server keeps the last good pages
POLL_S = 0.005


class NotMeasured(Exception):
    """Why the preview figure could not be measured (the server failed, stopped or hung)."""


@dataclass
class Edit:
    region: str
    line: str  # the edited CSV row, as written
    page_s: float  # written → the region page's bytes changed
    updated_s: float  # written → the server's `Diperbarui:` line


@dataclass
class Preview:
    edits: list[Edit] = field(default_factory=list)
    ready_s: float | None = None  # server started → `Pratinjau siap:` (its first build)
    tree_rss_mb: float = 0.0  # the server's process tree at its largest, sampled
    reason: str | None = None  # not measured, and why

    @property
    def median_s(self) -> float | None:
        return statistics.median(e.page_s for e in self.edits) if self.edits else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """The preview server in its own process group, its output (stdout and stderr together)
    copied to a log and its lines handed over through a queue."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str], log: Path):
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.tail: list[str] = []
        self.failed: str | None = None  # the last `Gagal:` line
        self.recent: list[str] = []  # lines since the last drain()
        self.log = log.open("w", encoding="utf-8")
        try:
            self.proc = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                encoding="utf-8",
                errors="replace",
                start_new_session=True,
            )
        except OSError:
            self.log.close()
            raise
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.rstrip("\n")
            self.tail = [*self.tail[-9:], line]
            self.recent.append(line)
            if line.startswith(FAILED):
                self.failed = line
            self.lines.put(line)
            if not self.log.closed:
                self.log.write(raw)
                self.log.flush()
        self.lines.put(None)  # end of output

    def wait_for(self, prefix: str, timeout: float) -> str:
        """The next line starting with `prefix`; NotMeasured if the server stops first or is
        silent that long."""
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise NotMeasured(f"no '{prefix}' line after {timeout:g} s")
            try:
                line = self.lines.get(timeout=min(left, 0.5))
            except queue.Empty:
                if self.alive():
                    continue
                self.reader.join(timeout=2)  # its last lines, if its workers let go of the pipe
                try:
                    line = self.lines.get_nowait()
                except queue.Empty:
                    line = None
            if line is None:
                self.lines.put(None)
                code = self.proc.wait()
                last = " | ".join(self.tail[-3:]) or "no output"
                raise NotMeasured(f"the server stopped (exit {code}) before '{prefix}': {last}")
            if line.startswith(prefix):
                return line

    def drain(self) -> None:
        """Forget lines printed so far (the end-of-output mark is kept)."""
        self.failed, self.recent = None, []
        while True:
            try:
                line = self.lines.get_nowait()
            except queue.Empty:
                return
            if line is None:
                self.lines.put(None)
                return

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, grace: float = 10.0) -> None:
        """SIGINT (as Ctrl-C would), then SIGTERM, then SIGKILL, each to the server's own process
        group, until it and its workers are gone."""
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                continue
            if not group_alive(self.proc.pid):
                break
            time.sleep(min(grace, 1.0))  # workers finishing after the server
            if not group_alive(self.proc.pid):
                break
        self.reader.join(timeout=grace)
        self.log.close()


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def wait_changed(page: Path, before: bytes, since: float, timeout: float, server: Server) -> float:
    """Seconds from `since` (a time.perf_counter()) until `page`'s bytes differ from `before`
    (a missing file is not yet a change: the folder may be between two swaps)."""
    while True:
        try:
            now = page.read_bytes()
        except OSError:
            now = before
        elapsed = time.perf_counter() - since
        if now != before:
            return elapsed
        if elapsed > timeout:
            raise NotMeasured(f"{page} unchanged {timeout:g} s after the edit")
        if not server.alive():
            raise NotMeasured(f"the server stopped (exit {server.proc.returncode}) after an edit")
        if server.failed is not None:
            said = " | ".join(server.recent[-5:])
            raise NotMeasured(f"the server's rebuild failed: {said}")
        time.sleep(POLL_S)


def measure_preview(
    command: list[str],
    cwd: Path,
    env: dict[str, str],
    output: Path,
    regions: list[str],
    edit: Callable[[str], str],
    log: Path,
    ready_timeout: float = 600.0,
    change_timeout: float = 300.0,
    settle: float = 3.0,
    grace: float = 10.0,
) -> Preview:
    """Start the server, wait until it is ready, then for each region: `edit(region)` (which
    writes and closes the data file and returns the edited line), time until the region's page
    changes, and wait for the server's update line. The server is stopped in every case."""
    from .memory import TreeSampler

    result = Preview()
    started = time.perf_counter()
    try:
        server = Server(command, cwd, env, log)
    except OSError as exc:
        result.reason = f"the server could not start: {exc}"
        return result
    sampler = TreeSampler(server.proc.pid)
    sampler.start()
    try:
        server.wait_for(READY, ready_timeout)
        result.ready_s = time.perf_counter() - started
        for region in regions:
            time.sleep(settle)
            server.drain()
            page = output / "wilayah" / region / "index.html"
            if not page.is_file():
                raise NotMeasured(f"no page {page} after the server's build")
            before = page.read_bytes()
            line = edit(region)
            written = time.perf_counter()
            page_s = wait_changed(page, before, written, change_timeout, server)
            server.wait_for(UPDATED, change_timeout)
            result.edits.append(Edit(region, line, page_s, time.perf_counter() - written))
    except NotMeasured as exc:
        result.reason = str(exc)
    except Exception as exc:  # the bench goes on without this figure, and says why
        result.reason = f"{type(exc).__name__}: {exc}"
    finally:
        server.stop(grace)
        result.tree_rss_mb = sampler.stop() / 2**20
    return result
