"""Real records: two sources for one region and date (both kept, one shown by a stated rule),
a source whose own numbers disagree (kept as printed, said so) and an active-only rate (never a
coverage %). Built on the test site with rows added, as a steward would add them."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import REAL_TODAY, SITE_DATA, TODAY, build, make_project, soup, text_of
from uhc_portal import disagreement, figdiff
from uhc_portal.dataset import load_dataset
from uhc_portal.errors import DataErrors

HEADER = (
    "region_code,as_of,population,participants,active_participants,coverage_pct,not_enrolled,"
    "source,active_pct,as_printed,preferred\n"
)
SOURCES = """\
media-wajo-2023:
  title: Contoh berita Wajo 2023
  publisher: Contoh Media
  url: https://example.org/wajo-2023
  published: "2023-07-02"
  excerpt: Cakupan JKN Kabupaten Wajo per Juni 2023 mencapai 95,10 persen.
bpjs-wajo-2023:
  title: Contoh rilis BPJS Kesehatan Wajo 2023
  publisher: BPJS Kesehatan Cabang Watampone
  url: https://example.org/bpjs-wajo-2023
  published: "2023-07-01"
  excerpt: Per Juni 2023, peserta JKN Kabupaten Wajo 360.000 jiwa atau 94,20 persen.
dinkes-makassar-2023:
  title: Contoh rekap Dinkes Makassar 2023
  publisher: Dinas Kesehatan Kota Makassar
  url: https://dinkes.makassarkota.go.id/rekap-2023
  published: "2023-05-10"
  excerpt: >-
    Penduduk 1.000.000 jiwa, peserta JKN 990.000 jiwa, cakupan 98,00 persen; tingkat keaktifan
    71,06 persen.
