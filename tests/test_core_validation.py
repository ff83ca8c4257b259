"""One small invalid fixture per error kind (tests/invalid/), each asserting the exact report.

Each fixture is dropped into a copy of the test site's data (coverage and forum files are added,
source entries appended to sources.yaml); the report must be exactly the expected
(file, line, field, kind) rows, nothing more.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import SITE_DATA, TODAY
from support import INVALID, install, report_for
from uhc_portal.dataset import load_dataset
from uhc_portal.errors import DataErrors

# sources fixtures are appended to the test site's sources.yaml: their lines follow its own
SOURCE_LINES = len((SITE_DATA / "sources.yaml").read_text(encoding="utf-8").splitlines())

EXPECTED = {
    "coverage/unknown-region": [(2, "region_code", "unknown-region")],
    "coverage/not-whole-number": [(2, "population", "not-whole-number")],
    "coverage/negative-count": [(2, "population", "negative-count")],
    "coverage/inconsistent-figures": [(2, "coverage_pct", "inconsistent-figures")],
    "coverage/bad-date": [(2, "as_of", "bad-date")],
    "coverage/future-date": [(2, "as_of", "future-date")],
    "coverage/unknown-source": [(2, "source", "unknown-source")],
    "coverage/missing-field": [(2, "region_code", "missing-field")],
    "coverage/no-figures": [(2, "", "no-figures")],
    "coverage/decimal-comma": [(2, "coverage_pct", "decimal-comma")],
    "coverage/wrong-cell-count": [(2, "", "wrong-cell-count")],
    "coverage/duplicate-snapshot": [(3, "as_of", "duplicate-snapshot")],
    "coverage/semicolon-separated": [(1, "", "semicolon-separated")],
    "coverage/bad-header": [(1, "", "bad-header")],
    "coverage/not-in-excerpt": [(2, "participants", "not-in-excerpt")],
    "coverage/two-preferred": [(3, "preferred", "two-preferred")],
    "coverage/needless-preferred": [(2, "preferred", "needless-preferred")],
    "coverage/needless-as-printed": [(2, "as_printed", "needless-as-printed")],
    "coverage/bad-flag": [(2, "as_printed", "bad-flag")],
    "forums/duplicate-key": [(4, "", "duplicate-key")],
    "forums/code-not-text": [(2, "regions[0]", "code-not-text")],
    "forums/missing-field": [(1, "title", "missing-field")],
    "forums/unknown-field": [(5, "tittle", "unknown-field")],
    "forums/bad-choice": [(4, "kind", "bad-choice")],
    "forums/unknown-source": [(5, "sources[1]", "unknown-source")],
    "forums/yaml-syntax": [(3, "", "yaml-syntax")],
    "forums/future-date": [(1, "date", "future-date")],
    "forums/yaml-alias": [(5, "", "yaml-alias")],
    "sources/bad-url": [(SOURCE_LINES + 3, "bad-2020.url", "bad-url")],
    "sources/missing-field": [(SOURCE_LINES + 1, "bad-2020.excerpt", "missing-field")],
    "recognitions/unknown-region": [(2, "region_code", "unknown-region")],
    "recognitions/unknown-source": [(2, "source", "unknown-source")],
    "recognitions/bad-year": [(2, "year", "bad-year")],
    "recognitions/bad-category": [(2, "category", "bad-category")],
    "recognitions/duplicate-recognition": [(3, "source", "duplicate-recognition")],
    "claims/bad-claim-kind": [(2, "kind", "bad-claim-kind")],
    "claims/count-over-total": [(2, "count", "count-over-total")],
    "claims/unknown-source": [(2, "source", "unknown-source")],
    "claims/duplicate-claim": [(3, "kind", "duplicate-claim")],
    "claims/not-whole-number": [(2, "count", "not-whole-number")],
    "claims/not-in-excerpt": [(2, "count", "not-in-excerpt")],
}


def test_every_fixture_is_listed():
    on_disk = {f"{p.parent.name}/{p.stem}" for p in INVALID.glob("*/*.*")}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_invalid_fixture_gives_exactly_its_error(tmp_path, fixture):
    file, errors = report_for(tmp_path, fixture)
    got = [(e.file, e.line, e.field, e.kind) for e in errors]
    assert got == [(file, line, field, kind) for line, field, kind in EXPECTED[fixture]]


def test_thousands_dot_is_never_read_as_a_fraction(tmp_path):
    _, errors = report_for(tmp_path, "coverage/not-whole-number")
    assert errors[0].value == "376.386"
    assert "write 376386" in errors[0].expected


def test_number_missing_from_the_excerpt_names_the_number_and_the_source(tmp_path):
    _, errors = report_for(tmp_path, "coverage/not-in-excerpt")
    assert errors[0].value == "311600"
    assert errors[0].expected.startswith("311.600 in the excerpt of source 'wajo-2020'")
    assert "(data/sources.yaml:1)" in errors[0].expected
    assert "excerpt_note" in errors[0].expected


def test_an_excerpt_note_lets_the_row_through(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SITE_DATA, data)
    install("coverage/not-in-excerpt", data)
    sources = data / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    marked = text.replace("wajo-2020:\n", "wajo-2020:\n  excerpt_note: tabel halaman 4\n", 1)
    assert marked != text
    sources.write_text(marked, encoding="utf-8")
    dataset = load_dataset(data, TODAY)
    assert dataset.sources["wajo-2020"].excerpt_note == "tabel halaman 4"


def test_unquoted_code_message_shows_what_the_steward_typed(tmp_path):
    _, errors = report_for(tmp_path, "forums/code-not-text")
    assert errors[0].value == "73.10"
    assert "quotes" in errors[0].expected


def test_semicolon_file_message_says_so(tmp_path):
    _, errors = report_for(tmp_path, "coverage/semicolon-separated")
    assert "';' separators" in errors[0].expected
    assert "decimal" in errors[0].expected


def test_all_errors_of_several_files_come_in_one_report(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SITE_DATA, data)
    for fixture in ("coverage/unknown-region", "coverage/bad-date", "forums/bad-choice"):
        install(fixture, data)
    with pytest.raises(DataErrors) as caught:
        load_dataset(data, TODAY)
    assert [e.kind for e in caught.value.errors] == ["bad-date", "unknown-region", "bad-choice"]
    report = caught.value.report()
    assert report.startswith("uhc_portal: 3 data errors; nothing was published:")
    assert "data/coverage/unknown-region.csv:2: field 'region_code' value '99.99'" in report


def test_bom_and_crlf_are_fine(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SITE_DATA, data)
    csv_text = (SITE_DATA / "coverage" / "contoh.csv").read_text(encoding="utf-8")
    (data / "coverage" / "contoh.csv").write_bytes(
        b"\xef\xbb\xbf" + csv_text.replace("\n", "\r\n").encode("utf-8")
    )
    forum = data / "forums" / "2020-10-26-wajo.yaml"
    forum.write_bytes(b"\xef\xbb\xbf" + forum.read_bytes().replace(b"\n", b"\r\n"))
    dataset = load_dataset(data, TODAY)
    assert len(dataset.snapshots) == 7
    assert dataset.forums[0].title == "Forum PKU Kabupaten Wajo"
