"""`python -m uhc_portal import`: a published table of regional figures → a new coverage file.

Nothing is guessed and nothing half-built is written: every name must match one region (or be
given a code), every number must read one way; then the new file is validated with the whole
data folder in a staging copy, exactly as if typed by hand, and only a valid result is written.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .coverage import COUNT_FIELDS, HEADER
from .errors import DataError, DataErrors, error
from .files import atomic_write, write_new
from .i18n import M_, Mn_
from .model import Dataset
from .names import TOTALS, NameIndex, squeeze
from .numbers import (
    Cell,
    Convention,
    NumberProblem,
    Reading,
    column_evidence,
    count_reading,
    parse_count_cell,
    parse_percent_cell,
)
from .schema import Problem, parse_date
from .staging import staging_copy
from .tables import (
    COLUMN_NUMBERS,
    Header,
    Table,
    TableProblem,
    find_header,
    map_columns,
    read_table,
)

NOTE_START = ("*", "sumber", "keterangan", "catatan", "ket.", "ket :", "note", "source")


@dataclass
class Imported:
    """What a table gives: contract rows with the table line of each, notes, and problems."""

    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[DataError] = field(default_factory=list)


def read_figures(
    table: Table,
    index: NameIndex,
    overrides: dict[str, str],
    codes: dict[str, str],
    source: str,
    as_of: str,
) -> Imported:
    """The table's figures as contract rows, or the problems that stop them being written."""
    # Load inputs.
    header = find_header(table)
    columns, notes = map_columns(header, overrides)
    out = Imported(notes=describe(table, header, columns) + notes)
    numbers = {f: c for f, c in columns.items() if f != "name"}
    name_col = columns["name"]
    label = header.labels

    # Process data: which rows are figures, then their names and numbers.
    data_rows: list[tuple[int, str]] = []
    for r in range(header.data_start, len(table.cells)):
        kind, name = classify(table, r, name_col, numbers, label[name_col])
        if kind == "data" and (codes.get(squeeze(name)) is None) and name:
            outcome = index.match(name).outcome
            if outcome == "province":
                kind = M_("baris provinsi (%(n)s)") % {"n": repr(name)}
        if kind == "data":
            data_rows.append((r, name))
        elif kind != "blank":
            said = (
                M_("baris %(n)s dilewati: %(k)s")
                if table.row_word == "row"
                else M_("baris teks %(n)s dilewati: %(k)s")
            )
            out.notes.append(said % {"n": table.line(r), "k": kind})
    readings = column_readings(table, data_rows, numbers, header, out)
    if "coverage_pct" in numbers:
        fractions(table, [r for r, _ in data_rows], numbers["coverage_pct"], header, out)
    for r, name in data_rows:
        code = resolve(name, index, codes, table, r, label[name_col], name_col, out)
        row = {"region_code": code or "", "as_of": as_of, "source": source}
        for f, c in numbers.items():
            row[f] = number(table, r, c, f, readings.get(f), label[c], out)
        out.rows.append({f: row.get(f, "") for f in HEADER})
        out.lines.append(table.line(r))
    if not data_rows:
        out.problems.append(
            error(
                table.file, 0, "", "", M_("baris-baris angka di bawah kepala tabel"), "no-figures"
            )
        )
    return out


def describe(table: Table, header: Header, columns: dict[str, int]) -> list[str]:
    rows = (
        M_("baris %(a)s-%(b)s") % {"a": header.row + 1, "b": header.row + 2}
        if header.rows == 2
        else M_("baris %(a)s") % {"a": header.row + 1}
    )
    mapped = ", ".join(f"{header.labels[c]!r} → {f}" for f, c in columns.items())
    said = M_("membaca %(t)s: kepala tabel di %(r)s; %(m)s")
    return [said % {"t": table.description, "r": rows, "m": mapped}]


