"""data/sources.yaml: every source a figure, forum or claim cites, by its id: what it is, where
it was published, when it was read, and the excerpt that prints its numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .datafile import require_file, yaml_mapping
from .errors import DataError, error
from .i18n import M_
from .model import Source
from .schema import ID, Fields, parse_date, parse_text, parse_url
from .yamlfile import key_line

SOURCE_FIELDS = (
    "title",
    "publisher",
    "url",
    "published",
    "accessed",
    "excerpt",
    "excerpt_note",
    "note",
)


def load_sources(
    path: Path, root: Path, today: dt.date, errors: list[DataError]
) -> dict[str, Source]:
    if not require_file(path, root, errors):
        return {}
    data, name, lines = yaml_mapping(path, root, errors)
    if data is None:
        return {}
    sources: dict[str, Source] = {}
    for source_id, entry in data.items():
        line = key_line(data, source_id)
        if not isinstance(source_id, str) or not ID.fullmatch(source_id):
            errors.append(
                error(
                    name,
                    line,
                    "id",
                    source_id,
                    M_("id dari huruf kecil, angka dan '-'"),
                    "bad-id",
                )
            )
            continue
        f = Fields(entry, name, line, errors, SOURCE_FIELDS, lines, f"{source_id}.")
        values = {
            "title": f.get("title", parse_text),
            "publisher": f.get("publisher", parse_text, False),
            "url": f.get("url", parse_url, False),
            "published": f.get("published", parse_date, False, today),
            "accessed": f.get("accessed", parse_date, False, today),
            "excerpt": f.get("excerpt", parse_text),
            "note": f.get("note", parse_text, False),
            "excerpt_note": f.get("excerpt_note", parse_text, False),
        }
        if f.ok and values["title"] and values["excerpt"]:
            sources[source_id] = Source(id=source_id, **values, line=line)
    return sources
