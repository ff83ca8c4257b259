"""Every module that finds data errors tells them in Indonesian by default (issue 22, item 3):
one fixture per module (coverage rows, excerpts, forums and regions in dataset, file and YAML
reading, claims, recognitions, corrections, aliases, tiles, the importer and its numbers), each
asserting the Indonesian text and that no English wording is left in the report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SITE_DATA, TODAY, seed_data
from support import TABLE, add_table_source, report_for, run
from uhc_portal.dataset import load_dataset
from uhc_portal.errors import DataErrors
from uhc_portal.i18n import MESSAGE_LANGUAGE

# Words of the former English messages: none may stand in an Indonesian report.
ENGLISH = (
    " the ",
    "an id",
    "a code",
    "at most",
    "at least",
    "one of",
    "listed in",
    "already at",
    "required",
    "valid ",
    "found ",
    "field ",
)

# A fixture of tests/invalid/ per module, and the Indonesian its error must say.
FIXTURES = {
    "coverage/unknown-region": "atau ID untuk seluruh negeri",  # coverage.py
    "coverage/inconsistent-figures": "dari jumlah-jumlah di baris yang sama",  # coverage.py
    "coverage/missing-field": "kode wilayah wajib diisi",  # coverage.py
    "coverage/duplicate-snapshot": "satu angka per wilayah, tanggal dan sumber; 73.14 2019-09",
    "coverage/wrong-cell-count": "ditemukan 9. Koma desimal (82,77)",  # loading.py
    "coverage/bad-header": "(nama sama, urutan sama)",  # loading.py
    "coverage/not-in-excerpt": "311.600 di kutipan sumber 'wajo-2020'",  # excerpts.py
    "forums/bad-choice": "salah satu dari forum-pku",  # dataset.py
    "forums/unknown-source": "id yang didefinisikan di data/sources.yaml",  # dataset.py
    "forums/yaml-alias": "jangkar dan alias (& dan *) tidak boleh",  # loading.py
    "forums/yaml-syntax": "YAML yang sah",  # loading.py
    "recognitions/unknown-region": "kode kabupaten/kota atau provinsi yang tercantum",
    "recognitions/duplicate-recognition": "tiap penghargaan sekali per sumber",
    "recognitions/bad-year": "tahun empat angka, mis. 2024",
    "claims/count-over-total": "paling banyak sebesar total (416)",  # claims.py
    "claims/duplicate-claim": "tiap klaim sekali per sumber dan tanggal",  # claims.py
    "claims/not-whole-number": "jumlah wilayah sebagai bilangan bulat",  # claims.py
}


@pytest.fixture(autouse=True)
def indonesian(monkeypatch):
    """The default a steward gets: no language asked for (the tests' conftest asks English)."""
    monkeypatch.delenv(MESSAGE_LANGUAGE)


def assert_indonesian(report: str, said: str) -> None:
    assert said in report
    for english in ENGLISH:
        assert english not in report, (english, report)


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_each_module_s_error_is_indonesian(tmp_path, fixture):
    _file, errors = report_for(tmp_path, fixture)
    assert_indonesian(DataErrors(errors).report(), FIXTURES[fixture])


def errors_of(data: Path) -> str:
    with pytest.raises(DataErrors) as caught:
        load_dataset(data, TODAY)
    return caught.value.report()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(SITE_DATA, copy)
    return copy


def test_a_correction_s_error_is_indonesian(data):
    (data / "corrections.yaml").write_text(
        'corrections:\n  - region: "73.13"\n    as_of: "2020-09"\n'
        "    was: {population: 376386, participants: 311536, coverage_pct: 82.77, "
        'source: wajo-2020}\n    withdrawn: true\n    date: "2026-11-20"\n'
        "    reason: Angka ini bukan angka Kabupaten Wajo.\n    source: wajo-2020\n",
        encoding="utf-8",
    )
    report = errors_of(data)
    assert_indonesian(report, "angka 73.13 2020-09 sudah tidak ada di berkas cakupan")
    assert "(hapus barisnya, atau tulis 'now:')" in report


def test_an_alias_s_and_a_tile_s_and_a_region_s_errors_are_indonesian(data):
    regions = data / "regions"
    with (regions / "aliases.yaml").open("a", encoding="utf-8") as out:
        out.write('"Wajo Baru": "73.99"\n')
    with (regions / "tiles.csv").open("a", encoding="utf-8") as out:
        out.write("73,Sulsel,3,6\n")
    with (regions / "provinces.csv").open("a", encoding="utf-8") as out:
        out.write("16,Sumatera Selatan\n")
    report = errors_of(data)
    assert_indonesian(report, "kode yang tercantum di regencies.csv atau provinces.csv")
    assert "tiap provinsi sekali saja" in report  # tiles.csv
    assert "tiap kode sekali saja" in report  # provinces.csv


def test_the_importer_s_errors_are_indonesian(tmp_path, capsys):
    data = add_table_source(seed_data(tmp_path / "repo" / "data"))
    table = tmp_path / "t.csv"
    table.write_text(
        'Kabupaten/Kota,Jumlah Peserta\nKab. Wajoo Lama,1.223.745\nKab. Mukomuko,"2,307,677"\n',
        encoding="utf-8",
    )
    assert run(str(table), "--source", TABLE, "--as-of", "2024", "--data", str(data)) == 1
    report = capsys.readouterr().err
    assert_indonesian(report, "nama wilayah yang dikenal (yang termirip:")  # importing.py
    assert "tambahkan nama lain di data/regions/aliases.yaml" in report
    assert "kolom 1 (Kabupaten/Kota)" in report  # tables.py: the cell's place
    assert "satu format bilangan per kolom" in report  # numbers.py


def test_the_commands_refusals_are_indonesian(tmp_path, capsys):
    """`add-source` and `import` refuse wrong options before reading anything, in Indonesian."""
    from uhc_portal.__main__ import main

    data = add_table_source(seed_data(tmp_path / "repo" / "data"))
    bad_id = ["add-source", "--data", str(data), "--id", "Berita Baru", "--title", "Judul"]
    assert main([*bad_id, "--excerpt", "Cakupan 95 %."]) == 2
    report = capsys.readouterr().err
    assert_indonesian(report, "--id 'Berita Baru': huruf kecil, angka dan '-'")
    assert "sources.yaml dibiarkan seperti semula." in report
    table = tmp_path / "rekap.ods"
    table.write_text("", encoding="utf-8")
    arguments = ["--source", "koran-tak-ada", "--as-of", "31-12-2023", "--data", str(data)]
    assert run(str(tmp_path / "tidak-ada.csv"), *arguments, "--output", "a/b.txt") == 2
    report = capsys.readouterr().err
    assert_indonesian(report, "--source 'koran-tak-ada': id di sources.yaml (tambahkan dulu")
    assert "--as-of '31-12-2023': tanggal YYYY-MM-DD: tulis 2023-12-31" in report
    assert "nama berkas berakhiran .csv, tanpa folder" in report
    assert "tidak-ada.csv: berkas ini tidak ada" in report
    assert run(str(table), "--source", TABLE, "--as-of", "2024", "--data", str(data)) == 1
    report = capsys.readouterr().err
    assert_indonesian(report, "simpan dulu sebagai XLSX atau CSV (format ini tidak dibaca)")
    assert "tidak ada yang ditulis." in report


def test_the_importer_s_notes_are_indonesian(tmp_path, capsys):
    """What `import` says of the table (header, columns, rows skipped), in the guide's words."""
    from support import office_xlsx

    data = add_table_source(seed_data(tmp_path / "repo" / "data"))
    table = office_xlsx(
        tmp_path / "rekap.xlsx",
        [("Kab. Blitar", "1.223.745", "1.190.000", None, "97,24"), ("Kota Blitar", *[None] * 3)],
    )
    arguments = ["--source", TABLE, "--as-of", "2024-06-30", "--data", str(data), "--dry-run"]
    assert run(str(table), *arguments) == 0
    said, diff = capsys.readouterr().out.split("Perbedaan angka: ")
    assert_indonesian(said, "(lembar pertama): kepala tabel di baris 4-5; 'Kabupaten/Kota' → name")
    assert "kolom 'No': tidak diimpor" in said
    assert "baris 9 dilewati: baris jumlah ('JUMLAH 9.999.999 9.999.999')" in said
    assert "baris 11 dilewati: catatan ('*) Sumber" in said
    assert "bilangan dibaca dengan format Indonesia (2.307.677; 93,71)" in said
    assert "akan menulis 1 baris ke " in said
    assert_indonesian(diff, "data/ sebelum impor → salinan kerja")  # figdiff.py
    assert "Angka baru (1)" in diff and "Status berubah (" in diff


def test_valid_data_is_said_in_indonesian(data, capsys):
    from uhc_portal.__main__ import main

    assert main(["validate", "--data", str(data)]) == 0
    assert_indonesian(capsys.readouterr().out, "uhc_portal: data sah: 4 kabupaten/kota, ")
