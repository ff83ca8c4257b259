"""data/forums/: one YAML file per forum, meeting or event (its date, regions, kind, summary,
commitments and agreements, sources), read by worker processes when there are many."""

from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
import contextlib
import dataclasses
import datetime as dt
import json
import logging
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .datacache import Entry, FileReads
from .datafile import yaml_mapping
from .errors import DataError, error
from .i18n import M_
from .markup import too_deep
from .model import Agreement, Commitment, Forum, PartialDate
from .processes import spawn_pool, usable_cores
from .schema import Fields, Problem, parse_code, parse_date, parse_number, parse_text
from .yamlfile import node_line

log = logging.getLogger(__name__)

FORUM_KINDS = ("forum-pku", "rapat", "sosialisasi", "penghargaan", "lainnya")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,119}")


FORUM_FIELDS = (
    "date",
    "date_basis",
    "regions",
    "title",
    "kind",
    "summary",
    "attendees",
    "commitments",
    "agreements",
    "sources",
)


def parse_choice(choices: tuple[str, ...]):
    def parse(value: Any) -> str:
        if value in choices:
            return value
        raise Problem(M_("salah satu dari %(c)s") % {"c": ", ".join(choices)}, "bad-choice")

    return parse


def parse_summary(value: Any) -> str:
    text = parse_text(value)
    if too_deep(text):
        raise Problem(
            M_("Markdown dengan daftar atau kutipan bersarang paling banyak beberapa tingkat"),
            "markdown-too-deep",
        )
    return text


def read_forum_files(
    paths: Sequence[Path], root: Path, today: dt.date, codes: set[str], source_ids: set[str]
) -> list[tuple[Forum | None, list[DataError]]]:
    """Each file's forum (None when it has errors) and errors, in order (in a worker too)."""
    read: list[tuple[Forum | None, list[DataError]]] = []
    for path in paths:
        errors: list[DataError] = []
        read.append((load_forum(path, root, today, codes, source_ids, errors), errors))
    return read


PARALLEL_FORUMS_FROM = 400  # fewer files are read in-process: a worker takes ~0.5 s to start


def gather_forums(
    paths: Sequence[Path],
    kept: Sequence[Entry | None],
    read: list[tuple[Forum | None, list[DataError]]],
    reads: FileReads,
    context: tuple,
    errors: list[DataError],
) -> list[Forum | None]:
    """Each file's forum in order (None for a file with errors): what `reads` kept, or else
    what was just `read` (the files not kept, in order), which is kept for the next load."""
    forums: list[Forum | None] = []
    fresh = iter(read)
    for path, entry in zip(paths, kept, strict=True):
        if entry is None:
            forum, found = next(fresh)
            reads.keep((path,), context, forum, found)
        else:
            forum, found = entry.value, entry.errors
        errors += found
        forums.append(forum)
    return forums


class StoredForums:
    """The forums an earlier process read without errors, in one file beside the coverage files'
    packs (`FORUMS_FILE`), a line each: its file's reading name (`FileReads.stored`: the file's
    place and bytes, what it was read against and the running code), a tab, its JSON record.
    No code in it: only text, numbers and lists."""

    def __init__(self, stored: Sequence[Path | None]) -> None:
        self.names = [p.stem if p is not None else None for p in stored]
        folder = next((p.parent for p in stored if p is not None), None)
        self.path = folder / FORUMS_FILE if folder is not None else None
        self._records: dict[str, Any] | None = None  # read when first asked

    @property
    def records(self) -> dict[str, str]:
        """Each kept forum's JSON line, by its reading name (parsed only when asked for)."""
        if self._records is None:
            self._records = {}
            if self.path is not None:
                with contextlib.suppress(OSError, ValueError), self.path.open("rb") as lines:
                    for line in lines:
                        name, _tab, record = line.decode("utf-8").partition("\t")
                        self._records[name] = record
        return self._records

    def forum(self, index: int) -> Forum | None:
        """The `index`th file's forum as an earlier process read it, if it was kept."""
        name = self.names[index]
        record = self.records.get(name) if name is not None else None
        if record is None:
            return None
        try:
            return forum_from_record(json.loads(record))
        except (KeyError, TypeError, ValueError):  # not a record this code wrote
            return None

    def save(self, forums: Sequence[Forum | None]) -> None:
        """Every file's forum kept for the next process, when this load asked for one (else
        every forum was this process's own from the last load, which saved them) and the file
        lacks one of them. A line each, written as made: 20,000 forums at 10x."""
        if self.path is None or self._records is None:
            return
        kept = [
            (name, forum)
            for name, forum in zip(self.names, forums, strict=True)
            if name is not None and forum is not None
        ]
        if {name for name, _forum in kept} == self._records.keys():
            return
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
            try:
                with temporary.open("w", encoding="utf-8") as out:
                    for name, forum in kept:
                        record = json.dumps(forum_record(forum), ensure_ascii=False)
                        out.write(f"{name}\t{record}\n")
                os.replace(temporary, self.path)
            finally:
                temporary.unlink(missing_ok=True)


