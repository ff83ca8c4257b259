"""The search index: Pagefind reads the finished pages in the staging folder and writes its
bundle into `pagefind/` beside them, one index per page language (`<html lang>`).

Pagefind's binary comes with the pinned PyPI package `pagefind_bin`: nothing is downloaded at
build time. Which pages are indexed and what a result shows are set in the templates
(`data-pagefind-body`, `data-pagefind-meta`, `data-pagefind-filter`).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

BUNDLE = "pagefind"
SAFE_NAME = re.compile(r"[A-Za-z0-9._-]+")


class SearchIndexError(RuntimeError):
    pass


def index_site(folder: Path, languages: list[str] | None = None) -> None:
    """Index the pages of each language's root; any warning from Pagefind fails the build.

    The first language lives at the root and each other one in a folder named after it
    (`/en/`), with its own copy of the theme and so of theme/js/cari.js, which looks for the
    bundle two folders above itself: each language root gets its own bundle, and the root's
    holds its own pages only (a glob naming every top-level folder but the languages').
    """
    others = {language for language in (languages or [])[1:] if (folder / language).is_dir()}
    for language in sorted(others):
        run_pagefind(folder / language)
    run_pagefind(folder, own_pages_glob(folder, others) if others else None)


def own_pages_glob(folder: Path, leave_out: set[str]) -> str:
    """'{*.html,forum/**/*.html,wilayah/**/*.html}': the root's pages without `leave_out`."""
    parts = ["*.html"]
    for child in sorted(folder.iterdir()):
        if child.is_dir() and child.name not in leave_out:
            if not SAFE_NAME.fullmatch(child.name):
                raise SearchIndexError(
                    f"search index: a folder name Pagefind's glob cannot hold: {child.name!r}"
                )
            parts.append(f"{child.name}/**/*.html")
    return "{" + ",".join(parts) + "}"


def run_pagefind(root: Path, glob: str | None = None) -> None:
    from pagefind_bin import get_executable

    command = [str(get_executable()), "--site", str(root), "--output-subdir", BUNDLE, "--quiet"]
    if glob:
        command += ["--glob", glob]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    said = (done.stdout + done.stderr).strip()
    if done.returncode != 0 or said:
        raise SearchIndexError(f"search index: Pagefind exited {done.returncode}: {said}")
    if not (root / BUNDLE / "pagefind.js").is_file():
        raise SearchIndexError(f"search index: Pagefind wrote no {BUNDLE}/pagefind.js in {root}")
