"""The Frictionless Data Package of data/ (datapackage.json): every CSV there with its table
schema, and the size and hash of each as written, known without reading a file twice."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from .data_tables import TABLES, Table
from .i18n import _

DATA_FOLDER = "data"
ODBL = {
    "name": "ODbL-1.0",
    "path": "https://opendatacommons.org/licenses/odbl/1-0/",
    "title": "Open Data Commons Open Database License 1.0",
}


FACTS: dict[tuple[int, ...], tuple[int, str]] = {}
"""file_facts of the files this build has hashed, by inode: the national CSV is hard-linked into
every language's folder and hashed once. Emptied at each build's start (`forget_facts`), so an
inode is never taken for another build's file."""


def forget_facts() -> None:
    FACTS.clear()


def remember_facts(path: Path, size: int, sha256: str) -> None:
    """A file's facts known as it was written (figure_downloads.Hashed): not read back."""
    stat = path.stat()
    FACTS[(stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)] = (size, sha256)


def file_facts(path: Path) -> tuple[int, str]:
    """Size in bytes and SHA-256 of a written file, read in blocks (the national CSV is large)."""
    stat = path.stat()
    key = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
    if key not in FACTS:
        digest = hashlib.sha256()
        with open(path, "rb") as stream:
            while block := stream.read(1 << 20):
                digest.update(block)
        FACTS[key] = (stat.st_size, digest.hexdigest())
    return FACTS[key]


def schema(table: Table) -> dict[str, Any]:
    described: dict[str, Any] = {"fields": table.fields, "missingValues": [""]}
    if table.primary_key:
        described["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        described["foreignKeys"] = [
            {"fields": field, "reference": {"resource": resource, "fields": target}}
            for field, resource, target in table.foreign_keys
        ]
    return described


def package(folder: Path, siteurl: str) -> dict[str, Any]:
    """The Data Package of data/: every CSV there, with its size and hash as written."""
    resources = []
    for table in TABLES:
        size, sha256 = file_facts(folder / table.file)
        resource: dict[str, Any] = {
            "name": table.name,
            "path": table.file,
            "profile": "tabular-data-resource",
            "title": _(table.title),
            "description": _(table.description),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": size,
            "hash": f"sha256:{sha256}",
            "schema": schema(table),
        }
        if table.name == "wilayah":
            resource["licenses"] = [ODBL]
        resources.append(resource)
    return {
        "profile": "tabular-data-package",
        "name": "pantau-uhc",
        "title": "Pantau UHC",
        "description": _(
            "Cakupan kepesertaan JKN kabupaten/kota di Indonesia, setiap angka dengan tanggal, "
            "sumber, asal (dicetak atau dihitung) dan status UHC menurut aturan yang berlaku."
        ),
        "homepage": f"{siteurl}/{DATA_FOLDER}/",
        "resources": resources,
    }
