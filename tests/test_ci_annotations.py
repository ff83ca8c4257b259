"""`validate --format github`: one annotation per data error, on the file and line GitHub shows.

The fixture (tests/annotations/) adds three errors to the test site's data: two rows of a coverage
file whose name holds a comma (escaped in the `file` property), one forum without a title.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import SITE_DATA
from support import run_cli
from uhc_portal.errors import DataError, github_annotation

ANNOTATIONS = Path(__file__).parent / "annotations"
COMMAND = re.compile(r"::error (?P<properties>[^:]*)::(?P<message>.*)")


def unescape(text: str) -> str:
    """Undo GitHub's workflow-command escaping, as the runner does."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def parse(line: str) -> tuple[dict[str, str], str]:
    match = COMMAND.fullmatch(line)
    assert match, f"not an ::error workflow command: {line!r}"
    properties = dict(pair.split("=", 1) for pair in match["properties"].split(","))
    return {key: unescape(value) for key, value in properties.items()}, unescape(match["message"])


def test_one_annotation_per_error_at_the_file_and_line(tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(SITE_DATA, project / "data")
    for fixture in sorted(ANNOTATIONS.rglob("*.*")):
        shutil.copy(fixture, project / "data" / fixture.relative_to(ANNOTATIONS))

    result = run_cli(project, "validate", "--data", "data", "--format", "github")

    assert result.returncode == 1
    annotations = [parse(line) for line in result.stdout.splitlines()]
    assert [(p["file"], p.get("line"), p["title"]) for p, _ in annotations] == [
        ("data/coverage/jawa,timur.csv", "3", "uhc_portal: not-whole-number"),
        ("data/coverage/jawa,timur.csv", "4", "uhc_portal: not-a-percent"),
        ("data/forums/tanpa-judul.yaml", "1", "uhc_portal: missing-field"),
    ]
    messages = [message for _, message in annotations]
    assert messages[0].startswith("field 'population' value '376.386': a whole number")
    assert messages[1] == (
        "field 'coverage_pct' value '96.1%': the number without the % sign: write 96.1"
    )
    assert messages[2] == "field 'title': the field 'title' is required"
    # The people's report stays on standard error, unchanged.
    assert "data/forums/tanpa-judul.yaml:1: field 'title'" in result.stderr


def test_text_stays_the_default(tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(SITE_DATA, project / "data")
    shutil.copy(ANNOTATIONS / "forums" / "tanpa-judul.yaml", project / "data" / "forums")

    result = run_cli(project, "validate", "--data", "data")

    assert result.returncode == 1
    assert result.stdout == ""
    assert "1 data error; nothing was published" in result.stderr
    assert "data/forums/tanpa-judul.yaml:1: field 'title'" in result.stderr


def test_escaping_keeps_each_annotation_on_one_line():
    error = DataError("data/a:b,c%.csv", 7, "x", "50%\r\nnext", "one\nline", "bad-value")

    line = github_annotation(error)

    assert "\n" not in line and "\r" not in line
    properties, message = parse(line)
    assert properties == {"file": "data/a:b,c%.csv", "line": "7", "title": "uhc_portal: bad-value"}
    assert message == "field 'x' value '50%\\r\\nnext': one\nline"


def test_an_error_without_a_line_names_the_file_only():
    error = DataError("data/sources.yaml", 0, "", "", "a mapping of source ids", "not-a-mapping")

    properties, message = parse(github_annotation(error))

    assert properties == {"file": "data/sources.yaml", "title": "uhc_portal: not-a-mapping"}
    assert message == "a mapping of source ids"
