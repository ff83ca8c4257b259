"""Data errors a steward can act on: each names file, line, field, value and what was expected."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class DataError:
    file: str
    line: int
    field: str
    value: str
    expected: str
    kind: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" field '{self.field}'" if self.field else ""
        value = f" value {self.value!r}" if self.value != "" else ""
        return f"{where}:{field}{value}: {self.expected} [{self.kind}]"


class DataErrors(Exception):
    """Raised once with every error found, so a steward fixes them all in one round."""

    def __init__(self, errors: list[DataError]):
        self.errors = sorted(set(errors))
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.errors)
        lines = [
            f"uhc_portal: {count} data error{'s' if count != 1 else ''}; nothing was published:"
        ]
        lines += [f"  {error}" for error in self.errors]
        return "\n".join(lines)


def error(file: str, line: int, field: str, value: object, expected: str, kind: str) -> DataError:
    """Build a DataError with the value shortened, so a 50 MB cell cannot flood the report."""
    return DataError(file, line, field, shorten(value), expected, kind)


def shorten(value: object, limit: int = 80) -> str:
    """Keep error messages readable when a value is huge (a pasted article, a 10,000-char name)."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
