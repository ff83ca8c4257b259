"""Data errors in Indonesian for Indonesian stewards, through the interface's catalogue, and in
English when asked (`--messages en` or UHC_MESSAGE_LANGUAGE=en); each still names the file, the
line, the field and what was expected, and `--format github` annotates in the language asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, seed_data
from uhc_portal.__main__ import main
from uhc_portal.i18n import MESSAGE_LANGUAGE, message_language

JEMBER_ROW = "Jember,31-12-2023,,69.6,,69.6,,upeks-wajo-2020\n"  # name, day-first date, count
NEW_FILE = "jawa-timur.csv"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The real regions and sources, and one new row typed as a new steward might: three
    mistakes."""
    data = seed_data(tmp_path / "data")
    header = (ROOT / "data" / "coverage" / "berita-awal.csv").read_text().splitlines()[0]
    (data / "coverage" / NEW_FILE).write_text(f"{header}\n{JEMBER_ROW}", encoding="utf-8")
    return data


def row_line(data: Path) -> int:
    lines = (data / "coverage" / NEW_FILE).read_text(encoding="utf-8").splitlines()
    return lines.index(JEMBER_ROW.strip()) + 1


def validate(data: Path, capsys, *options: str) -> tuple[int, str, str]:
    code = main([*options, "validate", "--data", str(data)])
    said = capsys.readouterr()
    return code, said.out, said.err


def test_messages_are_indonesian_unless_asked(monkeypatch, data, capsys):
    monkeypatch.delenv(MESSAGE_LANGUAGE)
    assert message_language() == "id"
    code, _out, report = validate(data, capsys)
    line = row_line(data)
    assert code == 1
    assert "uhc_portal: 3 galat data; tidak ada yang diterbitkan:" in report
    place = f"  {data.name}/coverage/{NEW_FILE}:{line}: "
    assert (
        place + ("kolom 'region_code' nilai 'Jember': kode Kemendagri berbentuk '73.13' atau '73'")
        in report
    )
    assert "maksudnya 35.09 (Kabupaten Jember)? [bad-code]" in report
    assert (
        place + "kolom 'as_of' nilai '31-12-2023': tanggal YYYY-MM-DD: tulis 2023-12-31" in report
    )
    assert (
        place + "kolom 'participants' nilai '69.6': jumlah orang sebagai bilangan bulat" in report
    )
    for english in ("field", "value", "expected", "did you mean", "write", "nothing"):
        assert english not in report


@pytest.mark.parametrize("asked", ["flag", "environment"])
def test_english_when_asked(monkeypatch, data, capsys, asked):
    monkeypatch.delenv(MESSAGE_LANGUAGE)
    if asked == "environment":
        monkeypatch.setenv(MESSAGE_LANGUAGE, "en")
    options = ("--messages", "en") if asked == "flag" else ()
    code, _out, report = validate(data, capsys, *options)
    line = row_line(data)
    assert code == 1
    assert "uhc_portal: 3 data errors; nothing was published:" in report
    place = f"  {data.name}/coverage/{NEW_FILE}:{line}: "
    assert place + "field 'as_of' value '31-12-2023': a date YYYY-MM-DD: write 2023-12-31" in report
    assert "did you mean 35.09 (Kabupaten Jember)? [bad-code]" in report
    assert "galat" not in report and "kolom" not in report


def test_github_annotations_in_the_language_asked(monkeypatch, data, capsys):
    monkeypatch.delenv(MESSAGE_LANGUAGE)
    line = row_line(data)
    where = (
        f"::error file={data.name}/coverage/{NEW_FILE},line={line},title=uhc_portal%3A bad-date::"
    )
    _code, out, _err = validate_github(data, capsys)
    assert where + "kolom 'as_of' nilai '31-12-2023': tanggal YYYY-MM-DD: tulis 2023-12-31" in out
    _code, out, _err = validate_github(data, capsys, "--messages", "en")
    assert where + "field 'as_of' value '31-12-2023': a date YYYY-MM-DD: write 2023-12-31" in out


def validate_github(data: Path, capsys, *options: str) -> tuple[int, str, str]:
    code = main([*options, "validate", "--data", str(data), "--format", "github"])
    said = capsys.readouterr()
    return code, said.out, said.err
