"""A date typed day-first and a code typed in the BPS form get the value to write (issue 22,
item 3)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from conftest import SITE_DATA
from conftest import TODAY as SEED_TODAY
from uhc_portal.dataset import load_dataset
from uhc_portal.errors import DataErrors
from uhc_portal.schema import Problem, parse_code, parse_date

TODAY = dt.date(2026, 12, 6)


@pytest.mark.parametrize("typed", ["31-12-2023", "31/12/2023", "31.12.2023"])
def test_day_first_date_says_what_to_write(typed):
    with pytest.raises(Problem) as caught:
        parse_date(typed, TODAY)
    assert "write 2023-12-31" in caught.value.expected
    assert caught.value.kind == "bad-date"


def test_single_digit_day_and_month_are_padded():
    with pytest.raises(Problem) as caught:
        parse_date("1/2/2024", TODAY)
    assert "write 2024-02-01" in caught.value.expected


def test_bps_form_code_asks_did_you_mean():
    with pytest.raises(Problem) as caught:
        parse_code("3509")
    assert "did you mean 35.09?" in caught.value.expected
    assert caught.value.kind == "bad-code"


def test_province_only_code_field_gives_no_regency_guess():
    with pytest.raises(Problem) as caught:
        parse_code("3509", kinds=("province",))
    assert "did you mean" not in caught.value.expected


@pytest.mark.parametrize(
    ("typed", "guess"),
    [("Wajo", "73.13 (Kabupaten Wajo)"), ("Sidrap", "73.14 (Kabupaten Sidenreng Rappang)")],
)
def test_region_name_in_code_field_asks_did_you_mean(tmp_path, typed, guess):
    """A name or an alias typed as region_code: the code it names, from regencies.csv and
    aliases.yaml, through the importer's lookup."""
    data = tmp_path / "data"
    shutil.copytree(SITE_DATA, data)
    with (data / "coverage" / "contoh.csv").open("a", encoding="utf-8") as f:
        f.write(f"{typed},2021-12,,,,96.10,,wajo-2020\n")
    with pytest.raises(DataErrors) as caught:
        load_dataset(data, SEED_TODAY)
    coded = [e for e in caught.value.errors if e.field == "region_code"]
    assert coded and all(f"did you mean {guess}?" in e.expected for e in coded), coded