def classify(
    table: Table, r: int, name_col: int, numbers: dict[str, int], name_label: str
) -> tuple[str, str]:
    """'data', 'blank', or why the row is skipped: totals, a province, a note, a header again."""
    name = table.text(r, name_col)
    cells = [Cell.of(table.raw(r, c)) for c in range(len(table.cells[r]))]
    texts = [c.text for c in cells if not c.empty]
    if not texts:
        return "blank", name
    filled = [c for c in numbers.values() if not Cell.of(table.raw(r, c)).empty]
    # "Jumlah" in the name column, or beside it (a merged cell) when that is empty
    labels = [name] if name else [cells[c].text for c in range(len(cells)) if c not in numbers]
    if any(TOTALS.match(t) for t in labels):
        return M_("baris jumlah (%(t)s)") % {"t": repr(" ".join(texts[:3]))}, name
    if squeeze(name) == squeeze(name_label):
        return M_("kepala tabel diulang"), name
    if not name and not filled:
        return M_("catatan (%(t)s)") % {"t": repr(" ".join(texts)[:60])}, name
    if all(COLUMN_NUMBERS.fullmatch(t) for t in texts) and len(texts) > 2:
        return M_("nomor kolom"), name
    if name and not filled:
        if name.casefold().startswith(NOTE_START):
            return M_("catatan (%(t)s)") % {"t": repr(name[:60])}, name
        return M_("%(n)s tanpa angka") % {"n": repr(name)}, name
    return "data", name


def resolve(
    name: str,
    index: NameIndex,
    codes: dict[str, str],
    table: Table,
    r: int,
    name_label: str,
    name_col: int,
    out: Imported,
) -> str | None:
    """A name's code, or None with a problem listing the candidates, or with a note when the
    row is a province's or a total."""
    place = table.place(r, name_col, name_label)
    if not name:
        out.problems.append(
            error(table.file, table.line(r), place, "", M_("nama wilayah"), "missing-name")
        )
        return None
    given = codes.get(squeeze(name))
    if given:
        return given
    match = index.match(name)
    if match.code:
        return match.code
    hint = M_('tambahkan nama lain di data/regions/aliases.yaml atau beri --code "%(n)s=<kode>"')
    hint %= {"n": name}
    if match.outcome == "ambiguous":
        listed = "; ".join(str(c) for c in match.candidates)
        expected = M_("satu wilayah; nama ini cocok dengan %(k)s: %(l)s; %(h)s") % {
            "k": len(match.candidates),
            "l": listed,
            "h": hint,
        }
    else:
        closest = "; ".join(str(c) for c in match.candidates) or M_("tidak ada yang mirip")
        expected = M_("nama wilayah yang dikenal (yang termirip: %(c)s); %(h)s") % {
            "c": closest,
            "h": hint,
        }
    out.problems.append(
        error(table.file, table.line(r), place, name, expected, f"{match.outcome}-name")
    )
    return None


def column_readings(
    table: Table,
    data_rows: list[tuple[int, str]],
    numbers: dict[str, int],
    header: Header,
    out: Imported,
) -> dict[str, Reading | None]:
    """How each count column's lone groups ('1.234') read: its own format, else the table's."""
    cells = {f: [Cell.of(table.raw(r, c)) for r, _ in data_rows] for f, c in numbers.items()}
    own: dict[str, Convention | None] = {}
    mixed: set[str] = set()  # reported once here, not read again (count_reading would raise)
    for f, column in cells.items():
        try:
            own[f] = column_evidence(column)
        except NumberProblem as problem:
            place = table.place(header.row, numbers[f], header.labels[numbers[f]])
            out.problems.append(
                error(table.file, table.line(header.row), place, "", problem.expected, problem.kind)
            )
            own[f] = None
            mixed.add(f)
    seen = {e for e in own.values() if e}
    table_convention = seen.pop() if len(seen) == 1 else None
    if table_convention:
        out.notes.append(
            M_("bilangan dibaca dengan format Indonesia (2.307.677; 93,71)")
            if table_convention == "id"
            else M_("bilangan dibaca dengan format internasional (2,307,677; 93.71)")
        )
    return {
        f: None if f in mixed else count_reading(column, own[f] or table_convention)
        for f, column in cells.items()
        if f in COUNT_FIELDS
    }


