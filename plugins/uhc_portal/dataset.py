"""load → validate → model: read every file under data/, collect all errors, or return a Dataset."""

from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
import datetime as dt
import gc
import itertools
import logging
import re
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .claims import read_claims
from .corrections import checked_corrections, read_corrections
from .coverage import HEADER as COVERAGE_HEADER
from .coverage import OPTIONAL_HEADER, figure_from_row
from .datacache import Entry, LoadCache, Memo
from .disagreement import ranker
from .errors import DataError, DataErrors, error
from .excerpts import claim_errors
from .excerpts import store_errors as excerpt_errors
from .figures import FigureStore, PackedFile
from .i18n import M_
from .loading import (
    MAX_ERRORS_PER_FILE,
    display_name,
    key_line,
    node_line,
    read_csv,
    read_yaml,
    too_many_errors,
)
from .markup import too_deep
from .model import (
    TILE_COLUMNS,
    TILE_LABEL,
    TILE_ROWS,
    Agreement,
    Commitment,
    Dataset,
    Forum,
    NationalTarget,
    Province,
    Regency,
    Source,
    StatusRule,
    Tile,
)
from .names import NameIndex
from .processes import spawn_pool, usable_cores
from .recognitions import read_recognitions
from .schema import (
    ID,
    MAX_NAME,
    PROVINCE_CODE,
    REGENCY_CODE,
    Fields,
    Problem,
    parse_code,
    parse_date,
    parse_number,
    parse_text,
    parse_url,
)

log = logging.getLogger(__name__)

FORUM_KINDS = ("forum-pku", "rapat", "sosialisasi", "penghargaan", "lainnya")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,119}")


@dataclass(frozen=True)
class DataFiles:
    """Every file a load reads, found once, so that what is read is what was fingerprinted."""

    data_dir: Path
    coverage: tuple[Path, ...]
    forums: tuple[Path, ...]
    recognitions: tuple[Path, ...] = ()

    @classmethod
    def of(cls, data_dir: Path) -> DataFiles:
        return cls(
            data_dir,
            tuple(sorted((data_dir / "coverage").glob("*.csv"), key=str)),  # one folder each:
            tuple(sorted((data_dir / "forums").glob("*.y*ml"), key=str)),  # as sorted(paths)
            tuple(sorted((data_dir / "recognitions").glob("*.csv"), key=str)),
        )

    @property
    def root(self) -> Path:
        return self.data_dir.parent

    def path(self, name: str) -> Path:
        return self.data_dir / name

    def all(self) -> list[Path]:
        named = [self.path(name) for name in NAMED_FILES]
        return [*named, *self.coverage, *self.forums, *self.recognitions]


NAMED_FILES = (
    "regions/provinces.csv",
    "regions/regencies.csv",
    "regions/tiles.csv",
    "regions/aliases.yaml",
    "sources.yaml",
    "rules.yaml",
    "corrections.yaml",
    "claims.csv",
)


def load_dataset(data_dir: Path, today: dt.date, cache: LoadCache | None = None) -> Dataset:
    """Read and validate everything; raise DataErrors listing every problem found.

    With a `cache` kept from earlier loads in this process, a file whose bytes did not change is
    not read again, and when none changed the previous Dataset itself is returned (or the same
    errors raised). Either way the result is exactly that of a load without a cache.
    """
    files = DataFiles.of(data_dir)
    if cache is None:
        return read_dataset(files, today, Memo())
    memo = cache.start(data_dir, today, files.all())
    previous = cache.previous(memo)
    if isinstance(previous, Dataset):
        return previous
    if previous is not None:
        raise DataErrors(list(previous))
    try:
        dataset = read_dataset(files, today, memo)
    except DataErrors as failed:
        cache.keep(memo, tuple(failed.errors))
        raise
    cache.keep(memo, dataset)
    return dataset


