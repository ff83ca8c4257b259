"""Charts as a reader sees them: headless Chromium, JavaScript off, on a phone and a desktop.

Chromium is driven over the DevTools protocol on a pipe (no network port, no extra package):
`--screenshot` and `--dump-dom` print nothing in this Chromium once scripts are disabled, while
`Emulation.setScriptExecutionDisabled` does exactly "JavaScript off" and lets us also record
every request a page makes.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import functools
import http.server
import json
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest
from conftest import CHROMIUM_FLAGS, soup

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium "
        "(apt-get install chromium); the charts are checked without a browser "
        "in test_charts.py",
    ),
]


class Chromium:
    """Just enough of the DevTools protocol over --remote-debugging-pipe (fd 3 in, fd 4 out)."""

    def __init__(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="uhc-chromium-")
        commands_in, commands_out = high_pipe()
        replies_in, replies_out = high_pipe()
        flags = [
            *CHROMIUM_FLAGS,
            "--hide-scrollbars",
            "--mute-audio",
            f"--user-data-dir={self.profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        # Chromium reads commands on fd 3 and writes replies on fd 4; bash puts them there.
        remap = (
            f'exec "$0" "$@" 3<&{commands_in} 4>&{replies_out} {commands_in}<&- {replies_out}>&-'
        )
        self.process = subprocess.Popen(
            ["/bin/bash", "-c", remap, str(CHROMIUM), *flags],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(commands_in, replies_out),
        )
        os.close(commands_in)
        os.close(replies_out)
        self.to_browser, self.from_browser = commands_out, replies_in
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def receive(self) -> dict:
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for(self, method: str, session: str) -> dict:
        for index, event in enumerate(self.events):
            if event.get("method") == method and event.get("sessionId") == session:
                return self.events.pop(index)
        while True:
            event = self.receive()
            if event.get("method") == method and event.get("sessionId") == session:
                return event
            self.events.append(event)

    def visit(
        self, url: str, width: int, scripts: bool = False, expression: str | None = None
    ) -> tuple[bytes, str, list[str]]:
        """(full-page PNG, DOM as HTML, URLs of every request) for `url` at `width` px; with
        `expression`, its value (evaluated by DevTools after load) instead of the DOM."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        self.send("Network.enable", {}, session)
        self.send("Page.enable", {}, session)
        self.send("Emulation.setScriptExecutionDisabled", {"value": not scripts}, session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600},
            session,
        )
        self.events.clear()
        self.send("Page.navigate", {"url": url}, session)
        self.wait_for("Page.loadEventFired", session)
        if scripts:  # let the page's scripts finish (the interactive chart renders after load)
            self.send(
                "Runtime.evaluate",
                {"expression": "new Promise(r => setTimeout(r, 1500))", "awaitPromise": True},
                session,
            )
        if expression is None:
            root = self.send("DOM.getDocument", {"depth": -1}, session)["root"]
            html = self.send("DOM.getOuterHTML", {"nodeId": root["nodeId"]}, session)["outerHTML"]
        else:
            html = self.send(
                "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session
            )["result"]["value"]
        shot = self.send(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session
        )
        requests = [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent" and e.get("sessionId") == session
        ]
        self.send("Target.closeTarget", {"targetId": target})
        return base64.b64decode(shot["data"]), html, requests

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.to_browser)
        os.close(self.from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    chromium = Chromium()
    yield chromium
    chromium.close()


def high_pipe() -> tuple[int, int]:
    """A pipe whose ends are numbered 10 or more, so that remapping onto 3 and 4 is safe."""
    low = os.pipe()
    ends = tuple(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in low)
    for fd in low:
        os.close(fd)
    return ends


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def local_only(requests: list[str]) -> list[str]:
    return [url for url in requests if not url.startswith(("file://", "data:", "about:"))]


@pytest.mark.parametrize("width", [360, 1280])
def test_wajo_chart_shows_with_javascript_off(real_site, browser, width, tmp_path):
    page = real_site / "wilayah" / "73.13" / "index.html"
    png, html, requests = browser.visit(page.as_uri(), width)
    (tmp_path / f"wajo-{width}.png").write_bytes(png)
    dom = soup_of(html)
    svg = dom.select_one("figure.chart svg[role=img]")
    assert svg is not None, "the chart's SVG is in the page as the browser built it"
    assert "82,77" in svg.find("desc").get_text()
    shot_width, shot_height = png_size(png)
    assert shot_width == width and shot_height > 1500
    assert len(png) > 40_000, "a screenshot with a chart is not a blank page"
    assert not local_only(requests), f"requests to another host: {local_only(requests)}"


WIDER_THAN_SHOWN = """JSON.stringify([...document.querySelectorAll('.scroll')]
  .filter(box => box.scrollWidth > box.clientWidth + 1)
  .map(box => (box.querySelector('caption') || box).textContent.trim()))"""


@pytest.mark.parametrize(
    "page",
    ["index.html", "wilayah/index.html", "wilayah/73/index.html", "wilayah/73.13/index.html"],
)
def test_tables_fit_a_phone_without_scrolling_sideways(real_site, browser, page, tmp_path):
    """At 360 px every table shows all its columns: region lists become one card per region
    (name; coverage, date, status, code), a region's figures one labelled block per date."""
    png, overflowing, _ = browser.visit(
        (real_site / page).as_uri(), 360, expression=WIDER_THAN_SHOWN
    )
    (tmp_path / "phone.png").write_bytes(png)
    assert json.loads(overflowing) == [], f"tables wider than the phone on {page}"
    assert png_size(png)[0] == 360


def test_pages_load_nothing_from_another_host(real_site, browser):
    pages = [
        real_site / "index.html",
        real_site / "wilayah" / "73" / "index.html",
        real_site / "wilayah" / "73.13" / "index.html",
        real_site / "wilayah" / "16.73" / "index.html",
    ]
    for page in pages:
        _png, _html, requests = browser.visit(page.as_uri(), 1280)
        assert requests, f"{page} was loaded"
        assert not local_only(requests), f"{page}: {local_only(requests)}"


@pytest.fixture(scope="module")
def served(real_site):
    """The built site over HTTP on 127.0.0.1 (browsers refuse fetch() from file:// pages)."""
    handler = functools.partial(QuietHandler, directory=str(real_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def test_interactive_view_runs_only_from_this_site(served, browser, tmp_path):
    """The opt-in view renders the chart with the vendored script and fetches nothing else."""
    url = f"{served}/grafik/?c=wilayah/73.13/grafik-73.13"
    png, html, requests = browser.visit(url, 1280, scripts=True)
    (tmp_path / "interaktif.png").write_bytes(png)
    assert all(r.startswith(served + "/") for r in requests), requests
    assert any(r.endswith("grafik/vega-bundle.js") for r in requests)
    assert soup_of(html).select_one("#grafik-interaktif svg") is not None, "vega-embed drew it"


def test_region_page_loads_no_script(real_site, browser):
    _png, _html, requests = browser.visit(
        (real_site / "wilayah" / "73.13" / "index.html").as_uri(), 360, scripts=True
    )
    assert not [r for r in requests if r.endswith(".js")]


def soup_of(html: str):
    path = Path(tempfile.mkstemp(suffix=".html")[1])
    try:
        path.write_text(html, encoding="utf-8")
        return soup(path)
    finally:
        path.unlink()


def test_the_data_guide_scrolls_sideways_only_inside_its_examples(real_site, browser, tmp_path):
    """At 360 px the guide's wide examples (the import's output, the sheet's table) scroll in
    their own boxes; the page itself stays as wide as the phone."""
    page = (real_site / "panduan-data" / "index.html").as_uri()
    png, width, _ = browser.visit(page, 360, expression="document.documentElement.scrollWidth")
    (tmp_path / "panduan-360.png").write_bytes(png)
    assert int(width) <= 360
