"""`python -m uhc_portal serve`: build, serve the output, rebuild on every edit, reload the page.

The pages on disk are exactly what `make html` writes: the reload script is put into each HTML
response in memory, at serve time, and itself lives in this package, never in the theme. Every
rebuild is the build's own strict, atomic one, so a failed build leaves the last good pages up;
its errors go to the terminal and, through the script, to a banner on the open page.
"""

from __future__ import annotations

import http.server
import io
import json
import os
import re
import signal
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from watchfiles import Change, watch

from .i18n import LOCALE_DIR, N_, SOURCE_LANGUAGE, _, translations

PREFIX = "/_pratinjau/"  # reserved: no page of the site lives under it
SCRIPT_URL = PREFIX + "muat-ulang.js"
SCRIPT_FILE = Path(__file__).with_name("preview.js")
WATCHED = ("data", "content", "theme")  # beside the settings file, with the settings file
LONG_POLL_SECONDS = 25.0  # a status request waits this long for a build before it answers
BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)

# The banner's words, in the language of the page that asks (its <html lang>).
BANNER = {
    "title": N_("Pembangunan gagal"),
    "explanation": N_(
        "Halaman ini masih dari pembangunan terakhir yang berhasil. Perbaiki galat di bawah lalu "
        "simpan berkasnya: halaman dimuat ulang sendiri setelah pembangunan berhasil."
    ),
    "line": N_("baris %(n)s"),
}


# ---------------------------------------------------------------------------------------------
# What the open pages learn: the last good build and the last build's errors


@dataclass
class BuildState:
    """Shared between the builder (main thread) and the request threads waiting on it.

    `version` names the last good build (with the server's start, so a restarted server's pages
    reload too); `generation` counts every build, good or failed, so a waiting page hears of
    each; `errors` are the last build's, empty when it succeeded.
    """

    started: int = field(default_factory=time.time_ns)
    good_builds: int = 0
    generation: int = 0
    errors: list[dict] = field(default_factory=list)
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def version(self) -> str:
        return f"{self.started:x}-{self.good_builds}"

    def built(self, errors: list[dict]) -> None:
        with self.changed:
            if not errors:
                self.good_builds += 1
            self.errors = errors
            self.generation += 1
            self.changed.notify_all()

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()

    def status(self, seen: str, timeout: float = LONG_POLL_SECONDS) -> dict:
        """The state, once its generation differs from `seen` (or after `timeout`)."""
        with self.changed:
            self.changed.wait_for(
                lambda: self.stopping or str(self.generation) != seen, timeout=timeout
            )
            return {"versi": self.version, "generasi": self.generation, "galat": self.errors}


def error_items(exc: BaseException) -> list[dict]:
    """A failed build's errors as the banner lists them: file, line, what is wrong."""
    from .errors import DataErrors

    if isinstance(exc, DataErrors):
        return [
            {"berkas": e.file, "baris": e.line, "pesan": f"{e.message()} [{e.kind}]"}
            for e in exc.errors
        ]
    # A template's syntax error knows its file and line; anything else is told as it was raised.
    return [
        {
            "berkas": str(getattr(exc, "filename", None) or ""),
            "baris": int(getattr(exc, "lineno", None) or 0),
            "pesan": f"{type(exc).__name__}: {exc}",
        }
    ]


def error_report(exc: BaseException) -> str:
    """The terminal's report: DataErrors' own (file:line: field: expected), else the error."""
    from .errors import DataErrors

    if isinstance(exc, DataErrors):
        return exc.report()
    return "\n".join(
        f"  {item['berkas']}:{item['baris']}: {item['pesan']}"
        if item["berkas"]
        else f"  {item['pesan']}"
        for item in error_items(exc)
    )


# ---------------------------------------------------------------------------------------------
# Serving: the output folder as it is now, with the reload script in every HTML page