def fractions(table: Table, rows: list[int], c: int, header: Header, out: Imported) -> None:
    """A sheet that shows 93,71 % may hold 0.9371 under a % format, which pandas reads as is:
    a column of spreadsheet numbers all at most 1 is refused rather than read as under 1 %."""
    cells = [Cell.of(table.raw(r, c)) for r in rows]
    filled = [cell for cell in cells if not cell.empty]
    if filled and all(cell.typed and float(cell.text) <= 1 for cell in filled):
        place = table.place(header.row, c, header.labels[c])
        expected = (
            M_(
                "persentase seperti 93.71; sel-sel ini berisi pecahan (0.9371) yang ditampilkan "
                "lembar kerja dengan format %%: format kolomnya sebagai angka persen biasa, atau "
                "simpan sebagai CSV dengan nilai seperti yang tampil"
            )
            % {}
        )
        out.problems.append(
            error(table.file, table.line(header.row), place, filled[0].text, expected, "fraction")
        )


def number(table: Table, r: int, c: int, f: str, reading, label: str, out: Imported) -> str:
    """A cell as the contract writes it: digits for a count, a decimal point for a %."""
    cell = Cell.of(table.raw(r, c))
    if cell.empty:
        return ""
    try:
        if f == "coverage_pct":
            return parse_percent_cell(cell)
        return str(parse_count_cell(cell, reading))
    except NumberProblem as problem:
        out.problems.append(
            error(
                table.file,
                table.line(r),
                table.place(r, c, label),
                cell.text,
                problem.expected,
                problem.kind,
            )
        )
        return ""


def csv_text(rows: list[dict[str, str]], header: bool = True) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(HEADER)
    writer.writerows([row[f] for f in HEADER] for row in rows)
    return buffer.getvalue()


def table_place(word: str, line: int) -> str:
    """Where in the imported table a row came from: a spreadsheet's row, a text file's line."""
    if word == "row":
        return M_("baris tabel %(n)s") % {"n": line}
    return M_("baris teks tabel %(n)s") % {"n": line}


def with_table_lines(
    errors: list[DataError], target: str, first_line: int, lines: list[int], word: str
) -> Iterator[DataError]:
    """Errors in the new file, each also naming the table's row (or line) it came from."""
    for e in errors:
        k = e.line - first_line
        if e.file == target and 0 <= k < len(lines):
            yield DataError(
                e.file,
                e.line,
                e.field,
                e.value,
                f"{e.expected} ({table_place(word, lines[k])})",
                e.kind,
            )
        else:
            yield e


def run_import(args: argparse.Namespace) -> int:
    from .regions import load_aliases, load_regions
    from .sources import load_sources

    # Load inputs.
    data_dir: Path = args.data
    today = dt.date.today()
    errors: list[DataError] = []
    root = data_dir.parent
    provinces, regencies = load_regions(data_dir / "regions", root, errors)
    codes = set(provinces) | set(regencies)
    aliases = load_aliases(data_dir / "regions" / "aliases.yaml", root, codes, errors)
    sources = load_sources(data_dir / "sources.yaml", root, today, errors)
    if errors:
        print(DataErrors(errors).report(), file=sys.stderr)
        return 1
    problems = argument_problems(args, today, set(sources), regencies)
    target = data_dir / "coverage" / (args.output or f"{args.source}.csv")
    if target.exists() and not args.append:
        problems.append(
            M_("%(t)s sudah ada: pilih nama lain dengan --output, atau beri --append")
            % {"t": target}
        )
    if (
        args.append
        and target.exists()
        and not target.read_text("utf-8-sig").startswith(",".join(HEADER))
    ):
        problems.append(
            M_("%(t)s: --append memerlukan berkas yang diawali kepala kontrak") % {"t": target}
        )
    if problems:
        for problem in problems:
            print(f"uhc_portal import: {problem}", file=sys.stderr)
        return 2
    try:
        table = read_table(args.file, args.sheet)
        imported = read_figures(
            table,
            NameIndex(provinces, regencies, aliases),
            dict(args.column),
            {squeeze(name): code for name, code in args.code},
            args.source,
            args.as_of,
        )
    except TableProblem as exc:
        print(f"uhc_portal import: {exc}; " + M_("tidak ada yang ditulis."), file=sys.stderr)
        return 1

    # Process data: report, then validate the new rows with everything else.
    for note in imported.notes:
        print(f"uhc_portal import: {note}")
    if imported.problems:
        print(DataErrors(imported.problems).report(M_("tidak ada yang ditulis")), file=sys.stderr)
        return 1
    appending = args.append and target.exists()
    old = target.read_text("utf-8") if appending else ""
    if old and not old.endswith("\n"):
        old += "\n"
    text = old + csv_text(imported.rows, header=not appending)
    first_line = old.count("\n") + (1 if appending else 2)  # the first new row's line
    from .dataset import load_dataset

    with staging_copy(data_dir) as staged:
        write_new(staged / "coverage" / target.name, text.encode("utf-8"))
        try:
            head = load_dataset(staged, today)
        except DataErrors as exc:
            shown = f"{data_dir.name}/coverage/{target.name}"
            marked = with_table_lines(exc.errors, shown, first_line, imported.lines, table.row_word)
            print(DataErrors(marked).report(M_("tidak ada yang ditulis")), file=sys.stderr)
            return 1

    # Save outputs.
    count = len(imported.rows)
    if args.dry_run:
        said = Mn_(
            "akan menulis %(n)s baris ke %(t)s:", "akan menulis %(n)s baris ke %(t)s:", count
        )
        print("uhc_portal import: " + said % {"n": count, "t": target})
        print(csv_text(imported.rows), end="")
        print_diff(data_dir, today, head)
        return 0
    atomic_write(target, text.encode("utf-8"))
    said = Mn_(
        "%(n)s baris ditulis ke %(t)s; datanya sah.",
        "%(n)s baris ditulis ke %(t)s; datanya sah.",
        count,
    )
    print("uhc_portal import: " + said % {"n": count, "t": target})
    return 0


