"""The bench's two baselines: the same calibrated Markdown pages built by Pelican and by Hugo
give the same URLs, the same text and tables, and pages of about the same size."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from benchmarks import baselines, hugo

# HTML sizes of a small portal build's pages, index.html first.
SIZES = [3000, 1500, 30_000, 90_000]


def markdown_body(path: Path) -> str:
    """A page's Markdown after its metadata (Pelican's header or Hugo's front matter)."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        return text.split("\n---\n\n", 1)[1]
    return text.split("\n\n", 1)[1]


def test_both_baselines_get_the_same_markdown(tmp_path: Path):
    pelican_site, hugo_site = baselines.make_baselines(tmp_path, SIZES, with_hugo=True)
    assert hugo_site is not None
    pelican_pages = sorted((pelican_site / "content" / "pages").glob("*.md"))
    hugo_pages = sorted((hugo_site / "content").glob("*.md"))
    assert [p.name for p in pelican_pages] == [p.name for p in hugo_pages]
    assert len(pelican_pages) == len(SIZES) - 1  # the index page is the sites' own
    for a, b in zip(pelican_pages, hugo_pages, strict=True):
        assert markdown_body(a) == markdown_body(b)
    assert markdown_body(pelican_pages[-1]).count("\n| ") > 300, "the big page has its table"


def test_without_hugo_only_pelicans_pages_are_written(tmp_path: Path):
    pelican_site, hugo_site = baselines.make_baselines(tmp_path, SIZES, with_hugo=False)
    assert hugo_site is None and not (tmp_path / "hugo").exists()
    assert len(list((pelican_site / "content" / "pages").glob("*.md"))) == 3


@pytest.mark.skipif(shutil.which("hugo") is None, reason="Hugo is not installed")
def test_hugo_builds_the_pages_pelican_builds(tmp_path: Path):
    pelican_site, hugo_site = baselines.make_baselines(tmp_path, SIZES, with_hugo=True)
    assert hugo_site is not None
    logs = tmp_path / "logs"
    logs.mkdir()
    binary, why = hugo.find()
    assert binary is not None, why
    by_hugo = baselines.build_hugo(hugo_site, logs, binary)
    by_pelican = baselines.build_baseline(pelican_site, logs)
    assert by_hugo.returncode == 0, (logs / "hugo.log").read_text()
    assert by_pelican.returncode == 0, (logs / "baseline.log").read_text()
    assert by_hugo.pages == by_pelican.pages == len(SIZES)

    hugo_out, pelican_out = hugo_site / "public", pelican_site / "output"
    pages = sorted(p.relative_to(pelican_out) for p in pelican_out.rglob("*.html"))
    assert sorted(p.relative_to(hugo_out) for p in hugo_out.rglob("*.html")) == pages
    for page in pages:
        ours, theirs = (hugo_out / page).read_bytes(), (pelican_out / page).read_bytes()
        assert abs(len(ours) - len(theirs)) < 0.06 * len(theirs), page
        a, b = BeautifulSoup(ours, "html.parser"), BeautifulSoup(theirs, "html.parser")
        assert a.title.get_text() == b.title.get_text()
        assert [h.get_text() for h in a.select("h1, h2")] == [
            h.get_text() for h in b.select("h1, h2")
        ]
        assert [r.get_text("|") for r in a.select("tr")] == [
            r.get_text("|") for r in b.select("tr")
        ]
        assert a.main.get_text(" ", strip=True) == b.main.get_text(" ", strip=True)
