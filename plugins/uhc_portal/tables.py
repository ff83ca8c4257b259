"""Published tables of regional figures (XLSX or CSV, as offices export them) → a header and
data rows, with each cell's place named as the steward sees it (row 12, cell D12).

pandas reads the file; here the header row is found below titles, a merged two-row header is
joined ("Peserta JKN" over "Terdaftar" and "Aktif"), and columns are mapped to the contract by
their Indonesian or English names.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .i18n import M_
from .numbers import Cell

MAX_HEADER_SEARCH = 40  # rows of titles and notes above a header
NAME_WORDS = re.compile(
    r"\b(kabupaten|kab|kota|kab\s*/\s*kota|kabupaten\s*/\s*kota|wilayah|daerah|region|regency|"
    r"regencies|district|nama)\b"
)
PERCENT_WORDS = re.compile(r"%|\bpersen|\bpersentase|\bcakupan|\bcoverage|\brate\b|\bproporsi")
ACTIVE_WORDS = re.compile(r"\baktif|\bactive")
NOT_ENROLLED_WORDS = re.compile(
    r"\bbelum\b|\btidak terdaftar|\bnot enrolled|\bunregistered|\bnon[- ]?peserta"
)
POPULATION_WORDS = re.compile(r"\bpenduduk|\bpopulation|\bjumlah jiwa")
PARTICIPANT_WORDS = re.compile(
    r"\bpeserta|\bparticipants?\b|\bterdaftar|\benrolled|\bjkn|\bkepesertaan"
)
FIELDS = ("name", "population", "participants", "active_participants", "coverage_pct")
FIELDS += ("not_enrolled",)
ACTIVE_RATE = "active-rate"  # a column the contract has no place for, and must not be coverage
NOT_A_FIGURE = re.compile(r"\b(kode|code|id|provinsi|province|tahun|year|satuan|unit)\b")
COLUMN_NUMBERS = re.compile(r"\(?\d{1,2}\)?")


class TableProblem(Exception):
    """The table cannot be read or its columns not mapped; nothing was written."""


def field_of(label: str) -> str | None:
    """The contract field a header names, ACTIVE_RATE for an active-participants rate, or None."""
    text = " ".join(label.casefold().replace("_", " ").split())  # open-data exports: snake_case
    if not text or NOT_A_FIGURE.search(text):
        return None
    percent = bool(PERCENT_WORDS.search(text))
    if ACTIVE_WORDS.search(text):
        return ACTIVE_RATE if percent else "active_participants"
    if NOT_ENROLLED_WORDS.search(text):
        return None if percent else "not_enrolled"
    if percent:
        return "coverage_pct"
    if POPULATION_WORDS.search(text):
        return "population"
    if PARTICIPANT_WORDS.search(text):
        return "participants"
    if NAME_WORDS.search(text):
        return "name"
    return None


@dataclass
class Table:
    """A sheet as read: cells by row and column, and how to name a place in it."""

    file: str
    cells: list[list[object]]
    spreadsheet: bool  # rows and cells named like a spreadsheet's (D12) or a CSV's (line 12)
    description: str

    def text(self, row: int, col: int) -> str:
        return Cell.of(self.raw(row, col)).text

    def raw(self, row: int, col: int) -> object:
        return self.cells[row][col] if col < len(self.cells[row]) else None

    @property
    def row_word(self) -> str:
        return "row" if self.spreadsheet else "line"

    def line(self, row: int) -> int:
        return row + 1

    def place(self, row: int, col: int, label: str) -> str:
        if self.spreadsheet:
            from openpyxl.utils import get_column_letter

            return f"{get_column_letter(col + 1)}{row + 1} ({label})"
        return M_("kolom %(n)s (%(l)s)") % {"n": col + 1, "l": label}


def read_table(path: Path, sheet: str | None = None) -> Table:
    """Read XLSX (a chosen sheet, else the first) or CSV (delimiter and encoding found)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet)
    if path.suffix.lower() in (".xls", ".ods", ".numbers"):
        raise TableProblem(
            f"{path}: " + M_("simpan dulu sebagai XLSX atau CSV (format ini tidak dibaca)")
        )
    if sheet is not None:
        raise TableProblem(
            f"{path}: " + M_("--sheet untuk berkas XLSX; berkas ini dibaca sebagai CSV")
        )
    return read_csv_table(path)


