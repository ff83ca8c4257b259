"""The preview's server: the output folder as it is now, each HTML page with the reload script,
and the status the script asks for (the last good build, the last build's errors).

The rebuilder (`preview.py`) tells it each build's outcome through a `BuildState`; the pages on
disk are never changed: the script goes into each HTML response, in memory.
"""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import LOCALE_DIR, N_, SOURCE_LANGUAGE, translations

PREFIX = "/_pratinjau/"  # reserved: no page of the site lives under it
SCRIPT_URL = PREFIX + "muat-ulang.js"
SCRIPT_FILE = Path(__file__).with_name("preview.js")
LONG_POLL_SECONDS = 25.0  # a status request waits this long for a build before it answers
PAGE_CHECK_SECONDS = 0.1  # and looks this often whether its page's file changed meanwhile
BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)

# The banner's words, in the language of the page that asks (its <html lang>).
BANNER = {
    "title": N_("Pembangunan gagal"),
    "explanation": N_(
        "Halaman ini dari pembangunan terakhir yang berhasil. Perbaiki lalu simpan: halaman "
        "dimuat ulang sendiri."
    ),
    "line": N_("baris %(n)s"),
    "edited": N_("Baru diubah: %(f)s"),
}


# ---------------------------------------------------------------------------------------------
# What the open pages learn: the last good build and the last build's errors


def listed(names: list[str], most: int = 5) -> str:
    """`data/coverage/x.csv, theme/css/site.css`, the first `most` and how many more."""
    more = f" (+{len(names) - most})" if len(names) > most else ""
    return ", ".join(names[:most]) + more


@dataclass
class BuildState:
    """Shared between the builder (main thread) and the request threads waiting on it.

    `version` names the last good build (with the server's start, so a restarted server's pages
    reload too); `generation` counts every build, good or failed, so a waiting page hears of
    each; `errors` are the last build's, empty when it succeeded.
    """

    started: int = field(default_factory=time.time_ns)
    good: list[list[str]] = field(default_factory=list)  # the files each good build followed
    generation: int = 0
    errors: list[dict] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)  # the files the last build followed
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def version(self) -> str:
        return f"{self.started:x}-{len(self.good)}"

    def built(self, errors: list[dict], edited: list[str]) -> None:
        with self.changed:
            if not errors:
                self.good.append(edited)
            self.errors, self.edited = errors, edited
            self.generation += 1
            self.changed.notify_all()

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()

    def status(
        self,
        seen: str,
        page: Callable[[], str] = lambda: "",
        shown: str = "",
        timeout: float = LONG_POLL_SECONDS,
    ) -> dict:
        """The state once its generation differs from `seen`, or the page's content (`page()`)
        from what was `shown` (the build writes changed pages into the served site first), or
        after `timeout`."""
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0 and page() == shown:
            with self.changed:
                if self.changed.wait_for(
                    lambda: self.stopping or str(self.generation) != seen,
                    timeout=min(left, PAGE_CHECK_SECONDS),
                ):
                    break
        with self.changed:
            return {
                "versi": self.version,
                "generasi": self.generation,
                "galat": self.errors,
                "diubah": listed(self.edited),
            }

    def must_reload(self, version: str, shown: str, now: str) -> bool:
        """Whether a page served at `version` with the content digest `shown` is out of date:
        its file differs now, or a good build since followed more than a data file (a
        stylesheet or template may have changed what the same HTML looks like)."""
        if now != shown:
            return True
        started, _, count = version.rpartition("-")
        if started != f"{self.started:x}" or not count.isdigit():
            return True  # served by an earlier server
        with self.changed:
            since = self.good[int(count) :]
        if count == "0":  # served before this server's first good build, from an older output
            return bool(since)
        return any(not name.startswith("data/") for edited in since for name in edited)


def digest(html: bytes) -> str:
    return hashlib.blake2b(html, digest_size=8).hexdigest()


def content_digest(path: str | None) -> str:
    """The digest of a page file's bytes; "" when there is none."""
    try:
        with open(path or "", "rb") as page:
            return digest(page.read())
    except OSError:
        return ""


# ---------------------------------------------------------------------------------------------
# Serving: the output folder as it is now, with the reload script in every HTML page


