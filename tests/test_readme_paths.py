"""Every repository path the README, docs/ and the pages name in backticks exists (issue 22,
item 8: the README named `theme/js/cari.js` while the file is `theme/static/js/cari.js`)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "content").rglob("*.md")),
]
# Paths inside the repository start with one of these folders; others (`data/cakupan.csv`,
# `/koreksi/atom.xml`) name files of the built site, not of the repository.
NAMED = re.compile(r"`((?:theme|plugins|tests|scripts|benchmarks|docs|\.github)/[A-Za-z0-9_./-]+)`")


def named_paths():
    for doc in DOCS:
        for line_no, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
            for path in NAMED.findall(line):
                yield doc.relative_to(ROOT).as_posix(), line_no, path


def test_docs_name_some_paths():
    named = {(doc, path) for doc, _, path in named_paths()}
    assert ("docs/search.md", "theme/static/js/cari.js") in named
    assert ("docs/architecture.md", "plugins/uhc_portal/coverage.py") in named


@pytest.mark.parametrize(("doc", "line_no", "path"), list(named_paths()))
def test_named_path_exists(doc, line_no, path):
    assert (ROOT / path.rstrip("/.")).exists(), f"{doc}:{line_no} names {path}, which is missing"
