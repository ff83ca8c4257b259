"""Importing published tables (`python -m uhc_portal import`): tables of the shapes offices
publish, made here (XLSX through openpyxl, CSV as text), read into the coverage contract exactly,
with nothing guessed and nothing written until every name and number reads one way."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, build, make_project, seed_data, soup, text_of
from support import TABLE, add_table_source, guide_section, office_xlsx, run
from uhc_portal.__main__ import main
from uhc_portal.importing import read_figures
from uhc_portal.names import NameIndex
from uhc_portal.numbers import (
    Cell,
    NumberProblem,
    count_reading,
    parse_count_cell,
    parse_percent_cell,
)
from uhc_portal.regions import load_aliases, load_regions
from uhc_portal.tables import TableProblem, read_table

REAL_DATA = ROOT / "data"
CONTRACT = "region_code,as_of,population,participants,active_participants,coverage_pct,"
CONTRACT += "not_enrolled,source"


@pytest.fixture(scope="module")
def index() -> NameIndex:
    errors: list = []
    provinces, regencies = load_regions(REAL_DATA / "regions", ROOT, errors)
    codes = set(provinces) | set(regencies)
    aliases = load_aliases(REAL_DATA / "regions" / "aliases.yaml", ROOT, codes, errors)
    assert not errors
    return NameIndex(provinces, regencies, aliases)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the real data folder to import into, with a table's source."""
    return add_table_source(seed_data(tmp_path / "repo" / "data"))


# Numbers.


@pytest.mark.parametrize(
    ("text", "reading", "expected"),
    [
        ("2.307.677", None, 2307677),
        ("2,307,677", None, 2307677),
        ("2307677", None, 2307677),
        ("2 307 677", None, 2307677),
        ("1.234", "id", 1234),
        ("1,234", "intl", 1234),
        ("1.234", "grouped", 1234),
        ("2.149 jiwa", "id", 2149),
    ],
)
def test_counts_read_exactly(text, reading, expected):
    assert parse_count_cell(Cell.of(text), reading) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("93,71", "93.71"), ("93.71", "93.71"), ("98,4%", "98.4"), ("98,40 %", "98.40"), ("70", "70")],
)
def test_percentages_keep_their_printed_decimals(text, expected):
    assert parse_percent_cell(Cell.of(text)) == expected


def test_a_lone_group_in_a_column_that_shows_no_format_is_refused():
    cells = [Cell.of(t) for t in ("2307677", "1.234", "45678")]
    reading = count_reading(cells, None)
    assert reading is None
    with pytest.raises(NumberProblem) as caught:
        parse_count_cell(cells[1], reading)
    assert caught.value.kind == "ambiguous-number"


def test_a_count_column_grouped_throughout_reads_as_thousands():
    cells = [Cell.of(t) for t in ("1.234", "45.678", "311.536")]
    reading = count_reading(cells, None)
    assert [parse_count_cell(c, reading) for c in cells] == [1234, 45678, 311536]


def test_a_decimal_count_is_refused_in_either_format():
    with pytest.raises(NumberProblem):
        parse_count_cell(Cell.of("1.234,5"), "id")
    with pytest.raises(NumberProblem):
        parse_count_cell(Cell.of("1.234"), "intl")


# Names.


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("KAB. WAJO", "73.13"),
        ("Kab Gunung Mas", "62.10"),
        ("Kota Lubuklinggau", "16.73"),
        ("kota  lubuk-linggau", "16.73"),
        ("Kabupaten Blitar", "35.05"),
        ("KOTA BLITAR", "35.72"),
        ("Kotabaru", "63.02"),
        ("Kab. Tojo Una Una", "72.09"),
    ],
)
def test_names_match_ignoring_prefix_case_spaces_and_punctuation(index, name, code):
    assert index.match(name).code == code


def test_a_bare_name_of_a_kabupaten_and_a_kota_is_ambiguous(index):
    match = index.match("Blitar")
    assert match.code is None and match.outcome == "ambiguous"
    assert [(c.code, c.name) for c in match.candidates] == [
        ("35.05", "Kabupaten Blitar"),
        ("35.72", "Kota Blitar"),
    ]


def test_a_prefix_that_fits_no_region_is_not_dropped(index):
    match = index.match("Kota Wajo")
    assert match.code is None and match.outcome == "unmatched"
    assert match.candidates[0].code == "73.13"


