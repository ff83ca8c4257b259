"""The search index: Pagefind reads the finished pages in the staging folder and writes its
bundle into `pagefind/` beside them, one index per page language (`<html lang>`).

Pagefind's binary comes with the pinned PyPI package `pagefind_bin`: nothing is downloaded at
build time. Which pages are indexed and what a result shows are set in the templates
(`data-pagefind-body`, `data-pagefind-meta`, `data-pagefind-filter`).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

BUNDLE = "pagefind"


class SearchIndexError(RuntimeError):
    pass


def index_site(folder: Path) -> None:
    """Index every page under `folder`; any warning from Pagefind fails the build."""
    from pagefind_bin import get_executable

    command = [str(get_executable()), "--site", str(folder), "--output-subdir", BUNDLE, "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    said = (done.stdout + done.stderr).strip()
    if done.returncode != 0 or said:
        raise SearchIndexError(f"search index: Pagefind exited {done.returncode}: {said}")
    if not (folder / BUNDLE / "pagefind.js").is_file():
        raise SearchIndexError(f"search index: Pagefind wrote no {BUNDLE}/pagefind.js")
