"""Reading data/ again in one process costs only what changed.

Each file's result (its values and its errors) is kept with the file's bytes, by their BLAKE2
digest, and with everything else it was made from (the region codes, the source ids, today):
the next load takes it back only when both are the same, so an edit is never missed, however
soon after the last one and whatever its size. Checks across files run on every load.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .errors import DataError
from .loading import MAX_FILE_BYTES

T = TypeVar("T")


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
    fingerprints: tuple[Hashable, ...]
    context: Any
    value: Any
    errors: tuple[DataError, ...]


class LoadCache:
    """What one process last read of a data folder, kept by the caller between loads
    (`load_dataset(data_dir, today, cache)`): a preview server, or the language runs of one
    build. When no file changed, the next load returns the same Dataset object; else it reads
    only the files that changed and checks the whole again. Datasets are shared, never changed.
    One load at a time: a cache is not shared between threads.
    """

    def __init__(self) -> None:
        self._place: tuple[str, ...] = ()
        self._forget()

    def _forget(self) -> None:
        self._entries: dict[tuple[str, ...], Entry] = {}
        self._derived: dict[str, tuple[tuple, Any]] = {}
        self._interned: dict[Hashable, Hashable] = {}
        self._state: tuple | None = None
        self._result: Any = None

    def start(self, data_dir: Path, today: dt.date, paths: Sequence[Path]) -> Memo:
        """One load of `paths` (every file it reads, in order): their fingerprints taken now."""
        root = data_dir.parent
        place = tuple(
            str(p) for p in (data_dir, root.resolve(), *(f.resolve() for f in folders(data_dir)))
        )
        if place != self._place:  # another folder, or one that now leads elsewhere
            self._forget()
            self._place = place
        prints = {str(path): fingerprint(path) for path in paths}
        return Memo(self, prints, (today, tuple(prints.items())))

    def previous(self, memo: Memo) -> Any:
        """The last load's Dataset or errors, when it read exactly the same files the same day."""
        return self._result if self._state == memo.state else None

    def keep(self, memo: Memo, result: Any) -> None:
        if memo.settled:
            self._state, self._result = memo.state, result
        else:  # a file changed while it was read: its result is not the digest's
            self._state, self._result = None, None
        # files gone since: their entries go too, and values no longer read by
        for key in [k for k in self._entries if not all(p in memo.prints for p in k)]:
            del self._entries[key]
        self._interned = memo.interned


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


class Memo:
    """One load's use of a LoadCache (or of none: then every file is read)."""

    def __init__(self, cache: LoadCache | None = None, prints: dict | None = None, state=None):
        self.cache = cache
        self.prints: dict[str, Hashable] = prints or {}
        self.state = state
        self.settled = True
        self.interned: dict[Hashable, Hashable] = {}

    def intern(self, value: Hashable) -> Hashable:
        """One object for equal values from load to load: contexts then compare at once."""
        if self.cache is None:
            return value
        value = self.cache._interned.get(value, value)
        self.interned[value] = value
        return value

    def get(self, paths: Sequence[Path], context: Any) -> Entry | None:
        """The result kept for these files, if their bytes and the context are the same."""
        if self.cache is None:
            return None
        key = tuple(str(p) for p in paths)
        entry = self.cache._entries.get(key)
        if entry is None or entry.context != context:
            return None
        if entry.fingerprints != tuple(self.prints[k] for k in key):
            return None
        return entry

    def put(
        self, paths: Sequence[Path], context: Any, value: Any, errors: Sequence[DataError]
    ) -> None:
        """Keep what reading these files gave, unless one changed while it was read."""
        if self.cache is None:
            return
        key = tuple(str(p) for p in paths)
        before = tuple(self.prints[k] for k in key)
        if tuple(fingerprint(p) for p in paths) != before:
            self.settled = False
            return
        self.cache._entries[key] = Entry(before, context, value, tuple(errors))

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
        entry = self.get(paths, context)
        if entry is not None:
            errors += entry.errors
            return entry.value
        found: list[DataError] = []
        value = read(*args, found)
        self.put(paths, context, value, found)
        errors += found
        return value

    def derived(self, name: str, inputs: Sequence[Any], make: Callable[[], T]) -> T:
        """`make()`, or what it gave last time from the very same `inputs` (results kept in the
        cache: the same objects mean the same files, read the same way)."""
        if self.cache is None:
            return make()
        last = self.cache._derived.get(name)
        same = last is not None and len(last[0]) == len(inputs)
        if same and all(a is b for a, b in zip(last[0], inputs, strict=True)):
            return last[1]
        value = make()
        self.cache._derived[name] = (tuple(inputs), value)
        return value
