"""The preview server without a browser: the reload script put into HTML responses only, in
memory; the output folder looked up afresh on every request; builds told to waiting pages."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from uhc_portal.errors import DataError, DataErrors
from uhc_portal.preview import (
    changed_files,
    edits,
    error_items,
    files_now,
    forget_logged_warnings,
    logged_problems,
)
from uhc_portal.preview_server import (
    SCRIPT_URL,
    BuildState,
    digest,
    inject_reload,
    listed,
    make_server,
)
from watchfiles import Change

PAGE = (
    b'<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8"><title>Wajo</title></head>'
    b"<body><p>Peserta JKN 311.536 jiwa</p></body></html>\n"
)


def scripts_of(html: bytes) -> list[dict]:
    return [tag.attrs for tag in BeautifulSoup(html, "html.parser").find_all("script")]


def test_the_script_goes_before_the_last_body_end():
    html = inject_reload(PAGE.replace(b"</body>", b"</BODY >"), "ab-3", "0f")
    page = BeautifulSoup(html, "html.parser")
    script = page.body.contents[-1]
    assert (script.name, script["src"]) == ("script", SCRIPT_URL)
    assert (script["data-versi"], script["data-isi"]) == ("ab-3", "0f")
    assert script.has_attr("defer")
    assert page.body.p.get_text() == "Peserta JKN 311.536 jiwa"  # the page itself unchanged
    assert html.replace(html[html.index(b"<script") : html.index(b"</script>") + 9], b"") == (
        PAGE.replace(b"</body>", b"</BODY >")
    )


def test_a_page_without_body_end_gets_the_script_at_its_end():
    html = inject_reload(b"<p>Tanpa penutup", "ab-1", "0f")
    assert html.startswith(b"<p>Tanpa penutup")
    assert scripts_of(html) == [
        {"src": SCRIPT_URL, "data-versi": "ab-1", "data-isi": "0f", "defer": ""}
    ]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """An output folder as the build leaves it: a page, a page without </body>, a stylesheet."""
    output = tmp_path / "output"
    (output / "wilayah" / "73.13").mkdir(parents=True)
    (output / "wilayah" / "73.13" / "index.html").write_bytes(PAGE)
    (output / "potongan.html").write_bytes(b"<p>potongan")
    (output / "site.css").write_bytes(b"body { color: #1a1a1a; } /* </body> */\n")
    return output


@pytest.fixture
def served(site: Path) -> Iterator[tuple[str, BuildState]]:
    state = BuildState()
    state.built([], [])
    server = make_server(site, state, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        state.stop()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert not thread.is_alive()


def get(url: str) -> tuple[dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return dict(answer.headers), answer.read()


def test_html_is_served_with_the_script_and_its_true_length(served, site):
    base, state = served
    headers, body = get(f"{base}/wilayah/73.13/")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(headers["Content-Length"]) == len(body)
    assert headers["Cache-Control"] == "no-store"
    assert body == inject_reload(PAGE, state.version, digest(PAGE))
    assert (site / "wilayah" / "73.13" / "index.html").read_bytes() == PAGE  # disk untouched
    headers, body = get(f"{base}/potongan.html")
    assert int(headers["Content-Length"]) == len(body)
    assert scripts_of(body)[0]["src"] == SCRIPT_URL


def test_other_files_are_served_as_they_are(served, site):
    base, _state = served
    headers, body = get(f"{base}/site.css")
    assert body == (site / "site.css").read_bytes()
    assert int(headers["Content-Length"]) == len(body)
    headers, body = get(f"{base}{SCRIPT_URL}")
    assert headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert b"/_pratinjau/status" in body and int(headers["Content-Length"]) == len(body)


def test_a_swapped_output_folder_is_served_at_once(served, site):
    """The build renames a new folder into place: the next request must see it."""
    base, _state = served
    new = site.with_name("baru")
    (new / "wilayah" / "73.13").mkdir(parents=True)
    (new / "wilayah" / "73.13" / "index.html").write_bytes(PAGE.replace(b"311.536", b"311.650"))
    site.rename(site.with_name("lama"))
    new.rename(site)
    _headers, body = get(f"{base}/wilayah/73.13/")
    assert BeautifulSoup(body, "html.parser").p.get_text() == "Peserta JKN 311.650 jiwa"


def status(base: str, **asked: str) -> dict:
    """What the script asks of the server, as it asks it."""
    return json.loads(get(f"{base}/_pratinjau/status?{urllib.parse.urlencode(asked)}")[1])


def test_a_waiting_page_hears_of_the_next_build_and_its_errors(served):
    base, state = served
    page = {"halaman": "/wilayah/73.13/", "isi": digest(PAGE), "versi": state.version}
    first = status(base, bahasa="id", **page)
    assert (first["versi"], first["galat"], first["muat_ulang"]) == (state.version, [], False)
    answers = []
    waiting = threading.Thread(
        target=lambda: answers.append(
            status(base, bahasa="en", generasi=str(first["generasi"]), **page)
        )
    )
    waiting.start()
    failure = DataErrors(
        [DataError("data/coverage/a.csv", 2, "participants", "3x", "a whole number", "k")]
    )
    state.built(error_items(failure, Path("/proyek")), ["data/coverage/a.csv"])
    waiting.join(timeout=10)
    [answer] = answers
    assert (answer["versi"], answer["muat_ulang"]) == (first["versi"], False)  # the page stays
    assert answer["galat"] == [
        {
            "berkas": "data/coverage/a.csv",
            "baris": 2,
            "pesan": "field 'participants' value '3x': a whole number [k]",
        }
    ]
    assert answer["diubah"] == "data/coverage/a.csv"
    assert (answer["teks"]["title"], answer["teks"]["line"]) == ("Build failed", "line %(n)s")

    # Fixed, this page's file the same: the banner goes, the page need not reload.
    state.built([], ["data/coverage/a.csv"])
    after = status(base, bahasa="xx", generasi=str(answer["generasi"]), **page)
    assert after["versi"] != first["versi"] and after["galat"] == []
    assert after["muat_ulang"] is False
    assert after["teks"]["title"] == "Pembangunan gagal"  # a language without catalogue: ours
    # A stylesheet changed since: the same page looks different, it reloads.
    state.built([], ["theme/css/site.css"])
    assert status(base, generasi=str(after["generasi"]), **page)["muat_ulang"] is True
    # Served by an earlier server, or by this one before its first good build: it reloads.
    assert status(base, **{**page, "versi": "abc-1"})["muat_ulang"] is True
    before = f"{state.version.rpartition('-')[0]}-0"
    assert status(base, **{**page, "versi": before})["muat_ulang"] is True


def test_a_waiting_page_reloads_as_soon_as_its_file_changes(served, site):
    """The build puts the pages of changed regions into the served site before it ends."""
    base, state = served
    page = site / "wilayah" / "73.13" / "index.html"
    asked = {"halaman": "/wilayah/73.13/", "isi": digest(PAGE), "versi": state.version}

    def write_early() -> None:
        page.with_name("baru").write_bytes(PAGE.replace(b"311.536", b"311.650"))
        page.with_name("baru").replace(page)

    threading.Timer(1.0, write_early).start()
    start = time.monotonic()
    answer = status(base, generasi=str(state.generation), **asked)
    assert answer["muat_ulang"] is True and answer["versi"] == state.version  # no build yet
    assert 1.0 <= time.monotonic() - start < 5


def test_an_unknown_reserved_address_is_not_found(served):
    base, _state = served
    with pytest.raises(urllib.error.HTTPError) as failed:
        get(f"{base}/_pratinjau/lain")
    assert failed.value.code == 404


@pytest.fixture
def theme(tmp_path: Path) -> Path:
    """A project whose theme folder is a symlink, as in the test projects."""
    templates = tmp_path / "tema-asli" / "templates"
    templates.mkdir(parents=True)
    (templates / "rusak.html").write_text("<p>\n{% if %}\n")
    (templates / "salah.html").write_text("<p>\n\n{{ tidak_ada.nama }}</p>\n")
    (tmp_path / "proyek").mkdir()
    (tmp_path / "proyek" / "theme").symlink_to(tmp_path / "tema-asli")
    return tmp_path / "proyek" / "theme"


@pytest.mark.parametrize(
    ("template", "line", "kind"),
    [("rusak.html", 2, "TemplateSyntaxError"), ("salah.html", 3, "UndefinedError")],
)
def test_a_template_error_names_its_file_and_line(theme, template, line, kind):
    """A syntax error carries its place; an undefined name is found in the traceback."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    loader = FileSystemLoader(str(theme.resolve() / "templates"))  # as Pelican sees it
    environment = Environment(loader=loader, undefined=StrictUndefined)
    with pytest.raises(Exception) as failed:
        environment.get_template(template).render()
    [item] = error_items(failed.value, theme.parent)
    assert (item["berkas"], item["baris"]) == (f"theme/templates/{template}", line)
    assert item["pesan"].startswith(f"{kind}: ")