def read_dataset(files: DataFiles, today: dt.date, memo: Memo) -> Dataset:
    """The load itself: each file read, or taken from `memo`; the checks across files."""
    # Load inputs.
    root, path = files.root, files.path
    errors: list[DataError] = []
    regions = (path("regions/provinces.csv"), path("regions/regencies.csv"))
    provinces, regencies = memo.file(
        regions, None, errors, load_regions, files.data_dir / "regions", root
    )
    codes = memo.intern(frozenset(provinces) | frozenset(regencies))
    tiles_csv, aliases_yaml = path("regions/tiles.csv"), path("regions/aliases.yaml")
    tiles = memo.file((tiles_csv,), provinces, errors, load_tiles, tiles_csv, root, provinces)
    aliases = memo.file((aliases_yaml,), codes, errors, load_aliases, aliases_yaml, root, codes)
    sources_yaml, rules_yaml = path("sources.yaml"), path("rules.yaml")
    sources = memo.file((sources_yaml,), today, errors, load_sources, sources_yaml, root, today)
    rules, targets = memo.file((rules_yaml,), None, errors, load_rules, rules_yaml, root)
    source_ids = memo.intern(frozenset(sources))
    context = (today, codes, source_ids)  # what coverage, forum and correction files are read by
    kept = [memo.get((forum,), context) for forum in files.forums]
    unread = [forum for forum, entry in zip(files.forums, kept, strict=True) if entry is None]
    reading = ForumReading(unread, root, today, codes, source_ids)
    try:
        with collector_paused():
            figures = load_coverage(files.coverage, root, context, sources, memo, errors)
        read = reading.result()
    finally:
        reading.close()
    forums = gather_forums(files.forums, kept, read, memo, context, errors)
    errors += excerpt_errors(figures, sources)
    coverage_files = display_name(files.data_dir / "coverage", root) + "/"
    corrections_yaml = path("corrections.yaml")
    found_corrections = memo.file(
        (corrections_yaml,), context, errors, read_corrections, corrections_yaml, root, *context
    )
    corrections = checked_corrections(
        found_corrections,
        None if any(e.file.startswith(coverage_files) for e in errors) else figures,
        errors,
    )
    recognitions = memo.file(
        files.recognitions, context, errors, read_recognitions, files.recognitions, root, *context
    )
    claims_csv = path("claims.csv")
    excerpts = tuple(sorted((sid, s.excerpt) for sid, s in sources.items()))
    claims = memo.file(
        (claims_csv,), (today, excerpts), errors, read_claims, claims_csv, root, today, excerpts
    )
    errors += claim_errors(claims, sources)
    if errors:
        raise DataErrors(with_code_guesses(errors, provinces, regencies, aliases))

    # Process data.
    forums.sort(key=lambda f: (f.date.sort_key(), f.slug), reverse=True)

    # Save outputs.
    return Dataset(
        provinces=provinces,
        regencies=regencies,
        aliases=aliases,
        sources=sources,
        snapshots_by_region=figures,
        rules=tuple(rules),
        targets=tuple(targets),
        forums=tuple(forums),
        tiles=tiles,
        corrections=corrections,
        recognitions=recognitions,
        claims=claims,
    )


