"""`python -m uhc_portal add-source`: a new sources.yaml entry from flags, checked as validation
checks it, written with the file's comments and layout kept (ruamel.yaml round trip)."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import itertools
import sys
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString

from .files import atomic_write, write_new
from .i18n import M_
from .schema import ID, Problem, parse_date, parse_text, parse_url
from .sources import SOURCE_FIELDS
from .staging import staging_copy

FOLD_AT = 80  # longer texts are written folded (>-), as the stewards write them by hand


def round_trip() -> YAML:
    yaml = YAML()  # round-trip: comments, key order and quoting kept
    yaml.width = 4096  # the file's long lines as they are; new long texts folded by `folded`
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    return yaml


def folded(text: str) -> FoldedScalarString:
    """A long text written as `>-` in lines of at most FOLD_AT characters, as by hand."""
    scalar = FoldedScalarString(text)
    scalar.fold_pos = []  # the spaces ruamel breaks the lines at
    start = 0
    spaces = [i for i, ch in enumerate(text) if ch == " "] + [len(text)]
    for before, space in itertools.pairwise(spaces):
        if space - start > FOLD_AT and before > start:
            scalar.fold_pos.append(before)
            start = before + 1
    return scalar


def entry_problems(args: argparse.Namespace, existing: set[str], today: dt.date) -> list[str]:
    problems = []
    if not ID.fullmatch(args.id):
        problems.append(f"--id {args.id!r}: " + M_("huruf kecil, angka dan '-'"))
    elif args.id in existing:
        problems.append(
            f"--id {args.id!r}: " + M_("sudah ada di sources.yaml; tiap id sekali saja")
        )
    checks = {"title": parse_text, "excerpt": parse_text, "publisher": parse_text}
    checks |= {"excerpt_note": parse_text, "note": parse_text, "url": parse_url}
    for name, parse in checks.items():
        value = getattr(args, name)
        if value is not None:
            try:
                parse(value)
            except Problem as problem:
                problems.append(f"--{name.replace('_', '-')} {value!r}: {problem.expected}")
    for name in ("published", "accessed"):
        value = getattr(args, name)
        if value is not None:
            try:
                parse_date(value, today)
            except Problem as problem:
                problems.append(f"--{name.replace('_', '-')} {value!r}: {problem.expected}")
    return problems


def run_add_source(args: argparse.Namespace) -> int:
    from .dataset import load_dataset
    from .errors import DataErrors

    # Load inputs.
    path: Path = args.data / "sources.yaml"
    today = dt.date.today()
    yaml = round_trip()
    original = path.read_text("utf-8")
    data = yaml.load(original)
    problems = entry_problems(args, set(data or {}), today)
    if problems:
        for problem in problems:
            print(f"uhc_portal add-source: {problem}", file=sys.stderr)
        print(
            "uhc_portal add-source: " + M_("sources.yaml dibiarkan seperti semula."),
            file=sys.stderr,
        )
        return 2

    # Process data.
    entry = {}
    for name in SOURCE_FIELDS:
        value = getattr(args, name)
        if value is None:
            continue
        value = " ".join(value.split())  # YAML folds line breaks into spaces anyway
        if name in ("published", "accessed"):
            entry[name] = DoubleQuotedScalarString(value)  # text, as the file quotes dates
        elif len(value) > FOLD_AT and name in ("title", "excerpt", "note"):
            entry[name] = folded(value)
        else:
            entry[name] = value
    data[args.id] = entry
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    text = buffer.getvalue()

    # Save outputs: only if the whole data folder validates with the entry.
    with staging_copy(args.data) as staged:
        write_new(staged / "sources.yaml", text.encode("utf-8"))
        try:
            load_dataset(staged, today)
        except DataErrors as exc:
            print(exc.report(M_("sources.yaml dibiarkan seperti semula")), file=sys.stderr)
            return 1
    atomic_write(path, text.encode("utf-8"))
    print(
        "uhc_portal add-source: "
        + M_("%(i)s ditambahkan ke %(p)s") % {"i": repr(args.id), "p": path}
    )
    return 0


def add_command(commands) -> None:
    """The `add-source` subcommand."""
    command = commands.add_parser("add-source", help="add a source to data/sources.yaml")
    command.add_argument("--id", required=True, help="lower-case letters, digits and '-'")
    command.add_argument("--title", required=True)
    command.add_argument("--excerpt", required=True, help="the sentence carrying the figures")
    command.add_argument("--publisher")
    command.add_argument("--url")
    command.add_argument("--published", help="YYYY-MM-DD, YYYY-MM or YYYY")
    command.add_argument("--accessed", help="YYYY-MM-DD, YYYY-MM or YYYY")
    command.add_argument(
        "--excerpt-note",
        help="where the source prints figures the excerpt cannot quote, e.g. 'tabel halaman 4'",
    )
    command.add_argument("--note")
    command.add_argument("--data", type=Path, default=Path("data"))
    command.set_defaults(run=run_add_source)
