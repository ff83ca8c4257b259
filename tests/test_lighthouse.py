"""Lighthouse (npm, pinned; mobile profile) in Debian's Chromium on the key page types of the
real site as published: accessibility, best practices and SEO 100, performance 95 or more
(the median of three runs for a page whose first run falls short: see audit.measured).

`make audit` runs it on every page type and writes the scores to output-audit/.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import NODE_MODULES, PAGE_TYPES, ROOT, build, make_project, needs_chromium

from scripts.audit import free_port, measured, serve, shortfalls

# About 12 s a page: the page types most likely to fall short, for the suite; all in `make audit`
KEY_PAGE_TYPES = ("home", "directory", "region with data", "interactive chart", "search")

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    pytest.mark.skipif(
        not (NODE_MODULES / "lighthouse").is_dir() or shutil.which("node") is None,
        reason="needs node and Lighthouse from npm: `npm ci` (make test)",
    ),
]


@pytest.fixture(scope="module")
def published_real_site(tmp_path_factory):
    """The real data built as published (absolute SITEURL, as canonical links and robots.txt
    need), for the address it is served from."""
    port = free_port()
    siteurl = f"http://127.0.0.1:{port}"
    project = make_project(tmp_path_factory.mktemp("published") / "project", ROOT / "data")
    site = build(project, SITEURL=siteurl, RELATIVE_URLS=False)
    with serve(site, port) as base:
        assert base == siteurl
        yield base


def test_key_pages_meet_the_lighthouse_thresholds(published_real_site):
    results = measured(published_real_site, {t: PAGE_TYPES[t] for t in KEY_PAGE_TYPES})
    assert set(results) == set(KEY_PAGE_TYPES)
    assert all(set(r["scores"]) >= {"performance", "seo"} for r in results.values())
    assert shortfalls(results) == []
