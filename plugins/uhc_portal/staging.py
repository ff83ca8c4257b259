"""A change to the data folder validated before it is made: a staging copy beside the folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staging_copy(data_dir: Path) -> Iterator[Path]:
    """A copy of the data folder beside it (files hard-linked where the disk allows), named as
    the original so validation names files as the steward sees them."""
    root = Path(tempfile.mkdtemp(prefix=".uhc-import-", dir=data_dir.parent))
    try:
        copy = root / data_dir.name

        def link(src: str, dst: str) -> None:
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)

        shutil.copytree(data_dir, copy, copy_function=link, symlinks=True)
        yield copy
    finally:
        shutil.rmtree(root, ignore_errors=True)