def read_xlsx(path: Path, sheet: str | None) -> Table:
    import pandas as pd  # here: `python -m uhc_portal build` registers this command, not pandas

    chosen: str | int = 0
    if sheet is not None:
        chosen = int(sheet) - 1 if sheet.isdigit() else sheet
    try:
        frame = pd.read_excel(path, sheet_name=chosen, header=None, dtype=object, engine="openpyxl")
    except (ValueError, KeyError) as exc:  # an unknown sheet name or number
        with pd.ExcelFile(path, engine="openpyxl") as book:
            names = ", ".join(repr(n) for n in book.sheet_names)
        said = M_("tidak ada lembar %(s)s (%(e)s); lembarnya: %(n)s")
        raise TableProblem(f"{path}: " + said % {"s": repr(sheet), "e": exc, "n": names}) from None
    except Exception as exc:
        said = M_("bukan berkas XLSX yang dapat dibaca: %(e)s") % {"e": exc}
        raise TableProblem(f"{path}: {said}") from None
    label = M_("lembar %(s)s") % {"s": repr(sheet)} if sheet is not None else M_("lembar pertama")
    return Table(str(path), frame.to_numpy().tolist(), True, f"{path} ({label})")


ENCODINGS = ("utf-8-sig", "cp1252")


def decode(raw: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-16 when it starts so, else UTF-8, else Windows-1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"


def delimiter_of(text: str) -> str:
    """The delimiter that splits most lines into the same number (two or more) of fields."""
    lines = [line for line in text.splitlines()[:200] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in (";", ",", "\t", "|"):
        widths = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        common = max(set(widths), key=widths.count) if widths else 1
        score = (widths.count(common) if common > 1 else 0, common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv_table(path: Path) -> Table:
    import pandas as pd

    text, encoding = decode(path.read_bytes())
    delimiter = delimiter_of(text)
    width = max((len(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)), default=1)
    frame = pd.read_csv(
        io.StringIO(text),
        sep=delimiter,
        header=None,
        names=range(width),
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=False,
        engine="python",
        quotechar='"',
    )
    name = {"\t": "tab"}.get(delimiter, repr(delimiter))
    return Table(str(path), frame.to_numpy().tolist(), False, f"{path} ({encoding}, {name})")


@dataclass
class Header:
    """Where the header is, the label of every column, and the row the data starts on."""

    row: int
    rows: int  # 1, or 2 for a merged two-row header
    labels: list[str]

    @property
    def data_start(self) -> int:
        return self.row + self.rows


def find_header(table: Table) -> Header:
    """The first row (within MAX_HEADER_SEARCH) naming a region column and a number column,
    joined with the row below when that row continues it (labels only, under a merged cell)."""
    for r in range(min(MAX_HEADER_SEARCH, len(table.cells))):
        top = [table.text(r, c) for c in range(len(table.cells[r]))]
        fields = [field_of(t) for t in top]
        if not any(fields):
            continue
        below = r + 1 < len(table.cells) and continues(table, r + 1, fields)
        labels = joined(top, [table.text(r + 1, c) for c in range(len(top))]) if below else top
        found = {field_of(label) for label in labels}
        if "name" in found and found & {*FIELDS[1:], ACTIVE_RATE}:
            return Header(r, 2 if below else 1, labels)
    raise TableProblem(
        f"{table.description}: "
        + M_(
            "tidak ada baris kepala di %(n)s baris pertama: baris yang menyebut wilayah "
            "(Kabupaten/Kota) dan sebuah angka (Jumlah Penduduk, Jumlah Peserta, Cakupan (%%)); "
            "sebut kolomnya dengan --column bila namanya tidak biasa"
        )
        % {"n": MAX_HEADER_SEARCH}
    )


def continues(table: Table, r: int, top_fields: list[str | None]) -> bool:
    """A second header row: labels only (no number), nothing under the region-name label."""
    cells = [Cell.of(table.raw(r, c)) for c in range(len(top_fields))]
    texts = [c.text for c in cells if not c.empty]
    if not texts or any(c.typed or re.fullmatch(r"[\d.,\s%]+", c.text) for c in cells if c.text):
        return False
    return all(cells[c].empty for c, f in enumerate(top_fields) if f == "name")


def joined(top: list[str], below: list[str]) -> list[str]:
    """Labels of a two-row header: a merged cell's text (left-most only, as read) carried over
    the cells below it, then joined with theirs: 'Peserta JKN Aktif'."""
    labels, carried = [], ""
    for upper, lower in zip(top, below, strict=True):
        if upper:
            carried = upper
        above = upper or (carried if lower else "")
        labels.append(" ".join(t for t in (above, lower) if t))
    return labels


def normal_label(label: str) -> str:
    return " ".join(label.casefold().split())


def map_columns(header: Header, overrides: dict[str, str]) -> tuple[dict[str, int], list[str]]:
    """Each contract field → its column; notes on columns left out. Raises TableProblem when a
    field has two columns, an override names no column, or an active rate would be coverage."""
    columns: dict[str, int] = {}
    notes: list[str] = []
    problems: list[str] = []
    by_label = {normal_label(label): c for c, label in enumerate(header.labels) if label}
    taken: dict[int, str] = {}
    for field, wanted in overrides.items():
        if field not in FIELDS:
            problems.append(
                f"--column {field}=…: " + M_("kolom dari %(f)s") % {"f": ", ".join(FIELDS)}
            )
            continue
        column = by_label.get(normal_label(wanted))
        if column is None:
            shown = ", ".join(repr(label) for label in header.labels if label)
            said = M_("tidak ada kolom bernama begitu; kolomnya: %(c)s") % {"c": shown}
            problems.append(f"--column {field}={wanted!r}: {said}")
            continue
        if field == "coverage_pct" and field_of(wanted) == ACTIVE_RATE:
            problems.append(
                f"--column coverage_pct={wanted!r}: "
                + M_(
                    "kolom ini persentase peserta aktif; coverage_pct adalah peserta terdaftar "
                    "dibagi penduduk dan tidak pernah persentase aktif (catat active_participants "
                    "sebagai jumlah)"
                )
            )
            continue
        columns[field] = column
        taken[column] = field
    for c, label in enumerate(header.labels):
        if c in taken or not label:
            continue
        field = field_of(label)
        if field == ACTIVE_RATE:
            said = M_(
                "kolom %(l)s adalah persentase peserta aktif: tidak diimpor (kontrak mencatat "
                "peserta aktif sebagai jumlah, dan coverage_pct tidak pernah persentase aktif)"
            )
            notes.append(said % {"l": repr(label)})
        elif field is None:
            notes.append(M_("kolom %(l)s: tidak diimpor") % {"l": repr(label)})
        elif field in columns:
            if field not in overrides:
                first = header.labels[columns[field]]
                problems.append(
                    M_(
                        "kolom %(a)s dan %(b)s bisa sama-sama %(f)s: "
                        'pilih satu dengan --column %(f)s="…"'
                    )
                    % {"a": repr(first), "b": repr(label), "f": field}
                )
        else:
            columns[field] = c
    if "name" not in columns:
        problems.append(M_('tidak ada kolom nama wilayah: sebut dengan --column name="…"'))
    if problems:
        raise TableProblem("; ".join(problems))
    return columns, notes