def test_a_misspelt_name_lists_the_closest(index):
    match = index.match("Kab. Wajoo")
    assert match.outcome == "unmatched"
    assert "73.13" in [c.code for c in match.candidates]


# Tables.


def test_xlsx_with_merged_header_totals_blank_lines_and_footnotes(tmp_path, index):
    path = office_xlsx(
        tmp_path / "rekap.xlsx",
        [
            ("KAB. WAJO", "376.386", "311.536", "250.000", "82,77"),
            ("Kota Lubuklinggau", None, "158.704", None, "70"),
            ("Kab Gunung Mas", 131174, 120000, "82.130", 91.48),
        ],
    )
    imported = read_figures(read_table(path), index, {}, {}, "src", "2024-06")
    assert not imported.problems
    assert [list(r.values()) for r in imported.rows] == [
        ["73.13", "2024-06", "376386", "311536", "250000", "82.77", "", "src"],
        ["16.73", "2024-06", "", "158704", "", "70", "", "src"],
        ["62.10", "2024-06", "131174", "120000", "82130", "91.48", "", "src"],
    ]
    assert imported.lines == [6, 7, 8]
    notes = "\n".join(imported.notes)
    assert "header at rows 4-5" in notes
    assert "'Jumlah Peserta JKN Terdaftar' → participants" in notes
    assert "'Jumlah Peserta JKN Aktif' → active_participants" in notes
    assert "row 10 skipped: a totals row" in notes
    assert "row 12 skipped: a note ('*) Sumber" in notes
    assert "row 13 skipped: a note ('Keterangan" in notes


def test_csv_with_semicolons_and_decimal_commas(tmp_path, index):
    path = tmp_path / "satu-data.csv"
    path.write_bytes(
        "Data kepesertaan JKN – Juni 2024;;;\n"
        "\n"
        "Kab/Kota;Jumlah Penduduk;Jumlah Peserta JKN;Persentase Cakupan\n"
        "Kab. Mukomuko;201.227;199.078;98,93\n"
        '"Kota Pangkalpinang";226.298;"221.000";97,66%\n'
        "Provinsi Bengkulu;2.107.000;2.000.000;94,92\n"
        "Sumber: Dinas Kesehatan Provinsi;;;\n".encode("cp1252")
    )
    imported = read_figures(read_table(path), index, {}, {}, "src", "2024")
    assert not imported.problems
    assert [
        (r["region_code"], r["population"], r["participants"], r["coverage_pct"])
        for r in imported.rows
    ] == [
        ("17.06", "201227", "199078", "98.93"),
        ("19.71", "226298", "221000", "97.66"),
    ]
    notes = "\n".join(imported.notes)
    assert "(cp1252, ';')" in notes
    assert "line 6 skipped: a province row ('Provinsi Bengkulu')" in notes
    assert "line 7 skipped: a note ('Sumber: Dinas Kesehatan Provinsi')" in notes


def test_a_province_row_is_skipped_and_said(tmp_path, index):
    path = tmp_path / "t.csv"
    path.write_text(
        "Kabupaten/Kota,Cakupan (%)\nKabupaten Wajo,82.77\nProvinsi Sulawesi Selatan,90.1\n"
        "Sulawesi Selatan,90.1\n"
    )
    imported = read_figures(read_table(path), index, {}, {}, "src", "2024")
    assert [r["region_code"] for r in imported.rows] == ["73.13"]
    assert not imported.problems
    assert "line 3 skipped: a province row ('Provinsi Sulawesi Selatan')" in imported.notes
    assert "line 4 skipped: a province row ('Sulawesi Selatan')" in imported.notes


def test_an_active_rate_is_never_read_as_coverage(tmp_path, index):
    path = tmp_path / "aktif.csv"
    path.write_text("Kabupaten/Kota;Cakupan Kepesertaan Aktif (%)\nKab. Wajo;62,61\n")
    imported = read_figures(read_table(path), index, {}, {}, "src", "2024")
    assert not imported.rows
    assert [p.kind for p in imported.problems] == ["no-figures"]
    assert any("is a rate of active participants: not imported" in n for n in imported.notes)
    with pytest.raises(TableProblem, match="coverage_pct is registered participants"):
        read_figures(
            read_table(path),
            index,
            {"coverage_pct": "Cakupan Kepesertaan Aktif (%)"},
            {},
            "src",
            "2024",
        )


# The command: nothing written until everything reads one way.


