"""The preview's terminal says what a steward acts on and nothing else: pages closed while their
status request waited are normal (no traceback); one bad save fails once ("Gagal" once, though
the editor's save reached the watch as two batches); no Pelican "Done: Processed 0 articles"."""

from __future__ import annotations

import os
import signal
import socket
import struct
import time
import urllib.parse

import pytest
from conftest import make_project
from support import Preview

pytestmark = pytest.mark.slow

BROKEN_ROW = "73.13,2021,38O000,,,97.5,,wajo-2025\n"


def close_while_waiting(address: str, reset: bool) -> None:
    """A page's status request, left before its answer: with a reset (a tab closed) or not."""
    parts = urllib.parse.urlsplit(address)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as page:
        # generasi 1: the first build; the request waits for the next one
        page.sendall(b"GET /_pratinjau/status?generasi=1 HTTP/1.1\r\nHost: pratinjau\r\n\r\n")
        if reset:  # SO_LINGER 0: close() sends RST, the server's write meets ECONNRESET
            page.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        time.sleep(0.2)


def test_closed_pages_a_double_save_and_pelican_say_nothing(tmp_path):
    project = make_project(tmp_path / "project")
    coverage = project / "data" / "coverage"
    header = (coverage / "contoh.csv").read_text(encoding="utf-8").splitlines()[0]
    server = Preview(project)
    try:
        base = server.address()
        server.wait_for("Mengawasi")
        for reset in (True, False, True, False):
            close_while_waiting(base, reset)

        # One save: the bytes, then (as some editors finish a save) the time once more.
        broken = coverage / "rusak.csv"
        broken.write_text(f"{header}\n{BROKEN_ROW}", encoding="utf-8")
        time.sleep(1.0)  # past the watch's debounce: a batch of its own
        later = time.time() + 5
        os.utime(broken, (later, later))
        time.sleep(2.0)  # the waiting requests are answered on the build: into closed sockets

        broken.unlink()
        server.wait_for("Diperbarui:")
    finally:
        assert server.stop(signal.SIGINT) == 0, "\n".join(server.seen)
    server.wait_for("Pratinjau berhenti.", timeout=10)
    said = "\n".join(server.seen)
    assert [line for line in server.seen if line.startswith("Gagal:")] == [
        line for line in server.seen if line.startswith("Gagal: data/coverage/rusak.csv (")
    ]
    assert len([line for line in server.seen if line.startswith("Gagal:")]) == 1, said
    for noise in ("Traceback", "BrokenPipeError", "ConnectionResetError", "Done: Processed"):
        assert noise not in said, said