"""
ROWS = [
    "73.13,2023-06,,,,95.10,,media-wajo-2023,,,",
    "73.13,2023-06,,360000,,94.20,,bpjs-wajo-2023,,,",
    # 990.000 of 1.000.000 is 99 %, not the 98 % printed: the source's typo, kept as printed
    "73.71,2023-04,1000000,990000,,98.00,,dinkes-makassar-2023,71.06,ya,",
]


def data_with(tmp_path: Path, rows: list[str], sources: str = SOURCES) -> Path:
    data = tmp_path / "data"
    shutil.copytree(SITE_DATA, data)
    with (data / "sources.yaml").open("a", encoding="utf-8") as out:
        out.write(sources)
    (data / "coverage" / "lain.csv").write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return data


def errors_of(data: Path) -> list:
    with pytest.raises(DataErrors) as caught:
        load_dataset(data, TODAY)
    return caught.value.errors


def test_two_sources_for_one_date_both_kept_the_official_one_shown(tmp_path):
    dataset = load_dataset(data_with(tmp_path, ROWS), TODAY)
    [june] = [s for s in dataset.snapshots_by_region["73.13"] if s.as_of.iso == "2023-06"]
    assert june.source_id == "bpjs-wajo-2023", "BPJS Kesehatan itself is the official publisher"
    assert june.coverage_pct.amount == 94.20
    assert [o.source_id for o in june.others] == ["media-wajo-2023"]
    assert june.others[0].coverage_pct.amount == 95.10
    assert "media-wajo-2023" in dataset.snapshots_by_region.source_ids("73.13")


def test_a_stewards_preferred_row_is_shown_whatever_the_rule_says(tmp_path):
    rows = [ROWS[0].removesuffix(",") + ",ya", *ROWS[1:]]
    dataset = load_dataset(data_with(tmp_path, rows), TODAY)
    [june] = [s for s in dataset.snapshots_by_region["73.13"] if s.as_of.iso == "2023-06"]
    assert june.source_id == "media-wajo-2023"
    assert [o.source_id for o in june.others] == ["bpjs-wajo-2023"]


def test_the_rule_in_its_order(tmp_path):
    """Preferred, then official, then more numbers, then the later publication."""
    dataset = load_dataset(data_with(tmp_path, ROWS), TODAY)
    figures = {f.source_id: f for f in dataset.snapshots_by_region.figures("73.13")}
    others = {f.source_id: f for f in dataset.snapshots_by_region.other_figures("73.13")}
    bpjs, media = figures["bpjs-wajo-2023"], others["media-wajo-2023"]
    sources = dict(dataset.sources)
    assert disagreement.reason(bpjs, media, sources) == "official"
    plain = {k: v.__class__(**{**_fields(v), "publisher": "Contoh"}) for k, v in sources.items()}
    plain = {k: v.__class__(**{**_fields(v), "url": None}) for k, v in plain.items()}
    assert disagreement.reason(bpjs, media, plain) == "more-numbers", "360.000 and 94,20"
    media_more = media.__class__(**{**_fields(media), "printed": bpjs.printed})
    assert disagreement.reason(media_more, bpjs, plain) == "later", "2 July after 1 July"
    assert disagreement.official(sources["dinkes-makassar-2023"]), "a .go.id address"
    assert not disagreement.official(sources["media-wajo-2023"])


def _fields(obj) -> dict:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}


def test_the_page_the_citation_and_the_download_name_the_other_source(tmp_path):
    project = make_project(tmp_path / "project", data_with(tmp_path, ROWS))
    output = build(project)
    page = soup(output / "wilayah" / "73.13" / "index.html")
    row = page.find(id="angka-73.13-2023-06") or page.find("tr", id=lambda i: i and "2023-06" in i)
    assert row is not None
    assert "sumber lain mencatat 95,10 % (Contoh Media)" in text_of(row)
    assert "Sumber lain mencatat 95,10 % (Contoh Media, “Contoh berita Wajo 2023”" in text_of(
        page
    ), "the figure's citation names the other source"
    download = (output / "wilayah" / "73.13" / "cakupan-73.13.csv").read_text(encoding="utf-8")
    rows = {r["as_of"]: r for r in csv.DictReader(io.StringIO(download))}
    assert rows["2023-06"]["source_id"] == "bpjs-wajo-2023"
    assert rows["2023-06"]["other_sources"] == "media-wajo-2023=95.10"
    makassar = soup(output / "wilayah" / "73.71" / "index.html")
    words = text_of(makassar)
    assert "angka-angka sumber ini tidak saling cocok; ditampilkan sebagaimana dicetak" in words
    assert "tingkat keaktifan 71,06 %" in words, "the active-only rate, named as such"
    makassar_csv = (output / "wilayah" / "73.71" / "cakupan-73.71.csv").read_text(encoding="utf-8")
    april = {r["as_of"]: r for r in csv.DictReader(io.StringIO(makassar_csv))}["2023-04"]
    assert (april["coverage_pct"], april["active_pct"], april["as_printed"]) == (
        "98.00",
        "71.06",
        "yes",
    )


def test_the_figure_diff_warns_when_a_disagreement_appears(tmp_path):
    base = load_dataset(data_with(tmp_path / "base", ROWS[1:]), TODAY)
    head = load_dataset(data_with(tmp_path / "head", ROWS), TODAY)
    report = figdiff.compare(base, head, "main")
    [warning] = [w for w in report.warnings if "sources disagree" in w]
    assert warning.startswith("data/coverage/lain.csv:2: ")
    assert "bpjs-wajo-2023" in warning and "(official)" in warning
    assert not report.failed, "a second source changes no published figure"


def test_the_same_source_twice_for_one_date_is_a_duplicate(tmp_path):
    errors = errors_of(data_with(tmp_path, [ROWS[0], ROWS[0]]))
    assert [(e.kind, e.line) for e in errors] == [("duplicate-snapshot", 3)]


def test_two_preferred_rows_for_one_date_are_an_error(tmp_path):
    rows = [r.removesuffix(",") + ",ya" for r in ROWS[:2]]
    errors = errors_of(data_with(tmp_path, rows))
    assert [(e.kind, e.field, e.line) for e in errors] == [("two-preferred", "preferred", 3)]


def test_preferred_without_another_source_is_an_error(tmp_path):
    errors = errors_of(data_with(tmp_path, [ROWS[1].removesuffix(",") + ",ya"]))
    assert [(e.kind, e.line) for e in errors] == [("needless-preferred", 2)]


def test_as_printed_on_numbers_that_agree_is_an_error(tmp_path):
    """The mark keeps a source's typo; it never hides a steward's own."""
    agreeing = "73.71,2023-04,1000000,980000,,98.00,,dinkes-makassar-2023,71.06,ya,"
    sources = SOURCES.replace("990.000", "980.000")
    errors = errors_of(data_with(tmp_path, [agreeing], sources))
    assert [(e.kind, e.field) for e in errors] == [("needless-as-printed", "as_printed")]


def test_numbers_that_disagree_without_the_mark_are_refused(tmp_path):
    errors = errors_of(data_with(tmp_path, [ROWS[2].replace(",ya,", ",,")]))
    assert [e.kind for e in errors] == ["inconsistent-figures"]


def test_a_mark_other_than_ya_is_an_error(tmp_path):
    errors = errors_of(data_with(tmp_path, [ROWS[1].removesuffix(",") + ",yes"]))
    assert [(e.kind, e.field, e.value) for e in errors] == [("bad-flag", "preferred", "yes")]


def test_an_active_rate_is_held_to_the_excerpt(tmp_path):
    errors = errors_of(data_with(tmp_path, [ROWS[2].replace("71.06", "71.60")]))
    assert [(e.kind, e.field) for e in errors] == [("not-in-excerpt", "active_pct")]


def test_a_file_without_the_new_columns_reads_as_before(tmp_path):
    data = data_with(tmp_path, [])
    (data / "coverage" / "lain.csv").write_text(
        HEADER.replace(",active_pct,as_printed,preferred", "")
        + "73.13,2023-06,,,,95.10,,media-wajo-2023\n",
        encoding="utf-8",
    )
    dataset = load_dataset(data, TODAY)
    assert any(s.as_of.iso == "2023-06" for s in dataset.snapshots_by_region["73.13"])


ROOT = Path(__file__).resolve().parent.parent
GUIDES = (ROOT / "content/pages/panduan-data.md", ROOT / "content/en/pages/panduan-data.md")


@pytest.mark.parametrize("guide", GUIDES, ids=["id", "en"])
def test_the_data_guides_real_examples_are_rows_of_the_data(guide):
    """Every example row the guide calls real stands, as written, in data/coverage: a
    steward can find it, and the example breaks if the row is changed."""
    data = {
        line.rstrip(",")
        for path in (ROOT / "data/coverage").glob("*.csv")
        for line in path.read_text(encoding="utf-8").splitlines()
    }
    examples = [
        line.strip()
        for line in guide.read_text(encoding="utf-8").splitlines()
        if line.startswith("    ")
        and line.strip().count(",") >= 7
        and not line.strip()[0].isalpha()
    ]
    cited = [
        e for e in examples if e.split(",")[7] in load_dataset(ROOT / "data", REAL_TODAY).sources
    ]
    for kind in ("active_pct", "as_printed", "sumber-berbeda"):
        assert kind in guide.read_text(encoding="utf-8")
    assert len(cited) >= 5
    for example in cited:
        assert example.rstrip(",") in data, example


def test_the_status_names_the_other_source_and_the_rule_in_words(tmp_path):
    """Kota Makassar's newest figure, 31 December 2024, printed again by a second source with
    fewer numbers: the status shows the test site's figure and names the other, with the rule."""
    other = (
        "media-makassar-2024:\n  title: Contoh berita Makassar\n  publisher: Koran Contoh\n"
        "  excerpt: Cakupan JKN Kota Makassar akhir 2024 sebesar 101,2 persen.\n"
    )
    rows = ["73.71,2024-12-31,,,,101.2,,media-makassar-2024,,,"]
    project = make_project(tmp_path / "project", data_with(tmp_path, rows, SOURCES + other))
    page = soup(build(project) / "wilayah" / "73.71" / "index.html")
    status = page.select_one("section.status")
    assert "101,20 %" in text_of(status.select_one("p.big")), "more numbers printed: shown"
    others = status.select_one("p.others").get_text()
    assert (
        "Sumber lain mencatat 101,2 % (Koran Contoh). Angka yang ditampilkan dipilih"
        in " ".join(others.split())
    )
    assert status.select_one('p.others a[href="#sumber-media-makassar-2024"]') is not None
    assert page.find(id="sumber-media-makassar-2024") is not None, "listed among the sources"


@pytest.mark.parametrize("guide", GUIDES, ids=["id", "en"])
def test_the_data_guides_award_example_is_a_row_of_the_data(guide):
    rows = {
        line
        for path in (ROOT / "data/recognitions").glob("*.csv")
        for line in path.read_text(encoding="utf-8").splitlines()
    }
    examples = [
        line.strip()
        for line in guide.read_text(encoding="utf-8").splitlines()
        if re.fullmatch(r"    \d\d(\.\d\d)?,\d{4},[^,]+,[^,]*,[a-z0-9-]+", line)
    ]
    assert examples, "the guide shows a real award row"
    for example in examples:
        assert example in rows, example
