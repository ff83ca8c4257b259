"""The excerpt rule: a row's printed numbers stand in its source's excerpt, in any spelling
sources use, and whole (issue: the excerpt rule becomes validation)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from uhc_portal.coverage import Figure, Printed
from uhc_portal.excerpts import (
    absent_numbers,
    contains,
    count_number,
    excerpt_errors,
    percent_number,
)
from uhc_portal.model import PartialDate, Source

WAJO = (
    "penduduk Kabupaten Wajo yang telah terdaftar menjadi peserta JKN-KIS adalah sejumlah "
    "{participants} jiwa penduduk atau {pct} % dari jumlah penduduk Kabupaten Wajo yaitu "
    "{population} jiwa penduduk."
)


@pytest.mark.parametrize(
    "written",
    ["311.536", "311536", "311,536", "311 536", "311\u00a0536", "311\u202f536"],
)
def test_a_count_in_every_spelling(written):
    assert contains(f"sejumlah {written} jiwa", count_number("participants", 311536))


def test_a_count_of_millions_and_a_source_slip_mixing_separators():
    number = count_number("participants", 1392488)
    assert number.text == "1.392.488"
    for written in ("1.392.488", "1,392,488", "1392488", "1 392 488", "1,392.488"):
        assert contains(f"setara {written} jiwa", number), written
    assert not contains("setara 1392.488 jiwa", number)  # a decimal point, not a group


@pytest.mark.parametrize(
    "text", ["1.311.536 jiwa", "311.5360 jiwa", "311.536,5 jiwa", "2311536", "311.53 jiwa"]
)
def test_a_count_is_found_only_whole(text):
    assert not contains(text, count_number("participants", 311536))


@pytest.mark.parametrize("written", ["82,77 %", "82.77%", "(82,77)", "82,77persen"])
def test_a_percentage_with_either_decimal_mark(written):
    assert contains(f"atau {written} dari", percent_number("coverage_pct", 82.77, 2))


def test_a_percentage_keeps_the_decimals_the_row_gives():
    assert contains("cakupan 69.6%", percent_number("coverage_pct", 69.6, 1))
    assert not contains("cakupan 69,65 %", percent_number("coverage_pct", 69.6, 1))
    assert not contains("cakupan 82,7 %", percent_number("coverage_pct", 82.70, 2))
    assert contains("cakupan 82,70 %", percent_number("coverage_pct", 82.70, 2))


@pytest.mark.parametrize(
    "text", ["baru 70 persen", "(70%)", "70 %", "capai 70, naik", "70.", "per Juni 2018 70 persen"]
)
def test_a_whole_percentage_is_found_alone(text):
    assert contains(text, percent_number("coverage_pct", 70, 0))


@pytest.mark.parametrize(
    "text", ["170 %", "70,5 %", "70.5%", "1.700 jiwa", "5,70 %", "2070", "70 500 jiwa", "1\u00a070"]
)
def test_a_whole_percentage_is_not_found_inside_another_number(text):
    assert not contains(text, percent_number("coverage_pct", 70, 0))


def test_absent_numbers_names_each_field_as_the_excerpt_should_print_it():
    printed = Printed(376386, 311536, None, 82.77, 2, None)
    excerpt = WAJO.format(participants="311,536", pct="82.77", population="376 386")
    assert absent_numbers(printed, excerpt) == []
    cut_short = excerpt.split(" dari jumlah")[0]  # the population left out of the excerpt
    assert [(n.field, n.typed, n.text) for n in absent_numbers(printed, cut_short)] == [
        ("population", "376386", "376.386")
    ]


def sula(pct: str, note: str | None = None) -> tuple[list[Figure], dict[str, Source]]:
    """A row of Kab. Kepulauan Sula and its source, whose excerpt prints 92,50 %."""
    source = Source(
        "malutinews-sula-2026-01",
        "Bupati Kepulauan Sula terima penghargaan UHC 2026",
        None,
        None,
        None,
        None,
        "dengan presentase penduduk sula yang tercover 92,50 %, dengan keaktifan peserta",
        excerpt_note=note,
        line=5748,
    )
    decimals = len(pct.split(".")[1]) if "." in pct else 0
    printed = Printed(None, None, None, float(pct), decimals, None)
    figure = Figure("82.05", PartialDate(2026, 1, 27), source.id, "data/x.csv", 10, printed)
    return [figure], {source.id: source}


def test_a_row_that_dropped_printed_decimals_is_told_which_to_write():
    assert excerpt_errors(*sula("92.50")) == []
    [error] = excerpt_errors(*sula("92.5"))
    assert (error.file, error.line, error.field, error.value) == (
        "data/x.csv",
        10,
        "coverage_pct",
        "92.5",
    )
    assert error.expected == (
        "92,5 in the excerpt of source 'malutinews-sula-2026-01' (data/sources.yaml:5748); "
        "it prints 92,50: write 92.50, with the decimals the source printed"
    )


def test_rows_of_a_source_with_an_excerpt_note_are_not_held_to_the_excerpt():
    assert len(excerpt_errors(*sula("93.10"))) == 1
    assert excerpt_errors(*sula("93.10", note="tabel halaman 4")) == []


@settings(max_examples=300, deadline=None)
@given(
    count=st.integers(min_value=0, max_value=400_000_000),
    other=st.integers(min_value=0, max_value=400_000_000),
    separator=st.sampled_from([".", ",", " ", "\u00a0", ""]),
)
def test_any_count_is_found_in_its_spellings_and_no_other_count_is(count, other, separator):
    """A count printed grouped by any one separator (or none) is found; a different count
    printed the same way is not taken for it (with a plain space, "1 234" still shows a 234:
    a space before a number is read as a gap between words)."""
    number = count_number("participants", count)
    grouped = f"{count:,}".replace(",", separator)
    assert contains(f"sebanyak {grouped} jiwa.", number)
    if other != count and separator != " ":
        assert not contains(f"sebanyak {f'{other:,}'.replace(',', separator)} jiwa.", number)


def test_the_data_guides_examples_are_true_of_the_real_data(tmp_path):
    """The guide quotes real excerpts and a real error: the quotes stand in data/sources.yaml
    and the message is what validation says of that row (line numbers aside: data grows)."""
    import re
    import shutil

    from conftest import REAL_TODAY, ROOT
    from uhc_portal.dataset import load_dataset
    from uhc_portal.errors import DataErrors

    guide = (ROOT / "content" / "pages" / "panduan-data.md").read_text(encoding="utf-8")
    section = guide.split("### Setiap angka harus ada dalam kutipan", 1)[1].split("\n## ", 1)[0]
    sources = " ".join((ROOT / "data" / "sources.yaml").read_text(encoding="utf-8").split())
    quoting = section.split("**Angka di tabel", 1)[0]  # what follows quotes the page
    for quote in re.findall(r'"([^"]*\d[^"]*)"', " ".join(quoting.split())):
        assert quote.strip("… ") in sources, quote
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    sula = data / "coverage" / "maluku-utara.csv"  # its row as the guide says a steward wrote it
    text = sula.read_text(encoding="utf-8")
    row = "82.05,2026-01-27,,,,92.50,,malutinews-sula-2026-01"
    assert row in text
    sula.write_text(text.replace(row, row.replace("92.50", "92.5")), encoding="utf-8")
    with pytest.raises(DataErrors) as caught:
        load_dataset(data, REAL_TODAY)
    [said] = [str(e) for e in caught.value.errors]
    block = section.split("mendapat\n\n", 1)[1].split("\n\n", 1)[0]
    shown = " ".join(block.split())

    def unnumbered(text: str) -> str:
        return re.sub(r"\.(csv|yaml):\d+", r".\1:N", text)

    assert unnumbered(said) == unnumbered(shown)