@contextmanager
def collector_paused():
    """For work that makes many small objects, none in a reference cycle (reading coverage
    rows, making each region's figures): the cyclic collector would scan them again and again
    and free nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def require_file(path: Path, root: Path, errors: list[DataError]) -> bool:
    if path.is_file():
        return True
    errors.append(error(display_name(path, root), 0, "", "", M_("berkas ini ada"), "missing-file"))
    return False


def load_regions(
    folder: Path, root: Path, errors: list[DataError]
) -> tuple[dict[str, Province], dict[str, Regency]]:
    provinces: dict[str, Province] = {}
    regencies: dict[str, Regency] = {}
    path = folder / "provinces.csv"
    if require_file(path, root, errors):
        rows, problems = read_csv(path, root, ["code", "name"])
        errors += problems
        for row in rows:
            code, name = row.cells["code"].strip(), row.cells["name"].strip()
            if not PROVINCE_CODE.fullmatch(code):
                errors.append(
                    error(row.file, row.line, "code", code, M_("kode seperti '73'"), "bad-code")
                )
            elif code in provinces:
                errors.append(
                    error(
                        row.file,
                        row.line,
                        "code",
                        code,
                        M_("tiap kode sekali saja"),
                        "duplicate-code",
                    )
                )
            elif not name:
                errors.append(
                    error(row.file, row.line, "name", "", M_("sebuah nama"), "missing-field")
                )
            elif len(name) > MAX_NAME:
                errors.append(name_too_long(row.file, row.line, "name", name))
            else:
                provinces[code] = Province(code, name)
    path = folder / "regencies.csv"
    if require_file(path, root, errors):
        rows, problems = read_csv(path, root, ["code", "province_code", "name"])
        errors += problems
        for row in rows:
            code = row.cells["code"].strip()
            province = row.cells["province_code"].strip()
            name = row.cells["name"].strip()
            if not REGENCY_CODE.fullmatch(code):
                errors.append(
                    error(row.file, row.line, "code", code, M_("kode seperti '73.13'"), "bad-code")
                )
            elif code in regencies:
                errors.append(
                    error(
                        row.file,
                        row.line,
                        "code",
                        code,
                        M_("tiap kode sekali saja"),
                        "duplicate-code",
                    )
                )
            elif province not in provinces or not code.startswith(province + "."):
                errors.append(
                    error(
                        row.file,
                        row.line,
                        "province_code",
                        province,
                        M_("provinsi tempat kode %(c)s berada, yang tercantum di provinces.csv")
                        % {"c": code},
                        "unknown-region",
                    )
                )
            elif not name:
                errors.append(
                    error(row.file, row.line, "name", "", M_("sebuah nama"), "missing-field")
                )
            elif len(name) > MAX_NAME:
                errors.append(name_too_long(row.file, row.line, "name", name))
            else:
                regencies[code] = Regency(code, province, name)
    return provinces, regencies


def load_tiles(
    path: Path, root: Path, provinces: dict[str, Province], errors: list[DataError]
) -> dict[str, Tile]:
    """Each province's square on the home page's map. The file is optional (no file, no map);
    when present it places every province once, one per square."""
    if not path.exists():
        return {}
    rows, problems = read_csv(path, root, ["code", "label", "row", "col"])
    errors += problems
    tiles: dict[str, Tile] = {}
    taken: dict[tuple[int, int], str] = {}
    seen: set[str] = set()  # provinces with a line, right or wrong
    for row in rows:
        code, label = row.cells["code"].strip(), row.cells["label"].strip()
        if code not in provinces:
            expected = M_("kode provinsi yang tercantum di provinces.csv, seperti '73'")
            errors.append(error(row.file, row.line, "code", code, expected, "unknown-region"))
            continue
        if code in seen:
            errors.append(
                error(
                    row.file,
                    row.line,
                    "code",
                    code,
                    M_("tiap provinsi sekali saja"),
                    "duplicate-code",
                )
            )
            continue
        seen.add(code)
        if not label or len(label) > TILE_LABEL:
            expected = M_("nama pendek petak, 1 sampai %(n)s karakter") % {"n": TILE_LABEL}
            errors.append(error(row.file, row.line, "label", label, expected, "bad-label"))
            continue
        place = []
        for field, limit in (("row", TILE_ROWS), ("col", TILE_COLUMNS)):
            value = row.cells[field].strip()
            if value.isascii() and value.isdigit() and int(value) < limit:
                place.append(int(value))
            else:
                expected = M_("bilangan bulat dari 0 sampai %(n)s") % {"n": limit - 1}
                errors.append(error(row.file, row.line, field, value, expected, "bad-tile"))
        if len(place) < 2:
            continue
        where = (place[0], place[1])
        if where in taken:
            expected = M_("petak sendiri; baris %(r)s, kolom %(c)s milik %(p)s") % {
                "r": where[0],
                "c": where[1],
                "p": taken[where],
            }
            errors.append(error(row.file, row.line, "col", str(where[1]), expected, "bad-tile"))
            continue
        taken[where] = code
        tiles[code] = Tile(code, label, *where)
    for code in sorted(set(provinces) - seen):
        expected = M_("satu baris untuk tiap provinsi; %(n)s belum punya") % {
            "n": provinces[code].name
        }
        errors.append(error(display_name(path, root), 0, "code", code, expected, "missing-tile"))
    return tiles


def name_too_long(file: str, line: int, field: str, name: str) -> DataError:
    return error(
        file,
        line,
        field,
        name,
        M_("nama paling panjang %(n)s karakter (yang ini %(k)s)") % {"n": MAX_NAME, "k": len(name)},
        "text-too-long",
    )


CODE_FIELDS = frozenset({"code", "region_code", "region", "regions"})


def with_code_guesses(
    errors: list[DataError],
    provinces: dict[str, Province],
    regencies: dict[str, Regency],
    aliases: dict[str, str],
) -> list[DataError]:
    """A code field holding a region's name or alias ('Jember') gets the code it names: the
    importer's name lookup, so both read names alike."""
    index = NameIndex(provinces, regencies, aliases)
    guessed = []
    for err in errors:
        match = index.match(err.value) if err.field in CODE_FIELDS and err.value else None
        if match and match.code:
            hint = M_("maksudnya %(c)s (%(n)s)?") % {
                "c": match.code,
                "n": regencies[match.code].name,
            }
            err = replace(err, expected=f"{err.expected}; {hint}")
        guessed.append(err)
    return guessed


