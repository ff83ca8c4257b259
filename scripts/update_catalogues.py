"""Bring each translation (`locale/<lang>/LC_MESSAGES/messages.po`) in line with messages.pot.

Kept translations stay, new msgids are added untranslated (the tests name them), msgids no
longer in the template are dropped. Written sorted, without line numbers or a dated header, so
the file changes only when a message does and merges between branches stay simple.

Usage: python scripts/update_catalogues.py   (run by `make messages` after extraction)
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parent.parent / "plugins" / "uhc_portal" / "locale"


def update(po_path: Path, template_path: Path) -> list[str]:
    """Update one catalogue; return the msgids that still need a translation."""
    language = po_path.parent.parent.name
    with open(template_path, "rb") as f:
        template = read_po(f)
    with open(po_path, "rb") as f:
        catalogue = read_po(f, locale=language)
    catalogue.update(template, no_fuzzy_matching=True, update_header_comment=False)
    with open(po_path, "wb") as f:
        write_po(
            f,
            catalogue,
            omit_header=True,
            no_location=True,
            sort_output=True,
            ignore_obsolete=True,
            width=100,
        )
    return [m.id for m in catalogue if m.id and not m.string]


def main() -> int:
    template = LOCALE / "messages.pot"
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/messages.po")):
        missing = update(po_path, template)
        for msgid in missing:
            print(f"{po_path.relative_to(LOCALE.parent)}: untranslated: {msgid!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
