"""Weight budget: the heaviest region page of the national synthetic set, as a phone on a slow
connection fetches it (HTML and CSS, each gzipped), is at most 60 KB.

The whole national set takes about a minute to build, so the test builds a slice of it: the
regions with the most figures and the most forums, with every figure and every forum that their
pages show (forums naming them or their province) and all 514 regencies, sources and rules.
Their pages are the national build's pages, since a region page shows only its own figures,
forums and sources.
"""

from __future__ import annotations

import csv
import gzip
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import build, make_project

from benchmarks import synthetic

BUDGET = 60 * 1024  # bytes, gzipped
CANDIDATES = 3  # heaviest regions by figures, and by forums, each


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def forum_regions(text: str) -> list[str]:
    match = re.search(r"^regions: \[(.*)\]$", text, re.M)
    assert match, "a synthetic forum names its regions on one line"
    return re.findall(r'"([\d.]+)"', match.group(1))


def slice_of(national: Path, target: Path) -> list[str]:
    """Copy `national` to `target` keeping the figures and forums of the heaviest regions only;
    returns their codes."""
    coverage = sorted((national / "coverage").glob("*.csv"))
    rows = Counter()
    for path in coverage:
        with path.open(encoding="utf-8", newline="") as handle:
            rows.update(row["region_code"] for row in csv.DictReader(handle))
    forums = {
        path: forum_regions(path.read_text(encoding="utf-8"))
        for path in sorted((national / "forums").glob("*.yaml"))
    }
    named = Counter(code for codes in forums.values() for code in codes)
    regions_named = Counter({c: named[c] + named[c[:2]] for c in rows})
    chosen = sorted(
        {c for c, _ in rows.most_common(CANDIDATES)}
        | {c for c, _ in regions_named.most_common(CANDIDATES)}
    )
    keep = set(chosen) | {code[:2] for code in chosen}

    shutil.copytree(national, target, ignore=shutil.ignore_patterns("coverage", "forums"))
    (target / "coverage").mkdir()
    (target / "forums").mkdir()
    for path in coverage:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines[1:] if line.split(",", 1)[0] in chosen]
        (target / "coverage" / path.name).write_text(lines[0] + "".join(kept), encoding="utf-8")
    for path, codes in forums.items():
        if keep & set(codes):
            shutil.copy(path, target / "forums" / path.name)
    return chosen


@pytest.fixture(scope="module")
def heaviest(tmp_path_factory) -> tuple[Path, list[str]]:
    work = tmp_path_factory.mktemp("weight")
    synthetic.generate(work / "national", synthetic.Size.national())
    chosen = slice_of(work / "national", work / "slice")
    project = make_project(work / "project", work / "slice")
    return build(project, UHC_TODAY=synthetic.TODAY.isoformat(), UHC_CHART_CACHE=False), chosen


@pytest.mark.slow
def test_heaviest_region_page_with_its_css_is_at_most_60_kb_gzipped(heaviest):
    site, chosen = heaviest
    css = sum(gzipped(path) for path in sorted((site / "theme" / "css").glob("*.css")))
    weights = {code: gzipped(site / "wilayah" / code / "index.html") + css for code in chosen}
    code, heaviest_weight = max(weights.items(), key=lambda item: item[1])
    page = (site / "wilayah" / code / "index.html").read_text(encoding="utf-8")
    assert page.count("<tr") > 100, "the page holds its ten years of monthly figures"
    assert "<svg" in page, "and its chart"
    assert heaviest_weight <= BUDGET, (
        f"wilayah/{code}/ weighs {heaviest_weight / 1024:.1f} KB gzipped with its CSS "
        f"(budget {BUDGET // 1024} KB); all: {weights}"
    )