FORUMS_FILE = "forums.jsonl"


def forum_record(forum: Forum) -> dict[str, Any]:
    """A Forum as plain JSON values (dates as their year, month and day)."""
    return dataclasses.asdict(forum)


def forum_from_record(record: dict[str, Any]) -> Forum:
    """The Forum `forum_record` gave."""

    def date(value: dict[str, Any]) -> PartialDate:
        return PartialDate(value["year"], value["month"], value["day"])

    def texts(values: list[Any]) -> tuple[str, ...]:
        if not all(isinstance(v, str) for v in values):
            raise TypeError("not a list of text")
        return tuple(values)

    return Forum(
        slug=record["slug"],
        date=date(record["date"]),
        date_basis=record["date_basis"],
        regions=texts(record["regions"]),
        title=record["title"],
        kind=record["kind"],
        summary=record["summary"],
        attendees=texts(record["attendees"]),
        commitments=tuple(
            Commitment(
                c["region_code"], c["target_pct"], date(c["deadline"]), c["committed_by"], c["text"]
            )
            for c in record["commitments"]
        ),
        agreements=tuple(
            Agreement(a["number"], texts(a["parties"]), a["title"]) for a in record["agreements"]
        ),
        sources=texts(record["sources"]),
        file=record["file"],
    )


