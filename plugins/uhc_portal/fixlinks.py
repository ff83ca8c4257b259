"""Addresses that invite a fix: the GitHub edit page of a data file at a line, and a new issue
pre-filled through the issue form `.github/ISSUE_TEMPLATE/laporan-angka.yml`."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

ISSUE_FORM = "laporan-angka.yml"


@dataclass(frozen=True)
class FixLinks:
    repository: str  # "owner/name", checked by settings.check_settings
    branch: str

    def edit(self, file: str, line: int) -> str:
        """The edit page of `file` (a path in the repository, e.g. data/sources.yaml)."""
        path = quote(file, safe="/")
        anchor = f"#L{line}" if line > 0 else ""
        return (
            f"https://github.com/{self.repository}/edit/{quote(self.branch, safe='/')}/{path}"
            f"{anchor}"
        )

    def issue(self, title: str, wilayah: str, angka: str, halaman: str) -> str:
        """A new issue from the form, its fields filled by their ids."""
        query = urlencode(
            {
                "template": ISSUE_FORM,
                "title": title,
                "wilayah": wilayah,
                "angka": angka,
                "halaman": halaman,
            },
            quote_via=quote,
        )
        return f"https://github.com/{self.repository}/issues/new?{query}"