def test_an_error_elsewhere_is_told_without_a_place(tmp_path):
    with pytest.raises(ZeroDivisionError) as failed:
        1 / 0  # noqa: B018 (raised here, in the tests: not a project file)
    assert error_items(failed.value, tmp_path) == [
        {"berkas": "", "baris": 0, "pesan": "ZeroDivisionError: division by zero"}
    ]


def test_a_warning_the_build_stopped_on_is_the_error_with_its_file(tmp_path):
    """Pelican's strict logging raises a bare RuntimeError: the banner shows what was logged."""
    import logging

    from pelican.log import init

    init(level=logging.WARNING, fatal="warnings")  # as the build sets it
    page = tmp_path / "content" / "pages" / "tentang.md"
    with logged_problems() as logged, pytest.raises(RuntimeError) as failed:
        logging.getLogger("pelican.uji").warning("Skipping %s: no 'title'", page)
    assert error_items(failed.value, tmp_path, logged) == [
        {
            "berkas": "content/pages/tentang.md",
            "baris": 0,
            "pesan": "Skipping content/pages/tentang.md: no 'title'",
        }
    ]
    # an exception of its own is told as such, whatever was logged before it
    with pytest.raises(ZeroDivisionError) as other:
        1 / 0  # noqa: B018
    assert error_items(other.value, tmp_path, logged)[0]["pesan"].startswith("ZeroDivisionError")