class ForumReading:
    """Forum files read by worker processes, one per core, while the build's process reads the
    coverage files. At national scale forums are most of loading: 20,000 files, ~1.4 ms each.
    The result is the same as reading them in order in-process: same forums, same errors.
    With a LoadCache only the files that changed are given: one edited forum is read here."""

    def __init__(
        self,
        paths: Sequence[Path],
        root: Path,
        today: dt.date,
        codes: set[str],
        source_ids: set[str],
    ):
        self.arguments = (root, today, codes, source_ids)
        self.paths = paths
        self.pool = None
        self.futures: list[concurrent.futures.Future] = []
        cores = usable_cores()
        if len(paths) >= PARALLEL_FORUMS_FROM and cores > 1:
            self.pool = spawn_pool(cores)
            size = -(-len(paths) // cores)
            self.futures = [
                self.pool.submit(read_forum_files, paths[start : start + size], *self.arguments)
                for start in range(0, len(paths), size)
            ]

    def result(self) -> list[tuple[Forum | None, list[DataError]]]:
        """Each file's forum (None when it has errors) and errors, in the order given."""
        if self.pool is not None:
            try:
                return [read for future in self.futures for read in future.result()]
            except concurrent.futures.process.BrokenProcessPool:
                # a worker died (killed, out of memory, or a calling script that starts work
                # on import): read the files here instead, nothing is lost
                log.info("forum files: a worker process failed; reading them in-process")
        return read_forum_files(self.paths, *self.arguments)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def load_forum(
    path: Path,
    root: Path,
    today: dt.date,
    codes: set[str],
    source_ids: set[str],
    errors: list[DataError],
) -> Forum | None:
    before = len(errors)
    data, name, lines = yaml_mapping(path, root, errors)
    if data is None:
        return None
    slug = path.stem
    if not SLUG.fullmatch(slug):
        errors.append(
            error(
                name,
                0,
                "",
                slug,
                M_(
                    "nama berkas dari huruf kecil, angka dan '-' "
                    "(menjadi alamat halaman /forum/<nama>/)"
                ),
                "bad-file-name",
            )
        )
    f = Fields(data, name, node_line(data, 1), errors, FORUM_FIELDS, lines)
    date = f.get("date", parse_date, True, today)
    basis = f.get("date_basis", parse_choice(("event", "reported")), False) or "event"
    regions = f.each("regions", parse_code, True)
    for index, code in enumerate(regions):
        if code not in codes:
            errors.append(
                error(
                    name,
                    f.line_of("regions"),
                    f"regions[{index}]",
                    code,
                    M_("kode yang tercantum di regencies.csv atau provinces.csv"),
                    "unknown-region",
                )
            )
    if f.ok and data.get("regions") == []:
        errors.append(
            error(
                name,
                f.line_of("regions"),
                "regions",
                "",
                M_("paling sedikit satu kode wilayah"),
                "missing-field",
            )
        )
    title = f.get("title", parse_text)
    kind = f.get("kind", parse_choice(FORUM_KINDS))
    summary = f.get("summary", parse_summary, False) or ""
    attendees = f.each("attendees", parse_text)
    sources = f.each("sources", parse_text, True)
    for index, source in enumerate(sources):
        if source not in source_ids:
            errors.append(
                error(
                    name,
                    f.line_of("sources"),
                    f"sources[{index}]",
                    source,
                    M_("id yang didefinisikan di data/sources.yaml"),
                    "unknown-source",
                )
            )
    commitments = [
        c
        for index, (entry, line) in enumerate(f.items("commitments"))
        if (c := load_commitment(entry, line, index, name, lines, regions, codes, errors))
    ]
    agreements = [
        a
        for index, (entry, line) in enumerate(f.items("agreements"))
        if (a := load_agreement(entry, line, index, name, lines, errors))
    ]
    if len(errors) > before:
        return None
    return Forum(
        slug,
        date,
        basis,
        tuple(regions),
        title,
        kind,
        summary,
        tuple(attendees),
        tuple(commitments),
        tuple(agreements),
        tuple(sources),
        name,
    )


def load_commitment(
    entry: Any,
    line: int,
    index: int,
    name: str,
    lines: list[str],
    regions: list[str],
    codes: set[str],
    errors: list[DataError],
) -> Commitment | None:
    where = f"commitments[{index}]."
    f = Fields(
        entry,
        name,
        line,
        errors,
        ("region", "target_pct", "deadline", "committed_by", "text"),
        lines,
        where,
    )
    region = f.get("region", parse_code, False)
    if region is None and len(regions) == 1:
        region = regions[0]
    elif region is None and f.ok:
        errors.append(
            error(
                name,
                line,
                where + "region",
                "",
                M_("wilayah yang dituju komitmen ini (forum ini menyebut beberapa)"),
                "missing-field",
            )
        )
    elif region is not None and region not in codes:
        errors.append(
            error(
                name,
                f.line_of("region"),
                where + "region",
                region,
                M_("kode yang tercantum di regencies.csv atau provinces.csv"),
                "unknown-region",
            )
        )
    target = f.get("target_pct", parse_number, False)
    deadline = f.get("deadline", parse_date, True, dt.date(9999, 12, 31))
    by = f.get("committed_by", parse_text)
    text = f.get("text", parse_text, False)
    if f.ok and None not in (region, deadline, by):
        return Commitment(region, target, deadline, by, text)
    return None


def load_agreement(
    entry: Any, line: int, index: int, name: str, lines: list[str], errors: list[DataError]
) -> Agreement | None:
    f = Fields(
        entry, name, line, errors, ("number", "parties", "title"), lines, f"agreements[{index}]."
    )
    number = f.get("number", parse_text)
    parties = f.each("parties", parse_text, True)
    title = f.get("title", parse_text)
    if f.ok and number and title and parties:
        return Agreement(number, tuple(parties), title)
    return None