def test_a_name_with_two_candidates_writes_nothing_until_given_a_code(tmp_path, data, capsys):
    table = office_xlsx(
        tmp_path / "jatim.xlsx",
        [
            ("Blitar", "1.223.745", "1.190.000", None, "97,24"),
            ("Kota Blitar", None, None, None, "101,80"),
        ],
    )
    args = [str(table), "--source", TABLE, "--as-of", "2024-06", "--data", str(data)]
    assert run(*args) == 1
    err = capsys.readouterr().err
    assert "jatim.xlsx:6: field 'B6 (Kabupaten/Kota)' value 'Blitar'" in err
    assert "Kabupaten Blitar (35.05); Kota Blitar (35.72)" in err
    assert "nothing was written" in err
    assert not (data / "coverage" / f"{TABLE}.csv").exists()

    assert run(*args, "--code", "Blitar=35.05") == 0
    written = (data / "coverage" / f"{TABLE}.csv").read_text()
    assert written.splitlines() == [
        CONTRACT,
        f"35.05,2024-06,1223745,1190000,,97.24,,{TABLE}",
        f"35.72,2024-06,,,,101.80,,{TABLE}",
    ]


def test_an_ambiguous_number_is_refused_with_its_row_and_cell(tmp_path, data, capsys):
    table = tmp_path / "t.csv"
    table.write_text("Kabupaten/Kota,Jumlah Peserta\nKab. Wajo,311536\nKab. Mukomuko,1.234\n")
    assert run(str(table), "--source", "upeks-wajo-2020", "--as-of", "2024", "--data", str(data))
    err = capsys.readouterr().err
    assert "t.csv:3: field 'column 2 (Jumlah Peserta)' value '1.234'" in err
    assert "[ambiguous-number]" in err
    assert list((data / "coverage").iterdir()) == [data / "coverage" / "berita-awal.csv"]


def test_a_row_that_contradicts_itself_is_reported_as_if_typed_and_nothing_written(
    tmp_path, data, capsys
):
    table = tmp_path / "t.csv"
    table.write_text(
        "Kabupaten/Kota;Jumlah Penduduk;Peserta;Cakupan (%)\nKab. Wajo;376.386;311.536;90,00\n"
    )
    assert run(str(table), "--source", "upeks-wajo-2020", "--as-of", "2024", "--data", str(data))
    err = capsys.readouterr().err
    assert "data/coverage/upeks-wajo-2020.csv:2: field 'coverage_pct' value '90'" in err
    assert "[inconsistent-figures]" in err
    assert "(table line 2)" in err
    assert not (data / "coverage" / "upeks-wajo-2020.csv").exists()
    assert not list(data.parent.glob(".uhc-import-*")), "the staging copy is removed"


def test_an_existing_file_is_appended_to_only_when_asked(tmp_path, data, capsys):
    table = tmp_path / "t.csv"
    table.write_text("Kabupaten/Kota,Cakupan (%)\nKota Blitar,101.80\n")
    common = ["--source", TABLE, "--as-of", "2024", "--data", str(data)]
    existing = data / "coverage" / "berita-awal.csv"
    before = existing.read_text()
    assert run(str(table), *common, "--output", "berita-awal.csv") == 2
    assert "exists" in capsys.readouterr().err
    assert existing.read_text() == before
    assert run(str(table), *common, "--output", "berita-awal.csv", "--append") == 0
    assert existing.read_text() == before + f"35.72,2024,,,,101.80,,{TABLE}\n"


def test_dry_run_prints_the_rows_and_writes_nothing(tmp_path, data, capsys):
    table = tmp_path / "t.csv"
    table.write_text("Kabupaten/Kota,Cakupan (%)\nKota Blitar,101.80\n")
    args = ["--source", TABLE, "--as-of", "2024", "--data", str(data), "--dry-run"]
    assert run(str(table), *args) == 0
    out = capsys.readouterr().out
    assert f"{CONTRACT}\n35.72,2024,,,,101.80,,{TABLE}\n" in out
    diff = out[out.index("Figure diff") :]
    assert "Kota Blitar: Belum ada data → UHC (101,80 %, 2024)" in diff
    assert "New figures (1)\n  Kota Blitar, 2024: coverage_pct 101,80 %" in diff
    assert sorted(p.name for p in (data / "coverage").iterdir()) == ["berita-awal.csv"]