def load_aliases(
    path: Path, root: Path, codes: set[str], errors: list[DataError]
) -> dict[str, str]:
    if not path.is_file():
        return {}
    data, problems, name = read_yaml(path, root)
    errors += problems
    if data is None:
        return {}
    if not isinstance(data, dict):
        errors.append(
            error(
                name,
                1,
                "",
                type(data).__name__,
                M_("pasangan 'nama lain: \"kode\"'"),
                "not-a-mapping",
            )
        )
        return {}
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    fields = Fields(data, name, 1, errors, tuple(str(k) for k in data), lines)
    aliases: dict[str, str] = {}
    for alias in data:
        if not isinstance(alias, str) or not alias.strip():
            errors.append(
                error(
                    name,
                    key_line(data, alias),
                    "",
                    alias,
                    M_('nama lain sebagai teks, mis. "Sidrap": "73.14"'),
                    "bad-alias",
                )
            )
            continue
        if len(alias) > MAX_NAME:
            errors.append(name_too_long(name, key_line(data, alias), "", alias))
            continue
        code = fields.get(alias, parse_code, True)
        if code is not None and code not in codes:
            errors.append(
                error(
                    name,
                    key_line(data, alias),
                    str(alias),
                    code,
                    M_("kode yang tercantum di regencies.csv atau provinces.csv"),
                    "unknown-region",
                )
            )
        elif code is not None:
            aliases[str(alias)] = code
    return aliases


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


RULE_FIELDS = (
    "id",
    "name",
    "tier",
    "valid_from",
    "valid_to",
    "min_coverage_pct",
    "coverage_comparison",
    "min_active_pct",
    "active_comparison",
    "other_conditions",
    "basis",
)


def parse_comparison(value: Any) -> bool:
    if value in (">", ">="):
        return value == ">"
    raise Problem(M_("'>=' (paling sedikit) atau '>' (lebih dari)"), "bad-comparison")


def parse_tier(value: Any) -> str:
    if value in ("uhc", "prioritas"):
        return value
    raise Problem(M_("'uhc' atau 'prioritas'"), "bad-tier")


def load_rules(
    path: Path, root: Path, errors: list[DataError]
) -> tuple[list[StatusRule], list[NationalTarget]]:
    if not require_file(path, root, errors):
        return [], []
    data, name, lines = yaml_mapping(path, root, errors)
    if data is None:
        return [], []
    top = Fields(data, name, 1, errors, ("status_rules", "national_targets"), lines)
    far_past = dt.date(9999, 12, 31)
    rules: list[StatusRule] = []
    for index, (entry, line) in enumerate(top.items("status_rules", True)):
        f = Fields(entry, name, line, errors, RULE_FIELDS, lines, f"status_rules[{index}].")
        v = {k: f.get(k, parse_text) for k in ("id", "name", "basis")}
        tier = f.get("tier", parse_tier)
        start = f.get("valid_from", parse_date, True, far_past)
        end = f.get("valid_to", parse_date, False, far_past)
        minimum = f.get("min_coverage_pct", parse_number)
        strict = f.get("coverage_comparison", parse_comparison)
        active = f.get("min_active_pct", parse_number, False)
        active_strict = f.get("active_comparison", parse_comparison, False) or False
        other = f.get("other_conditions", parse_text, False)
        if f.ok and None not in (*v.values(), tier, start, minimum, strict):
            rules.append(
                StatusRule(
                    v["id"],
                    v["name"],
                    tier,
                    start.start,
                    end.end if end else None,
                    minimum,
                    strict,
                    active,
                    active_strict,
                    other,
                    v["basis"],
                )
            )
    check_rule_periods(rules, name, data, errors)
    targets: list[NationalTarget] = []
    for index, (entry, line) in enumerate(top.items("national_targets")):
        f = Fields(
            entry, name, line, errors, ("pct", "by", "basis"), lines, f"national_targets[{index}]."
        )
        pct, by, basis = (
            f.get("pct", parse_number),
            f.get("by", parse_date, True, far_past),
            f.get("basis", parse_text),
        )
        if None not in (pct, by, basis):
            targets.append(NationalTarget(pct, by, basis))
    return rules, targets


