"""One CSV row's cells read by field rules (`schema`), every problem collected with its place:
for the small tables (recognitions, claims) whose rows are read one cell at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import DataError, error
from .i18n import M_
from .loading import Row
from .schema import Problem


class Cells:
    """`get(field, parse)`: a cell's value, or None with its error noted in `errors`."""

    def __init__(self, row: Row):
        self.row = row
        self.errors: list[DataError] = []

    def get(self, field: str, parse: Callable[..., Any], *args: Any, required: bool = True) -> Any:
        row = self.row
        text = row.cells[field].strip()
        if not text:
            if required:
                self.fail(field, "", M_("nilai wajib diisi"), "missing-field")
            return None
        try:
            return parse(text, *args)
        except Problem as problem:
            self.fail(field, text, problem.expected, problem.kind)
            return None

    def fail(self, field: str, value: object, expected: str, kind: str) -> None:
        self.errors.append(error(self.row.file, self.row.line, field, value, expected, kind))
