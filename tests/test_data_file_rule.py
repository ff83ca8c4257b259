"""The data guide's rule for where a row goes matches the files in data/ (issue 22, item 4):
each coverage and recognitions file is named by the slug of the province of every row in it,
nasional.csv holds only ID, and the only other files are the exceptions the guide names."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GUIDE = (ROOT / "content" / "pages" / "panduan-data.md").read_text(encoding="utf-8")


def slug(name: str) -> str:
    return re.sub(r"\s+", "-", name.strip().lower())


def provinces() -> dict[str, str]:
    with (DATA / "regions" / "provinces.csv").open(encoding="utf-8") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


def exceptions() -> set[str]:
    said = GUIDE.split("Pengecualian:", 1)[1].split("\n\n", 1)[0]
    return set(re.findall(r"`(data/[a-z/-]+\.csv)`", said))


def test_guide_states_the_rule_with_its_examples():
    for example in ("data/coverage/jawa-timur.csv", "data/coverage/nasional.csv"):
        assert f"`{example}`" in GUIDE
    assert slug("Jawa Timur") == "jawa-timur"
    assert "data/recognitions/" in GUIDE


@pytest.mark.parametrize("folder", ["coverage", "recognitions"])
def test_every_file_is_named_by_its_rows_province(folder):
    names = provinces()
    wrong = []
    for path in sorted((DATA / folder).glob("*.csv")):
        if f"data/{folder}/{path.name}" in exceptions():
            continue
        with path.open(encoding="utf-8") as f:
            for line, row in enumerate(csv.DictReader(f), 2):
                code = row["region_code"].strip()
                want = "nasional" if code == "ID" else slug(names.get(code[:2], "?"))
                if path.stem != want:
                    wrong.append(f"data/{folder}/{path.name}:{line}: {code} belongs in {want}.csv")
    assert not wrong, "\n".join(wrong[:20])


def test_named_exceptions_exist_and_really_mix_provinces():
    assert exceptions()
    for named in exceptions():
        with (ROOT / named).open(encoding="utf-8") as f:
            assert len({row["region_code"][:2] for row in csv.DictReader(f)}) > 1, named
