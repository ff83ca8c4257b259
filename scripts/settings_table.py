"""The settings table of docs/settings.md, written from `settings.SETTINGS` (`make docs`).

The table lives between two markers in the Markdown; everything around it is written by hand.
`--check` writes nothing and exits 1 when the committed table is not what SETTINGS gives.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from uhc_portal.settings import SETTINGS, Setting

DOC = Path(__file__).resolve().parent.parent / "docs" / "settings.md"
START = "<!-- settings table: written by `make docs` from settings.SETTINGS; do not edit -->"
END = "<!-- end of settings table -->"


def cell(text: str) -> str:
    """Help text as a table cell: shown as written, never read as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def table(settings: tuple[Setting, ...] = SETTINGS) -> str:
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    for s in settings:
        rows.append(f"| `{s.name}` | `{s.default!r}` | {cell(s.help)} |")
    return "\n".join(rows) + "\n"


def with_table(document: str, settings: tuple[Setting, ...] = SETTINGS) -> str:
    """The document with the text between the markers replaced by the table."""
    head, start, rest = document.partition(START + "\n")
    _old, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"{DOC.name}: the markers {START!r} and {END!r} are missing")
    return head + start + table(settings) + end + tail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if stale")
    args = parser.parse_args(argv)
    document = DOC.read_text(encoding="utf-8")
    wanted = with_table(document)
    if args.check:
        if wanted != document:
            print(f"{DOC.name}: the settings table is stale; run `make docs`", file=sys.stderr)
            return 1
        return 0
    if wanted != document:
        DOC.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
