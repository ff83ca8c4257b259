"""Reading data/ again in one process costs only what changed.

Each file's result (its values and its errors) is kept with the file's bytes, by their BLAKE2
digest, and with everything else it was made from (the region codes, the source ids, today):
the next load takes it back only when both are the same, so an edit is never missed, however
soon after the last one and whatever its size. Checks across files run on every load.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from .errors import DataError
from .loading import MAX_FILE_BYTES

T = TypeVar("T")
H = TypeVar("H", bound=Hashable)


def fingerprint(path: Path) -> Hashable:
    """What a loader's result for `path` can depend on: the bytes of a plain file (only the size
    of one too large to be read), else what kind of thing is there."""
    try:  # never following a link, never waiting on a pipe
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return "missing"
    except OSError:  # a link (ELOOP), or something that cannot be opened
        fd = None
    try:
        found = os.fstat(fd) if fd is not None else os.lstat(path)
        if not stat.S_ISREG(found.st_mode) or fd is None:  # refused whatever it holds
            return ("other", stat.S_IFMT(found.st_mode), path.exists(), path.is_file())
        if found.st_size > MAX_FILE_BYTES:
            return ("too large", found.st_size)
        digest, left = hashlib.blake2b(digest_size=20), MAX_FILE_BYTES + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):  # the file may grow
            digest.update(chunk)
            left -= len(chunk)
        return digest.digest()
    finally:
        if fd is not None:
            os.close(fd)


@dataclass(frozen=True, slots=True)
class Entry:
    """One reading of some files: their fingerprints, what they were read against, the value
    and the errors it gave."""

    fingerprints: tuple[Hashable, ...]
    context: Any
    value: Any
    errors: tuple[DataError, ...]


@dataclass(frozen=True)
class LoadKey:
    """What one whole load read: its day and every file's fingerprint, in reading order. Equal
    keys, equal results."""

    today: dt.date
    prints: tuple[tuple[str, Hashable], ...]


class FileReads(Protocol):
    """How a load reads its files (`dataset.read_files`): every one (`ReadEvery`), or only
    those whose bytes or context changed since the last load (`LoadCache`)."""

    def same(self, value: H) -> H:
        """One object for equal values from load to load: contexts then compare at once."""
        ...

    def kept(self, paths: Sequence[Path], context: Any) -> Entry | None:
        """The reading kept for these files, if their bytes and the context are the same."""
        ...

    def keep(
        self, paths: Sequence[Path], context: Any, value: Any, errors: Sequence[DataError]
    ) -> None:
        """Keep what reading these files gave (for the next load)."""
        ...

    def stored(self, path: Path, context: Hashable) -> Path | None:
        """Where a reading of the file at `path` against `context` is kept for later processes
        (named by the file's bytes, the context and the running code), or None: not kept."""
        ...

    def file(
        self,
        paths: Sequence[Path],
        context: Any,
        errors: list[DataError],
        read: Callable[..., T],
        *args: Any,
    ) -> T:
        """`read(*args, errors)` for these files, or what it gave last time for the same bytes
        and context, its errors added to `errors` alike."""
        ...

    def derived(self, name: str, inputs: Sequence[Any], make: Callable[[], T]) -> T:
        """`make()`, or what it gave last time from the very same `inputs` objects."""
        ...


class ReadEvery:
    """Every file read, nothing kept: a load that is a pure function of the files."""

    def same(self, value: H) -> H:
        return value

    def kept(self, paths: Sequence[Path], context: Any) -> Entry | None:
        return None

    def keep(
        self, paths: Sequence[Path], context: Any, value: Any, errors: Sequence[DataError]
    ) -> None:
        return None

    def stored(self, path: Path, context: Hashable) -> Path | None:
        return None

    def file(
        self,
        paths: Sequence[Path],
        context: Any,
        errors: list[DataError],
        read: Callable[..., T],
        *args: Any,
    ) -> T:
        return read(*args, errors)

    def derived(self, name: str, inputs: Sequence[Any], make: Callable[[], T]) -> T:
        return make()


@dataclass(frozen=True)
class Derived:
    """A value made from other objects (`LoadCache.derived`), with those objects."""

    inputs: tuple[Any, ...]
    value: Any


class LoadCache:
    """What one process last read of a data folder, kept between loads (`session.BuildSession`:
    a preview server, or the language runs of one build): each file's reading by its bytes and
    context, so that a load reads only the files that changed; the checks across files run on
    every load. One load at a time (`start`, the reads, `finish`): not shared between threads.
    """

    def __init__(self) -> None:
        self._place: tuple[str, ...] = ()
        self._forget()
        self._prints: dict[str, Hashable] = {}
        self._settled = True
        self._interning: dict[Hashable, Hashable] = {}
        self._kept_in: Path | None = None
        self._context_keys: dict[Hashable, str] = {}
        self._named: set[str] = set()

    def _forget(self) -> None:
        self._entries: dict[tuple[str, ...], Entry] = {}
        self._derived: dict[str, Derived] = {}
        self._interned: dict[Hashable, Hashable] = {}

    def start(
        self,
        data_dir: Path,
        today: dt.date,
        paths: Sequence[Path],
        kept_in: Path | None = None,
        known: Mapping[str, Hashable] | None = None,
    ) -> LoadKey:
        """One load of `paths` (every file it reads, in order): their fingerprints taken now,
        or just before by the build (`known`, by path below `data_dir`: `DataDigests.prints`).
        `kept_in`: the folder where readings are kept for later processes (`stored`)."""
        self._kept_in = kept_in
        self._context_keys: dict[Hashable, str] = {}
        self._named: set[str] = set()
        root = data_dir.parent
        place = tuple(
            str(p) for p in (data_dir, root.resolve(), *(f.resolve() for f in folders(data_dir)))
        )
        if place != self._place:  # another folder, or one that now leads elsewhere
            self._forget()
            self._place = place
        taken = known or {}
        self._prints = {}
        for path in paths:
            found = taken.get(path.relative_to(data_dir).as_posix()) if taken else None
            self._prints[str(path)] = fingerprint(path) if found is None else found
        self._settled = True
        self._interning = {}
        return LoadKey(today, tuple(self._prints.items()))

    def finish(self) -> bool:
        """The load is over: whether no file changed while it was read (else its result is not
        its key's). Files gone since, and values no longer read, are forgotten; so are the
        kept readings (`stored`) this load did not name."""
        for key in [k for k in self._entries if not all(p in self._prints for p in k)]:
            del self._entries[key]
        if self._kept_in is not None and self._settled:
            with contextlib.suppress(OSError):
                for path in self._kept_in.glob("*.pack"):
                    if path.name not in self._named:
                        path.unlink(missing_ok=True)
        self._interned = self._interning
        return self._settled

    def same(self, value: H) -> H:
        value = self._interned.get(value, value)  # type: ignore[assignment]
        self._interning[value] = value
        return value

    def kept(self, paths: Sequence[Path], context: Any) -> Entry | None:
        key = tuple(str(p) for p in paths)
        entry = self._entries.get(key)
        if entry is None or entry.context != context:
            return None
        if entry.fingerprints != tuple(self._prints[k] for k in key):
            return None
        return entry

    def keep(
        self, paths: Sequence[Path], context: Any, value: Any, errors: Sequence[DataError]
    ) -> None:
        """Kept unless one of the files changed while it was read."""
        key = tuple(str(p) for p in paths)
        before = tuple(self._prints[k] for k in key)
        if tuple(fingerprint(p) for p in paths) != before:
            self._settled = False
            return
        self._entries[key] = Entry(before, context, value, tuple(errors))

    def stored(self, path: Path, context: Hashable) -> Path | None:
        found = self._prints.get(str(path))
        if self._kept_in is None or not isinstance(found, bytes):  # missing, or not a file
            return None
        key = self._context_keys.get(context)
        if key is None:
            key = self._context_keys[context] = context_key(context)
        place = str(path).encode("utf-8", "surrogateescape")
        name = hashlib.blake2b(
            len(place).to_bytes(4, "little") + place + found + key.encode(), digest_size=20
        ).hexdigest()
        name += ".pack"
        self._named.add(name)
        return self._kept_in / name

    def file(
        self,
        paths: Sequence[Path],
        context: Any,
        errors: list[DataError],
        read: Callable[..., T],
        *args: Any,
    ) -> T:
        entry = self.kept(paths, context)
        if entry is not None:
            errors += entry.errors
            return entry.value
        found: list[DataError] = []
        value = read(*args, found)
        self.keep(paths, context, value, found)
        errors += found
        return value

    def derived(self, name: str, inputs: Sequence[Any], make: Callable[[], T]) -> T:
        """The same objects mean the same files, read the same way."""
        last = self._derived.get(name)
        same = last is not None and len(last.inputs) == len(inputs)
        if same and all(a is b for a, b in zip(last.inputs, inputs, strict=True)):  # type: ignore[union-attr]
            return last.value  # type: ignore[union-attr]
        value = make()
        self._derived[name] = Derived(tuple(inputs), value)
        return value


def context_key(context: Hashable) -> str:
    """A digest of what files are read against (days, codes, ids; sets in sorted order) and of
    the running code: equal only for the same reading."""
    from .incremental import digest, running_code

    def plain(value: Any) -> Any:
        if isinstance(value, (frozenset, set)):
            return sorted(plain(v) for v in value)
        if isinstance(value, tuple):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date) else value

    return digest(running_code(), json.dumps(plain(context), ensure_ascii=False))


def folders(data_dir: Path) -> tuple[Path, ...]:
    """The folders whose files are read: where each leads decides whether its files are inside
    the repository."""
    return (
        data_dir,
        data_dir / "regions",
        data_dir / "coverage",
        data_dir / "forums",
        data_dir / "recognitions",
    )
