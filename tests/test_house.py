"""The code stays a house a newcomer can find their way in (issue 20): each test module stands
alone, importing shared helpers from tests/support.py and fixtures from conftest.py, never
another test module."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_modules(path: Path) -> list[str]:
    """Every module a file imports, at any depth (imports inside functions too)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_no_test_module_imports_another():
    found = [
        f"{path.relative_to(TESTS)} imports {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for name in imported_modules(path)
        if name.split(".")[-1].startswith("test_")
    ]
    assert found == [], "shared helpers belong in tests/support.py"


PLUGIN = TESTS.parent / "plugins" / "uhc_portal"
MAX_LINES = 500
# Modules still longer than MAX_LINES, each with the reason it is not split yet. Remove an entry
# when its module is split; the test fails on an entry that is no longer needed.
LONG_MODULES: dict[str, str] = {}


def lines_of(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_of_the_plugin_is_longer_than_500_lines():
    """One idea per module (issue 20): a module past 500 lines holds several."""
    long = {
        path.relative_to(PLUGIN).as_posix(): lines_of(path)
        for path in sorted(PLUGIN.rglob("*.py"))
        if lines_of(path) > MAX_LINES
    }
    assert sorted(set(long) - set(LONG_MODULES)) == [], f"split these modules: {long}"
    assert sorted(set(LONG_MODULES) - set(long)) == [], "no longer long: remove from LONG_MODULES"
