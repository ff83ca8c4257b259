"""Data errors a steward can act on: each names file, line, field, value and what was expected."""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import M_, Mn_


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
        return f"{where}: {self.message()} [{self.kind}]"

    def message(self) -> str:
        """The field, the value and what was expected, without the place."""
        field = M_("kolom '%(f)s'") % {"f": self.field} if self.field else ""
        value = M_("nilai %(v)s") % {"v": repr(self.value)} if self.value != "" else ""
        said = " ".join(part for part in (field, value) if part)
        return f"{said}: {self.expected}" if said else self.expected


class DataErrors(Exception):
    """Raised once with every error found, so a steward fixes them all in one round."""

    def __init__(self, errors: list[DataError]):
        self.errors = sorted(set(errors))
        super().__init__(self.report())

    def report(self, outcome: str = "") -> str:
        """Every error, a line each, under a line that says what was left undone (`outcome`:
        by default, nothing was published)."""
        count = len(self.errors)
        said = Mn_("%(n)s galat data; %(o)s:", "%(n)s galat data; %(o)s:", count)
        outcome = outcome or M_("tidak ada yang diterbitkan")
        lines = ["uhc_portal: " + said % {"n": count, "o": outcome}]
        lines += [f"  {error}" for error in self.errors]
        return "\n".join(lines)


def error(file: str, line: int, field: str, value: object, expected: str, kind: str) -> DataError:
    """Build a DataError with the value shortened, so a 50 MB cell cannot flood the report."""
    return DataError(file, line, field, shorten(value), expected, kind)


def shorten(value: object, limit: int = 80) -> str:
    """Keep error messages readable when a value is huge (a pasted article, a 10,000-char name)."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def github_annotation(error: DataError) -> str:
    """One `::error` workflow command, so GitHub marks the file and line in a pull request."""
    # Workflow-command escaping: '%', CR and LF everywhere; ':' and ',' too inside properties,
    # else a file name or title containing them would end the property early.
    where = [f"file={_escape_property(error.file)}"]
    if error.line:
        where.append(f"line={error.line}")
    where.append(f"title={_escape_property(f'uhc_portal: {error.kind}')}")
    return f"::error {','.join(where)}::{_escape_data(error.message())}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