def print_diff(data_dir: Path, today: dt.date, head: Dataset) -> None:
    """What the site would show differently after the import (the figure diff)."""
    from .dataset import load_dataset
    from .figdiff import compare, text_report

    print(text_report(compare(load_dataset(data_dir, today), head, M_("data/ sebelum impor"))))


def argument_problems(args, today: dt.date, sources: set[str], regencies: dict) -> list[str]:
    problems = []
    try:
        parse_date(args.as_of, today)
    except Problem as problem:
        problems.append(f"--as-of {args.as_of!r}: {problem.expected}")
    if args.source not in sources:
        problems.append(
            f"--source {args.source!r}: "
            + M_("id di sources.yaml (tambahkan dulu dengan `python -m uhc_portal add-source`)")
        )
    for name, code in args.code:
        if code not in regencies:
            problems.append(
                f'--code "{name}={code}": '
                + M_("kode kabupaten/kota yang tercantum di regencies.csv")
            )
    if args.output and (not args.output.endswith(".csv") or "/" in args.output):
        problems.append(
            f"--output {args.output!r}: " + M_("nama berkas berakhiran .csv, tanpa folder")
        )
    if not args.file.is_file():
        problems.append(f"{args.file}: " + M_("berkas ini tidak ada"))
    return problems


def pair(text: str) -> tuple[str, str]:
    """'participants=Jumlah Peserta' → ('participants', 'Jumlah Peserta')."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: expected NAME=VALUE")
    return key.strip(), value.strip().strip('"')


def add_command(commands) -> None:
    """The `import` subcommand, kept here so the command line stays a list of commands."""
    command = commands.add_parser(
        "import", help="import a published table of regional figures into data/coverage/"
    )
    command.add_argument("file", type=Path, help="the table: .xlsx or .csv")
    command.add_argument("--source", required=True, help="its id in sources.yaml")
    command.add_argument("--as-of", required=True, help="the date of its figures: YYYY[-MM[-DD]]")
    command.add_argument("--sheet", help="XLSX sheet name or number (default: the first)")
    command.add_argument(
        "--column",
        type=pair,
        action="append",
        default=[],
        metavar="FIELD=HEADER",
        help="map a column by its header: name, population, participants, active_participants, "
        "coverage_pct, not_enrolled",
    )
    command.add_argument(
        "--code",
        type=pair,
        action="append",
        default=[],
        metavar="NAME=CODE",
        help='the region code of a name printed in the table, e.g. "Blitar=35.72"',
    )
    command.add_argument("--output", help="file name under data/coverage/ (default: SOURCE.csv)")
    command.add_argument("--append", action="store_true", help="add to an existing file")
    command.add_argument("--dry-run", action="store_true", help="print, write nothing")
    command.add_argument("--data", type=Path, default=Path("data"))
    command.set_defaults(run=run_import)