def check_rule_periods(
    rules: list[StatusRule], name: str, data: Any, errors: list[DataError]
) -> None:
    """Two rules of one tier in force on the same day would make a status ambiguous."""
    line = key_line(data, "status_rules")
    for tier in ("uhc", "prioritas"):
        ordered = sorted((r for r in rules if r.tier == tier), key=lambda r: r.valid_from)
        for earlier, later in itertools.pairwise(ordered):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                errors.append(
                    error(
                        name,
                        line,
                        "valid_to",
                        earlier.id,
                        M_("aturan '%(a)s' berakhir sebelum '%(b)s' mulai (%(d)s)")
                        % {"a": earlier.id, "b": later.id, "d": later.valid_from.isoformat()},
                        "overlapping-rules",
                    )
                )


def load_coverage(
    paths: Sequence[Path],
    root: Path,
    context: tuple[dt.date, frozenset[str], frozenset[str]],
    sources: dict[str, Source],
    memo: Memo,
    errors: list[DataError],
) -> FigureStore:
    files = [
        memo.file((path,), context, errors, read_coverage_file, path, index, root, *context)
        for index, path in enumerate(paths)
    ]
    # no coverage file or source changed (a forum did): the same figures, merged already
    store, problems = memo.derived("coverage", [*files, sources], lambda: merged(files, sources))
    errors += problems
    return store


def merged(
    files: list[PackedFile], sources: Mapping[str, Source] | None = None
) -> tuple[FigureStore, list[DataError]]:
    """The figures of all coverage files in one store, two sources of one region and date
    settled by disagreement.ranker; the same source twice for a region and date, and a
    `preferred` mark that chooses nothing or is given twice, are errors."""
    store = FigureStore(files)
    settled = store.finish(ranker(sources or {}))
    problems = [
        error(
            again.file,
            again.line,
            "as_of",
            again.as_of.iso,
            M_(
                "satu angka per wilayah, tanggal dan sumber; %(c)s %(d)s sudah ada di %(at)s "
                "dari sumber yang sama (%(s)s)"
            )
            % {
                "c": again.region_code,
                "d": again.as_of.iso,
                "s": again.source_id,
                "at": f"{first.file}:{first.line}",
            },
            "duplicate-snapshot",
        )
        for first, again in settled.duplicates
    ]
    for group in settled.disagreements:
        marked = sorted((f for f in group if f.preferred), key=lambda f: (f.file, f.line))
        problems += [
            error(
                f.file,
                f.line,
                "preferred",
                "ya",
                M_("'ya' pada satu sumber saja untuk %(c)s %(d)s; juga di %(at)s")
                % {
                    "c": f.region_code,
                    "d": f.as_of.iso,
                    "at": f"{marked[0].file}:{marked[0].line}",
                },
                "two-preferred",
            )
            for f in marked[1:]
        ]
    problems += [
        error(
            f.file,
            f.line,
            "preferred",
            "ya",
            M_("kosong: tidak ada sumber lain untuk %(c)s %(d)s yang perlu dipilih")
            % {"c": f.region_code, "d": f.as_of.iso},
            "needless-preferred",
        )
        for f in settled.lone_preferred
    ]
    return store, problems


def read_coverage_file(
    path: Path,
    index: int,
    root: Path,
    today: dt.date,
    codes: frozenset[str],
    source_ids: frozenset[str],
    errors: list[DataError],
) -> PackedFile:
    """The valid figures of one coverage file, the `index`th; its errors added to `errors`."""
    rows, problems = read_csv(path, root, COVERAGE_HEADER, OPTIONAL_HEADER)
    errors += problems
    packed = PackedFile(display_name(path, root), index)
    count = len(problems)
    for row in rows:
        if count >= MAX_ERRORS_PER_FILE:
            errors.append(too_many_errors(row.file, row.line))
            break
        figure, row_errors = figure_from_row(row, today, codes, source_ids)
        errors += row_errors
        count += len(row_errors)
        if figure is not None:
            packed.add(figure)
    return packed


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
    memo: Memo,
    context: tuple,
    errors: list[DataError],
) -> list[Forum]:
    """The forums of all files in order: for each, what `memo` kept, or else what was just
    `read` (the files not kept, in order), which is kept for the next load."""
    forums: list[Forum] = []
    fresh = iter(read)
    for path, entry in zip(paths, kept, strict=True):
        if entry is None:
            forum, found = next(fresh)
            memo.put((path,), context, forum, found)
        else:
            forum, found = entry.value, entry.errors
        errors += found
        if forum is not None:
            forums.append(forum)
    return forums


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