def inject_reload(html: bytes, version: str, shown: str) -> bytes:
    """The page with the reload script before its last `</body>` (at its end when it has none);
    the script is told the build and the content digest of the page it was served in."""
    tag = (
        f'<script src="{SCRIPT_URL}" data-versi="{version}" data-isi="{shown}" defer></script>'
    ).encode()  # both are hex digits and dashes: nothing to escape
    ends = list(BODY_END.finditer(html))
    if not ends:
        return html + tag
    at = ends[-1].start()
    return html[:at] + tag + html[at:]


def language_messages(language: str) -> dict[str, str]:
    """The banner's words in `language`, or in Indonesian when the site has no such catalogue."""
    known = {SOURCE_LANGUAGE} | {p.name for p in LOCALE_DIR.iterdir() if p.is_dir()}
    catalogue = translations(language if language in known else SOURCE_LANGUAGE)
    return {key: catalogue.gettext(message) for key, message in BANNER.items()}


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Files from the output folder, looked up by path on every request: the build swaps the
    folder whole, so holding a descriptor or working directory in it would serve the old site."""

    state: BuildState
    output: Path
    timeout = 10  # a connection that sends nothing frees its thread

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self.output), **kwargs)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # every reload shows the newest build
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        """Quiet: the terminal is for builds and their errors."""

    def do_GET(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith(PREFIX):
            self.reserved(path)
        else:
            super().do_GET()

    def reserved(self, path: str) -> None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        if path == SCRIPT_URL:
            self.send_body(SCRIPT_FILE.read_bytes(), "text/javascript; charset=utf-8")
        elif path == PREFIX + "status":
            asked = {key: values[0] for key, values in query.items()}
            page = self.page_file(asked.get("halaman", ""))
            shown = asked.get("isi", "")
            status = self.state.status(
                asked.get("generasi", ""), lambda: content_digest(page), shown
            )
            status["muat_ulang"] = self.state.must_reload(
                asked.get("versi", ""), shown, content_digest(page)
            )
            status["teks"] = language_messages(asked.get("bahasa", SOURCE_LANGUAGE))
            body = json.dumps(status, ensure_ascii=False).encode()
            self.send_body(body, "application/json; charset=utf-8")
        else:
            self.send_error(404)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        """A missing page shows the banner too: after a first build that failed, none exists."""
        page = http.server.DEFAULT_ERROR_MESSAGE.encode()
        self.error_message_format = inject_reload(page, self.state.version, "").decode()
        super().send_error(code, message, explain)

    def page_file(self, url_path: str) -> str | None:
        """The HTML file an address shows (a folder's index.html), or None for anything else."""
        path = self.translate_path(url_path)
        if os.path.isdir(path) and urllib.parse.urlsplit(url_path).path.endswith("/"):
            path = os.path.join(path, "index.html")
        return path if path.endswith((".html", ".htm")) else None

    def send_head(self):
        """HTML pages with the script put in; everything else as the base class sends it."""
        path = self.page_file(self.path)
        if path is None or not os.path.isfile(path):
            return super().send_head()
        version = self.state.version  # read before the page: a build in between reloads it
        try:
            with open(path, "rb") as page:
                html = page.read()
        except OSError:
            self.send_error(404)
            return None
        page = inject_reload(html, version, digest(html))
        return self.send_body(page, "text/html; charset=utf-8", head=True)

    def send_body(self, body: bytes, content_type: str, head: bool = False):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if head:  # send_head's caller copies the body (not for HEAD requests)
            return io.BytesIO(body)
        self.wfile.write(body)
        return None


class PreviewServer(http.server.ThreadingHTTPServer):
    """Request threads are daemons: a browser's idle preconnection must not hold up the exit;
    status requests waiting for a build are woken and answered before the server closes."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A page closed or reloaded while its request waited is normal: nothing to say."""
        if isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipe-, ConnectionResetError
            return
        super().handle_error(request, client_address)


def make_server(output: Path, state: BuildState, bind: str, port: int) -> PreviewServer:
    handler = type("Handler", (PreviewHandler,), {"state": state, "output": output.resolve()})
    return PreviewServer((bind, port), handler)