def inject_reload(html: bytes, version: str) -> bytes:
    """The page with the reload script before its last `</body>` (at its end when it has none)."""
    tag = (
        f'<script src="{SCRIPT_URL}" data-versi="{version}" defer></script>'.encode()
    )  # `version` is hex digits and a dash: nothing to escape
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
            status = self.state.status(query.get("generasi", [""])[0])
            status["teks"] = language_messages(query.get("bahasa", [SOURCE_LANGUAGE])[0])
            body = json.dumps(status, ensure_ascii=False).encode()
            self.send_body(body, "application/json; charset=utf-8")
        else:
            self.send_error(404)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        """A missing page shows the banner too: after a first build that failed, none exists."""
        page = http.server.DEFAULT_ERROR_MESSAGE.encode()
        self.error_message_format = inject_reload(page, self.state.version).decode()
        super().send_error(code, message, explain)

    def send_head(self):
        """HTML pages with the script put in; everything else as the base class sends it."""
        path = self.translate_path(self.path)
        url_path = urllib.parse.urlsplit(self.path).path
        if os.path.isdir(path) and url_path.endswith("/"):
            path = os.path.join(path, "index.html")
        if not path.endswith((".html", ".htm")) or not os.path.isfile(path):
            return super().send_head()
        version = self.state.version  # read before the page: a build in between reloads it
        try:
            with open(path, "rb") as page:
                html = page.read()
        except OSError:
            self.send_error(404)
            return None
        return self.send_body(inject_reload(html, version), "text/html; charset=utf-8", head=True)

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


def make_server(output: Path, state: BuildState, bind: str, port: int) -> PreviewServer:
    handler = type("Handler", (PreviewHandler,), {"state": state, "output": output.resolve()})
    return PreviewServer((bind, port), handler)


# ---------------------------------------------------------------------------------------------
# The loop: build, serve, watch, rebuild


def say(line: str) -> None:
    print(line, flush=True)


def rebuild(
    build: Callable[[], None], state: BuildState, what: str, done: str = "Diperbarui"
) -> None:
    """One build; its outcome goes to the terminal and to every open page."""
    start = time.perf_counter()
    try:
        build()
    except Exception as exc:  # the server stays up and shows what failed
        seconds = time.perf_counter() - start
        say(error_report(exc))
        state.built(error_items(exc))
        # `Gagal:` and `Diperbarui:` start lines scripts read: Indonesian, never translated.
        say(f"Gagal: {what} ({seconds:.2f} s)")
        return
    seconds = time.perf_counter() - start
    state.built([])
    say(f"{done}: {what} ({seconds:.2f} s)")


def changed_files(changes: Iterable[tuple[Change, str]], root: Path) -> list[str]:
    """The files that changed, relative to the project; not an editor's temporary file, made
    and gone again while it saved (added in this batch and no longer there)."""
    changes = set(changes)
    return sorted(
        {
            os.path.relpath(path, root)
            for _change, path in changes
            if os.path.exists(path) or (Change.added, path) not in changes
        }
    )


def listed(names: list[str], most: int = 5) -> str:
    """`data/coverage/x.csv, theme/css/site.css`, the first `most` and how many more."""
    more = f" (+{len(names) - most})" if len(names) > most else ""
    return ", ".join(names[:most]) + more


def watched_paths(settings_file: Path) -> list[Path]:
    root = settings_file.resolve().parent
    return [settings_file.resolve()] + [root / name for name in WATCHED if (root / name).exists()]


def serve(settings_file: Path, output: Path, bind: str = "127.0.0.1", port: int = 8000) -> int:
    """Build once, serve `output` on `bind:port`, rebuild on every change until interrupted."""
    from .build import build_site

    def build() -> None:
        build_site(settings_file, output)

    # SIGTERM stops the server as Ctrl+C does: a build under way cleans up after itself.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    state = BuildState()
    try:
        server = make_server(output, state, bind, port)
    except OSError as exc:
        print(f"uhc_portal: serve: {bind}:{port}: {exc.strerror}", file=sys.stderr)
        return 2
    thread = threading.Thread(target=server.serve_forever, name="preview-server")
    root = settings_file.resolve().parent
    try:
        rebuild(build, state, f"{output.name}/", done="Dibangun")
        thread.start()
        host, bound_port = server.server_address[:2]
        # `Pratinjau siap:` starts a line that scripts read: kept in Indonesian, untranslated.
        say(f"Pratinjau siap: http://{host}:{bound_port}/")
        paths = watched_paths(settings_file)
        say(
            _("Mengawasi %(p)s; Ctrl+C untuk berhenti.")
            % {"p": ", ".join(os.path.relpath(p, root) for p in paths)}
        )
        for changes in watch(*paths, debounce=50, step=10, raise_interrupt=True):
            if names := changed_files(changes, root):
                rebuild(build, state, listed(names))
    except KeyboardInterrupt:
        pass
    finally:
        state.stop()
        if thread.is_alive():
            server.shutdown()
        server.server_close()
        thread.join()
    say(_("Pratinjau berhenti."))
    return 0
