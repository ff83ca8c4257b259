"""Writing a file of the site or of the cache: the two ways the build writes.

`write_new` for a file in the staging folder, which is swapped into place whole (build.py): the
name is unlinked first, since it may be a hard link into the live site (incremental.py), and a
write through it would change the site being served. `atomic_write` for a file that is read while
it may be replaced (the chart cache, the manifest, data files, a page put straight into the site
the preview serves): a sibling is written and renamed over it, so a reader sees the old file or
the new one, never a part.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path


def unlinked(path: Path) -> Path:
    """`path`, with its folder made and no file at its name, for a writer to create it anew."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    return path


def write_new(path: Path, content: bytes) -> None:
    """A new file at `path`, never written through a hard link that was there."""
    unlinked(path).write_bytes(content)


def atomic_write(path: Path, content: bytes) -> None:
    """`path` replaced whole or not at all. The sibling's name is the process's and the thread's
    own (no two writers share one) and it is created like any file (not mkstemp's 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def kept(path: Path | None, make: Callable[[], bytes]) -> bytes:
    """The bytes at `path` (a cache file named by everything they are made from), else
    `make()`'s, written there for the next process; `path` None: made, not kept."""
    if path is not None:
        with contextlib.suppress(OSError):
            return path.read_bytes()
    made = make()
    if path is not None:
        atomic_write(path, made)
    return made
