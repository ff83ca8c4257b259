"""The documentation says what the code and the workflows hold (issue 20): the settings table is
what `settings.SETTINGS` gives, the README's layout names every module of the plugin and nothing
else, the action-pin table is what the workflows use, and every make target is listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from uhc_portal.settings import SETTINGS

from scripts.settings_table import DOC, END, START, table, with_table

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PLUGIN = ROOT / "plugins" / "uhc_portal"
PUBLISHING = ROOT / "docs" / "publishing.md"
# A layout line: its indent, then the names it lists (files, or folders ending in "/").
LAYOUT_LINE = re.compile(r"^(?P<indent> *)(?P<names>(?:[\w.-]+(?:\.\w+|/)(?: |$))+)")
USES = re.compile(
    r"uses: (?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40}) # (?P<version>v[\d.]+)"
)
PIN_ROW = re.compile(
    r"^\| (?P<action>[\w.-]+/[\w./-]+) \| (?P<version>v[\d.]+) \| `(?P<sha>[0-9a-f]{40})` \|$"
)


def test_the_settings_table_is_the_one_settings_gives():
    document = DOC.read_text(encoding="utf-8")
    assert START in document and END in document
    assert with_table(document) == document, "docs/settings.md is stale: run `make docs`"
    written = document.split(START, 1)[1].split(END, 1)[0]
    assert [f"`{s.name}`" in written for s in SETTINGS] == [True] * len(SETTINGS)


def test_the_settings_table_follows_a_changed_help():
    changed = (*SETTINGS[:-1], type(SETTINGS[-1])(SETTINGS[-1].name, "main", "Another text."))
    document = DOC.read_text(encoding="utf-8")
    assert with_table(document, changed) != document
    assert "| `UHC_BRANCH` | `'main'` | Another text. |" in table(changed)


def layout_names(document: Path = README, heading: str = "## Layout") -> set[str]:
    """The names a layout block lists below plugins/uhc_portal/ (the README's, or the module
    list of docs/architecture.md), as paths inside it."""
    block = document.read_text(encoding="utf-8").split(f"{heading}\n", 1)[1].split("```")[1]
    lines = block.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("plugins/uhc_portal/ "))
    names, folder = set(), ""
    for line in lines[start + 1 :]:
        found = LAYOUT_LINE.match(line)
        if not line.startswith("  ") or found is None:
            if not line.startswith("  "):
                break
            continue
        depth = len(found["indent"]) // 2
        listed = found["names"].split()
        if depth == 1:
            folder = listed[-1] if listed[-1].endswith("/") else ""
            names.update(listed)
        else:
            names.update(folder + name for name in listed)
    return names


def modules() -> set[str]:
    """Every file and folder of the plugin, and the files of its charts/ package."""
    top = {
        p.name + ("/" if p.is_dir() else "")
        for p in PLUGIN.iterdir()
        if p.name != "__pycache__" and not p.name.startswith(".")
    }
    charts = {
        f"charts/{p.name}"
        for p in (PLUGIN / "charts").iterdir()
        if p.name != "__pycache__" and not p.name.startswith(".")
    }
    return top | charts


def test_the_readme_fits_on_a_screen_or_two():
    """What it is, the set-up, the make targets, the layout and links: the rest is in docs/."""
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 120


@pytest.mark.parametrize(
    ("document", "heading"),
    [(README, "## Layout"), (ROOT / "docs" / "architecture.md", "## Every module")],
)
def test_the_readme_layout_names_every_module_and_nothing_else(document, heading):
    listed, present = layout_names(document, heading), modules()
    assert "charts/region.py" in present and "__main__.py" in present
    assert sorted(present - listed) == [], "in plugins/uhc_portal/ but not in the README's layout"
    assert sorted(listed - present) == [], "in the README's layout but not in plugins/uhc_portal/"


def test_the_pin_table_is_what_the_workflows_use():
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    used = {
        m.group("action", "version", "sha") for w in workflows for m in USES.finditer(w.read_text())
    }
    lines = PUBLISHING.read_text(encoding="utf-8").splitlines()
    pinned = [m.group("action", "version", "sha") for line in lines if (m := PIN_ROW.match(line))]
    assert used, "no pinned action found in the workflows"
    assert len(pinned) == len(set(pinned)), "an action listed twice in docs/publishing.md"
    assert set(pinned) == used


def test_every_make_target_is_in_the_readme():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.search(r"^\.PHONY: (.*)$", makefile, re.MULTILINE)[1].split()
    block = README.read_text(encoding="utf-8").split("## Make targets\n", 1)[1].split("```")[1]
    named = set(re.findall(r"\bmake ([\w-]+)", block)) | set(re.findall(r"\(or ([\w-]+)\)", block))
    assert sorted(set(targets) - named) == [], "make targets the README does not list"
