"""The benchmark's synthetic data generator: deterministic, valid, and unmistakably synthetic."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from support import tree
from uhc_portal.dataset import load_dataset

from benchmarks import synthetic

SMALL = synthetic.Size(
    provinces=3, regencies=11, months=14, forums=9, sources=4, correction_rate=0.2
)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    synthetic.generate(tmp_path / "data", SMALL)
    return tmp_path / "data"


def test_same_size_and_seed_give_identical_tree(tmp_path: Path, small: Path):
    again = tmp_path / "again" / "data"
    synthetic.generate(again, SMALL)
    assert tree(again) == tree(small)
    other = tmp_path / "other" / "data"
    synthetic.generate(other, SMALL, seed=synthetic.SEED + 1)
    assert tree(other) != tree(small)


def test_validates_clean_with_the_promised_counts(small: Path):
    dataset = load_dataset(small, synthetic.TODAY)
    assert len(dataset.provinces) == 3
    assert len(dataset.regencies) == 11
    monthly = [s for s in dataset.snapshots if s.as_of.precision == "month"]
    corrections = [s for s in dataset.snapshots if s.as_of.precision == "day"]
    assert len(monthly) == 11 * 14
    assert corrections, "some monthly figures are corrected by a dated row"
    assert {s.source_id for s in corrections} <= {f"sintetis-koreksi-{y}" for y in (2024, 2025)}
    assert len(dataset.forums) == 9
    assert any(f.commitments for f in dataset.forums)
    kinds = {
        (s.population.origin, s.participants.origin, s.coverage_pct.origin)
        for s in dataset.snapshots
    }
    assert len(kinds) >= 3, "rows print different mixes of figures, as real sources do"


def test_everything_is_marked_synthetic(small: Path):
    assert "SYNTHETIC" in (small / synthetic.MARKER).read_text()
    dataset = load_dataset(small, synthetic.TODAY)
    names = [r.name for r in dataset.regencies.values()]
    names += [p.name for p in dataset.provinces.values()]
    assert all("Sintetis" in name for name in names)
    assert all("sintetis" in s.title.lower() for s in dataset.sources.values())
    assert all(
        s.url is None or s.url.startswith("https://example.org/") for s in dataset.sources.values()
    )
    assert all("sintetis" in f.title for f in dataset.forums)
    for path in [*small.rglob("*.yaml")]:
        assert path.read_text().startswith("# SYNTHETIC"), path


def test_one_change_edits_one_row_in_place_and_stays_valid(small: Path):
    before = tree(small)
    code = synthetic.regency_codes(SMALL)[4]
    line = synthetic.change_one_row(small, code)
    after = tree(small)
    changed = [name for name in before if before[name] != after[name]]
    assert len(changed) == 1 and changed[0].startswith("coverage/sintetis-2025")
    old = before[changed[0]].decode().splitlines()
    new = after[changed[0]].decode().splitlines()
    assert len(old) == len(new)
    assert [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b] == [new.index(line)]
    assert next(csv.reader([line]))[0] == code
    load_dataset(small, synthetic.TODAY)


def test_national_sizes_fit_the_code_shapes():
    national = synthetic.Size.national()
    assert (
        national.provinces,
        national.regencies,
        national.months * national.regencies,
        national.forums,
    ) == (38, 514, 61_680, 2000)
    ten = synthetic.Size.national(10)
    ten.check()
    codes = synthetic.regency_codes(ten)
    assert len(codes) == len(set(codes)) == 5140
    assert all(len(c) == 5 and c[2] == "." and c[3:] != "00" for c in codes)


def test_refuses_to_write_into_a_folder_with_tree(tmp_path: Path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sources.yaml").write_text("keep: me\n")
    with pytest.raises(FileExistsError):
        synthetic.generate(tmp_path / "data", SMALL)


def test_ratios_line_has_the_promised_shape():
    from benchmarks import measure, report

    def result(name: str, wall: float, stopped: bool = False) -> measure.Result:
        return measure.Result(name, wall, wall, 1.0, 1.0, 1, 1.0, 0, stopped=stopped)

    results = {
        "cold": result("cold", 30),
        "warm": result("warm", 5),
        "one_change": result("one_change", 6),
        "baseline": result("baseline", 20),
        "scale10": result("scale10", 300),
    }
    assert report.line_of(report.ratios_of(results, "wall_s"), stopped=False) == (
        "cold=1.50 warm=0.25 one_change=0.30 scale10=10.00"
    )
    assert report.line_of(report.ratios_of(results, "wall_s"), stopped=True).endswith(
        "scale10=>10.00"
    )
