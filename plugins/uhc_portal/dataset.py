"""load → validate → model: read every file under data/, collect all errors, or return a Dataset.

Each named file has its reader (regions, sources, rules; forums, corrections, recognitions,
claims in their modules); this module finds the files, runs the readers in order, reads the
coverage files, and checks across files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .claims import read_claims
from .corrections import checked_corrections, read_corrections
from .coverage import HEADER as COVERAGE_HEADER
from .coverage import OPTIONAL_HEADER, figure_from_row
from .datacache import Entry, FileReads, ReadEvery
from .disagreement import ranker
from .errors import DataError, DataErrors, error
from .excerpts import claim_errors
from .excerpts import store_errors as excerpt_errors
from .figures import FigureStore, PackedFile
from .files import atomic_write
from .forums import ForumReading, StoredForums, gather_forums
from .i18n import M_
from .loading import MAX_ERRORS_PER_FILE, display_name, read_csv, too_many_errors
from .model import Dataset, Forum, Source
from .recognitions import read_recognitions
from .regions import load_aliases, load_regions, load_tiles, with_code_guesses
from .rules import load_rules
from .sources import load_sources


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


def load_dataset(data_dir: Path, today: dt.date) -> Dataset:
    """Read and validate everything under `data_dir`; raise DataErrors listing every problem
    found."""
    return read_dataset(DataFiles.of(data_dir), today)


def read_dataset(files: DataFiles, today: dt.date) -> Dataset:
    """The load stage, a pure function of the files' bytes and `today`: every file read, the
    checks across files made; a Dataset, or DataErrors with every problem."""
    return read_files(files, today, ReadEvery())


def read_files(files: DataFiles, today: dt.date, reads: FileReads) -> Dataset:
    """The load itself: each file read through `reads` (`ReadEvery`, or a `LoadCache` that
    gives back what an unchanged file gave last time: the same result), in order; the checks
    across files."""
    # Load inputs.
    root, path = files.root, files.path
    errors: list[DataError] = []
    regions = (path("regions/provinces.csv"), path("regions/regencies.csv"))
    provinces, regencies = reads.file(
        regions, None, errors, load_regions, files.data_dir / "regions", root
    )
    codes = reads.same(frozenset(provinces) | frozenset(regencies))
    tiles_csv, aliases_yaml = path("regions/tiles.csv"), path("regions/aliases.yaml")
    tiles = reads.file((tiles_csv,), provinces, errors, load_tiles, tiles_csv, root, provinces)
    aliases = reads.file((aliases_yaml,), codes, errors, load_aliases, aliases_yaml, root, codes)
    sources_yaml, rules_yaml = path("sources.yaml"), path("rules.yaml")
    sources = reads.file((sources_yaml,), today, errors, load_sources, sources_yaml, root, today)
    rules, targets = reads.file((rules_yaml,), None, errors, load_rules, rules_yaml, root)
    source_ids = reads.same(frozenset(sources))
    context = (today, codes, source_ids)  # what coverage, forum and correction files are read by
    stored = StoredForums([reads.stored(forum, context) for forum in files.forums])
    kept = [
        reads.kept((forum,), context) or stored_forum(reads, forum, context, stored.forum(index))
        for index, forum in enumerate(files.forums)
    ]
    unread = [forum for forum, entry in zip(files.forums, kept, strict=True) if entry is None]
    reading = ForumReading(unread, root, today, codes, source_ids)
    try:
        with collector_paused():
            figures = load_coverage(files.coverage, root, context, sources, reads, errors)
        read = reading.result()
    finally:
        reading.close()
    each_forum = gather_forums(files.forums, kept, read, reads, context, errors)
    stored.save(each_forum)
    forums = [forum for forum in each_forum if forum is not None]
    errors += excerpt_errors(figures, sources)
    coverage_files = display_name(files.data_dir / "coverage", root) + "/"
    corrections_yaml = path("corrections.yaml")
    found_corrections = reads.file(
        (corrections_yaml,), context, errors, read_corrections, corrections_yaml, root, *context
    )
    corrections = checked_corrections(
        found_corrections,
        None if any(e.file.startswith(coverage_files) for e in errors) else figures,
        errors,
    )
    recognitions = reads.file(
        files.recognitions, context, errors, read_recognitions, files.recognitions, root, *context
    )
    claims_csv = path("claims.csv")
    excerpts = tuple(sorted((sid, s.excerpt) for sid, s in sources.items()))
    claims = reads.file(
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


def stored_forum(reads: FileReads, path: Path, context: tuple, forum: Forum | None) -> Entry | None:
    """A forum an earlier process read from the same bytes (`StoredForums`), kept by `reads`
    for this process's next load as if read now; None when there was none."""
    if forum is None:
        return None
    reads.keep((path,), context, forum, ())
    return Entry((), context, forum, ())


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


def load_coverage(
    paths: Sequence[Path],
    root: Path,
    context: tuple[dt.date, frozenset[str], frozenset[str]],
    sources: dict[str, Source],
    reads: FileReads,
    errors: list[DataError],
) -> FigureStore:
    files = [
        reads.file(
            (path,),
            context,
            errors,
            kept_coverage_file,
            path,
            index,
            root,
            context,
            reads.stored(path, context),
        )
        for index, path in enumerate(paths)
    ]
    # no coverage file or source changed (a forum did): the same figures, merged already
    store, problems = reads.derived("coverage", [*files, sources], lambda: merged(files, sources))
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


def kept_coverage_file(
    path: Path,
    index: int,
    root: Path,
    context: tuple[dt.date, frozenset[str], frozenset[str]],
    stored: Path | None,
    errors: list[DataError],
) -> PackedFile:
    """`read_coverage_file`, or the figures an earlier process packed from the same bytes and
    context (`stored`, named by them): only a file without errors is kept."""
    name = display_name(path, root)
    if stored is not None:
        with contextlib.suppress(OSError):
            packed = PackedFile.undump(stored.read_bytes(), name, index)
            if packed is not None:
                return packed
    found: list[DataError] = []
    packed = read_coverage_file(path, index, root, *context, found)
    errors += found
    if stored is not None and not found:
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            atomic_write(stored, packed.dump())
    return packed


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
