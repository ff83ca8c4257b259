"""Opening one of data/'s named files for its reader: a file that must be there, a YAML file
that must be a mapping. Each problem is an error at the file, collected with the others."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import DataError, error
from .i18n import M_
from .loading import display_name
from .yamlfile import read_yaml


def require_file(path: Path, root: Path, errors: list[DataError]) -> bool:
    if path.is_file():
        return True
    errors.append(error(display_name(path, root), 0, "", "", M_("berkas ini ada"), "missing-file"))
    return False


def yaml_mapping(path: Path, root: Path, errors: list[DataError]) -> tuple[Any, str, list[str]]:
    data, problems, name = read_yaml(path, root)
    errors += problems
    if problems:
        return None, name, []
    if not isinstance(data, dict):
        errors.append(
            error(name, 1, "", type(data).__name__, M_("pasangan kolom: nilai"), "not-a-mapping")
        )
        return None, name, []
    return data, name, path.read_text(encoding="utf-8-sig").splitlines()