def thirty_rows(seed: int = 14) -> list[tuple[str, tuple]]:
    """30 regencies as a provincial office prints them, with their expected contract values."""
    rows: list[tuple[str, tuple]] = []
    with (REAL_DATA / "regions" / "regencies.csv").open() as file:
        regencies = list(csv.DictReader(file))
    random.seed(seed)
    shown = {"Kabupaten": ["KAB. ", "Kab ", "Kabupaten "], "Kota": ["KOTA ", "Kota "]}
    for regency in random.sample(regencies, 30):
        kind, _, bare = regency["name"].partition(" ")
        name = random.choice(shown[kind]) + (bare.upper() if random.random() < 0.3 else bare)
        population = random.randint(20_000, 3_000_000)
        participants = random.randint(population * 80 // 100, population)
        pct = f"{participants * 100 / population:.2f}"
        printed = (
            name,
            f"{population:,}".replace(",", "."),
            f"{participants:,}".replace(",", "."),
            None,
            pct.replace(".", ","),
        )
        rows.append((regency["code"], printed, (str(population), str(participants), pct)))
    return rows


def test_a_30_row_office_xlsx_imports_as_printed_and_the_pages_show_it(tmp_path, capsys):
    rows = thirty_rows()
    # the seed figures only: a newer figure a steward adds later must not hide the imported one
    project = make_project(tmp_path / "project", seed_data(tmp_path / "seed"))
    add_table_source(project / "data")
    table = office_xlsx(tmp_path / "rekap-juni-2024.xlsx", [printed for _, printed, _ in rows])
    args = [str(table), "--source", TABLE, "--as-of", "2024-06"]
    assert run(*args, "--data", str(project / "data"), "--output", "rekap-2024-06.csv") == 0
    with (project / "data" / "coverage" / "rekap-2024-06.csv").open() as file:
        written = list(csv.reader(file))
    assert ",".join(written[0]) == CONTRACT
    assert written[1:] == [
        [code, "2024-06", population, participants, "", pct, "", TABLE]
        for code, _, (population, participants, pct) in rows
    ]

    site = build(project)
    for code, (_name, population, participants, _, pct), _ in rows[:5]:
        page = soup(site / "wilayah" / code / "index.html")
        status = text_of(page.select_one("section.status"))
        assert population in status and participants in status, code
        assert f"{pct} %" in status and "per Juni 2024" in status, code


def test_all_514_regencies_import(tmp_path, index):
    path = tmp_path / "nasional.csv"
    with (REAL_DATA / "regions" / "regencies.csv").open() as file:
        regencies = list(csv.DictReader(file))
    lines = ["Kabupaten/Kota;Jumlah Penduduk;Jumlah Peserta JKN;Cakupan (%)"]
    for n, regency in enumerate(regencies):
        lines.append(f"{regency['name'].upper()};1.{n:03d}.000;{n + 1}.000;9{n % 10},5")
    path.write_text("\n".join(lines) + "\nTOTAL;;;\n")
    imported = read_figures(read_table(path), index, {}, {}, "src", "2024")
    assert not imported.problems
    assert [r["region_code"] for r in imported.rows] == [r["code"] for r in regencies]
    assert imported.rows[7]["population"] == "1007000"


def test_percentages_held_as_fractions_under_a_percent_format_are_refused(tmp_path, index):
    path = office_xlsx(tmp_path / "t.xlsx", [("Kab. Wajo", 376386, 311536, None, 0.8277)])
    imported = read_figures(read_table(path), index, {}, {}, "src", "2024")
    assert [(p.line, p.field, p.kind) for p in imported.problems] == [
        (4, "F4 (Cakupan (%))", "fraction")
    ]


# add-source


def add_source(data: Path, *argv: str) -> int:
    return main(["add-source", "--data", str(data), *argv])


def test_add_source_keeps_the_file_as_it_was_and_adds_a_valid_entry(data, capsys):
    path = data / "sources.yaml"
    before = path.read_text()
    excerpt = (
        "Tabel Rekapitulasi Cakupan Kepesertaan JKN per Kabupaten/Kota, keadaan 30 Juni 2024, "
        "kolom Jumlah Penduduk, Jumlah Peserta JKN dan Cakupan (%)."
    )
    assert (
        add_source(
            data,
            *("--id", "dinkes-jatim-2024", "--title", "Rekap JKN Jawa Timur Juni 2024"),
            *("--url", "https://example.org/rekap.xlsx", "--published", "2024-07-10"),
            *("--excerpt", excerpt),
        )
        == 0
    )
    after = path.read_text()
    assert after.startswith(before), "comments, order and layout of the file kept"
    assert after[len(before) :].splitlines()[:4] == [
        "dinkes-jatim-2024:",
        "  title: Rekap JKN Jawa Timur Juni 2024",
        "  url: https://example.org/rekap.xlsx",
        '  published: "2024-07-10"',
    ]
    assert max(len(line) for line in after[len(before) :].splitlines()) <= 100, "the entry wrapped"
    from uhc_portal.dataset import load_dataset

    source = load_dataset(data, TODAY).sources["dinkes-jatim-2024"]
    assert source.excerpt == excerpt and source.published.iso == "2024-07-10"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--id", "upeks-wajo-2020"), "already in sources.yaml"),
        (("--id", "Bad Id"), "lower-case letters"),
        (("--id", "ok", "--url", "javascript:alert(1)"), "an http:// or https:// address"),
        (("--id", "ok", "--published", "2024-13-01"), "a real calendar date"),
        (("--id", "ok", "--accessed", "2999-01-01"), "a date not after today"),
    ],
)
def test_add_source_refuses_a_bad_entry_and_leaves_the_file(data, capsys, argv, message):
    before = (data / "sources.yaml").read_bytes()
    assert add_source(data, "--title", "T", "--excerpt", "E", *argv) == 2
    assert message in capsys.readouterr().err
    assert (data / "sources.yaml").read_bytes() == before


