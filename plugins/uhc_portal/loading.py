"""Read CSV files into plain records that remember their file and line (YAML: `yamlfile`).

Nothing here knows what a coverage figure is; `schema` gives the cells meaning.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, error
from .i18n import M_

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_ERRORS_PER_FILE = 100  # a wrong file would otherwise flood the report, one error per row


@dataclass(frozen=True, slots=True)
class Row:
    """One CSV record: the cells as text, exactly as the steward typed them."""

    file: str
    line: int
    cells: dict[str, str]


class Text:
    """A data file's text with its display name, or the errors that stopped us reading it."""

    def __init__(self, path: Path, root: Path, limit: int = MAX_FILE_BYTES):
        self.name = display_name(path, root)
        self.text = ""
        self.errors: list[DataError] = []
        inside = path.resolve().is_relative_to(root.resolve())
        if path.is_symlink() or not inside or not path.is_file():
            # A link could point at /dev/zero or at a secret outside the repository.
            self.errors.append(
                error(
                    self.name,
                    0,
                    "",
                    "",
                    M_("berkas biasa (bukan tautan, folder atau perangkat)"),
                    "not-a-file",
                )
            )
            return
        size = path.stat().st_size
        if size <= limit:
            with path.open("rb") as file:
                raw = file.read(size + 1)
                if len(raw) > size:  # it grew since stat(): read on, never past the limit
                    raw += file.read(limit + 1 - len(raw))
            size = len(raw)
        if size > limit:
            self.errors.append(
                error(
                    self.name,
                    0,
                    "",
                    M_("%(n)s bita") % {"n": size},
                    M_("berkas data paling besar %(n)s MB") % {"n": limit // (1024 * 1024)}
                    + (
                        M_("; pecah berkasnya (misalnya satu berkas per provinsi atau per tahun)")
                        if limit == MAX_FILE_BYTES
                        else ""
                    ),
                    "file-too-large",
                )
            )
            return
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.errors.append(
                error(
                    self.name,
                    line,
                    "",
                    repr(raw[exc.start : exc.start + 4]),
                    M_("teks UTF-8; simpan berkasnya sebagai 'CSV UTF-8' / UTF-8"),
                    "not-utf8",
                )
            )
            return
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")


def display_name(path: Path, root: Path) -> str:
    """Name files as a steward sees them in the repository: data/coverage/x.csv."""
    # As written first; resolving only the parent names a link as written, not as its target.
    if path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    resolved, base = path.parent.resolve() / path.name, root.resolve()
    if resolved.is_relative_to(base):
        return resolved.relative_to(base).as_posix()
    return path.as_posix()


def read_csv(
    path: Path, root: Path, header: list[str], optional: Sequence[str] = ()
) -> tuple[list[Row], list[DataError]]:
    """Read a comma-separated file whose first line is `header` and maybe the first of `optional`;
    a row's optional cells the file or the row (an older one) lacks are empty."""
    source = Text(path, root)
    if source.errors:
        return [], source.errors
    name = source.name
    first_line = source.text.split("\n", 1)[0]
    if ";" in first_line and "," not in first_line:
        return [], [
            error(
                name,
                1,
                "",
                first_line,
                M_(
                    "nilai yang dipisah koma; berkas ini memakai pemisah ';' (lembar kerja "
                    "berlokal Indonesia menyimpannya begitu, dengan koma desimal). Simpan sebagai "
                    "'CSV (comma delimited)' dengan titik desimal: 82.77, bukan 82,77"
                ),
                "semicolon-separated",
            )
        ]
    reader = csv.reader(io.StringIO(source.text), strict=True)
    try:
        found = next(reader, None)
    except csv.Error as exc:
        expected = M_("kepala CSV yang sah (%(e)s)") % {"e": exc}
        return [], [error(name, 1, "", first_line, expected, "csv-syntax")]
    if found is None:
        expected = M_("baris kepala: %(h)s") % {"h": ",".join(header)}
        return [], [error(name, 1, "", "", expected, "empty-file")]
    extra = found[len(header) :]
    if found[: len(header)] != header or extra != list(optional[: len(extra)]):
        return [], [
            error(
                name,
                1,
                "",
                ",".join(found),
                M_("kepala %(h)s (nama sama, urutan sama)") % {"h": ",".join(header)}
                + (M_(", boleh diikuti %(o)s") % {"o": ",".join(optional)} if optional else ""),
                "bad-header",
            )
        ]
    missing, base, header = {n: "" for n in optional[len(extra) :]}, len(header), found
    rows: list[Row] = []
    errors: list[DataError] = []
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            expected = M_("CSV yang sah (%(e)s)") % {"e": exc}
            errors.append(error(name, reader.line_num, "", "", expected, "csv-syntax"))
            break
        if not "".join(cells).strip():  # no cells, or only blank ones
            continue
        if len(cells) == base < len(header):  # a row without the optional cells: all empty
            cells += [""] * (len(header) - base)
        if len(cells) != len(header):
            if len(errors) >= MAX_ERRORS_PER_FILE:
                errors.append(too_many_errors(name, reader.line_num))
                break
            errors.append(_width_error(name, reader.line_num, cells, header))
            continue
        rows.append(Row(name, reader.line_num, dict(zip(header, cells, strict=True)) | missing))
    return rows, errors


def too_many_errors(name: str, line: int) -> DataError:
    return error(
        name,
        line,
        "",
        "",
        M_(
            "paling banyak %(n)s galat didaftar per berkas dan sisanya tidak diperiksa: benarkah "
            "ini berkasnya, dengan kolom yang benar?"
        )
        % {"n": MAX_ERRORS_PER_FILE},
        "too-many-errors",
    )


def _width_error(name: str, line: int, cells: list[str], header: list[str]) -> DataError:
    joined = ",".join(cells)
    hint = ""
    if len(cells) > len(header):
        hint = " " + M_(
            "Koma desimal (82,77) atau koma ribuan (311,536) membelah bilangan menjadi dua: "
            "tulis 82.77 dan 311536."
        )
    if ";" in joined:
        hint = " " + M_("Baris ini memakai pemisah ';'; pakai koma.")
    return error(
        name,
        line,
        "",
        joined,
        M_("%(n)s sel (%(h)s), ditemukan %(k)s.")
        % {"n": len(header), "h": ",".join(header), "k": len(cells)}
        + hint,
        "wrong-cell-count",
    )
