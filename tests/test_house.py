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