def test_the_steward_guides_worked_example_is_what_the_import_writes(tmp_path, data, capsys):
    """The guide's table, imported as the guide says, writes the guide's CSV: the example is
    kept true by running it."""
    section = guide_section()
    table_rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| ") and line[2:3].isdigit()
    ]
    printed = [(name, pop, part, active, pct) for _, name, pop, part, active, pct in table_rows]
    table = office_xlsx(tmp_path / "rekap-jatim-2024-06.xlsx", printed)
    assert (
        add_source(
            data,
            *("--id", "dinkes-jatim-2024-06", "--title", "Rekapitulasi Kepesertaan JKN"),
            *("--excerpt", "Lembar Rekap: Jumlah Penduduk, Jumlah Peserta JKN dan Cakupan (%)"),
            *("--excerpt-note", "tabel lembar Rekap, satu baris per kabupaten/kota"),
        )
        == 0
    )
    common = [str(table), "--source", "dinkes-jatim-2024-06", "--as-of", "2024-06-30"]
    assert run(*common, "--data", str(data)) == 1
    assert "Kabupaten Blitar (35.05); Kota Blitar (35.72)" in capsys.readouterr().err
    assert run(*common, "--data", str(data), "--code", "Blitar=35.05") == 0
    written = (data / "coverage" / "dinkes-jatim-2024-06.csv").read_text().splitlines()
    shown = section[section.index("    region_code,as_of") :].split("\n\n")[0]
    assert written == [line.strip() for line in shown.splitlines()]


def test_an_append_that_fails_validation_leaves_the_file_as_it_was(tmp_path, data, capsys):
    table = office_xlsx(tmp_path / "t.xlsx", [("Kab. Wajo", "376.386", "311.536", None, "90,00")])
    existing = data / "coverage" / "berita-awal.csv"
    before = existing.read_bytes()
    argv = ["--source", "upeks-wajo-2020", "--as-of", "2024", "--output", "berita-awal.csv"]
    assert run(str(table), *argv, "--append", "--data", str(data)) == 1
    err = capsys.readouterr().err
    assert "[inconsistent-figures]" in err and "(table row 6)" in err
    assert existing.read_bytes() == before


def test_an_open_data_export_with_codes_province_and_year_columns(tmp_path, index):
    """A CKAN export: snake_case headers, province and code columns beside the regency's."""
    path = tmp_path / "ckan.csv"
    path.write_text(
        "id,kode_provinsi,nama_provinsi,kode_kabupaten_kota,nama_kabupaten_kota,"
        "jumlah_peserta_jkn,satuan,tahun\n"
        "1,73,SULAWESI SELATAN,7313,KABUPATEN WAJO,311536,JIWA,2020\n"
    )
    imported = read_figures(read_table(path), index, {}, {}, "src", "2020")
    assert not imported.problems
    assert [(r["region_code"], r["participants"]) for r in imported.rows] == [("73.13", "311536")]
    assert "column 'nama_provinsi': not imported" in imported.notes