def test_a_warning_met_in_an_earlier_build_fails_a_later_one_too():
    """Pelican logs a warning once per process, and raises only when it logs."""
    import logging

    from pelican.log import init

    init(level=logging.WARNING, fatal="warnings")
    warn = logging.getLogger("pelican.uji").warning
    forget_logged_warnings()  # whatever this process logged before
    with pytest.raises(RuntimeError):
        warn("Unable to find '/tidak-ada.md', skipping url replacement.")
    warn("Unable to find '/tidak-ada.md', skipping url replacement.")  # silently let through
    forget_logged_warnings()  # what the preview does before each build
    with pytest.raises(RuntimeError):
        warn("Unable to find '/tidak-ada.md', skipping url replacement.")


def test_edits_in_the_folders_and_to_the_settings_are_seen(tmp_path):
    """An edit made while the first build ran is seen; the settings file is seen changed even
    after an editor renamed a new file into place."""
    settings = tmp_path / "pelicanconf.py"
    settings.write_text("SITENAME = 'a'\n")
    (tmp_path / "data").mkdir()

    def replace_settings(text: str) -> None:
        (tmp_path / "pelicanconf.py.baru").write_text(text)
        (tmp_path / "pelicanconf.py.baru").rename(settings)

    before = files_now(settings)
    (tmp_path / "data" / "awal.csv").write_text("x")  # while the first build ran
    batches = edits(settings, before, step=0.1)
    try:
        assert next(batches) == ["data/awal.csv"]
        for change, seen in [
            (lambda: (tmp_path / "data" / "a.csv").write_text("x"), ["data/a.csv"]),
            (lambda: replace_settings("SITENAME = 'b'\n"), ["pelicanconf.py"]),
            (lambda: replace_settings("SITENAME = 'c'\n"), ["pelicanconf.py"]),
        ]:
            threading.Timer(0.5, change).start()  # once the watch has begun
            assert next(batches) == seen
    finally:
        batches.close()


def test_an_editors_temporary_file_is_not_what_changed(tmp_path):
    (tmp_path / "data").mkdir()
    saved = tmp_path / "data" / "a.csv"
    saved.write_text("x")
    gone = tmp_path / "data" / "lama.csv"
    changes = {
        (Change.added, str(tmp_path / "data" / "sedX1")),
        (Change.deleted, str(tmp_path / "data" / "sedX1")),
        (Change.modified, str(saved)),
        (Change.deleted, str(gone)),
    }
    assert changed_files(changes, tmp_path) == ["data/a.csv", "data/lama.csv"]
    assert listed([f"f{n}" for n in range(7)]) == "f0, f1, f2, f3, f4 (+2)"


def test_the_built_site_has_no_preview_script(built_site):
    """`make html` output is what gets published: the preview's script is never in it."""
    pages = sorted(built_site.rglob("*.html"))
    assert pages
    for page in pages:
        assert "_pratinjau" not in page.read_text(encoding="utf-8"), page
    for path in built_site.rglob("*"):
        assert "pratinjau" not in path.name and "muat-ulang" not in path.name, path
