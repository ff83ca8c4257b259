"""Build the site strictly into a fresh folder, index it for search, then swap it into place.

Pelican alone exits 0 after a content error and `-d` empties the output before reading anything;
here any warning fails the build and the previous output stays exactly as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import shutil
import tempfile
from pathlib import Path

from .search_index import index_site
from .sitemap import write_site_index

RENAME_EXCHANGE = 2
AT_FDCWD = -100


def build_site(settings_file: Path, output: Path, overrides: dict | None = None) -> None:
    """Build into a sibling temporary folder; only a complete build replaces `output`."""
    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(output)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{output.name}-building-{os.getpid()}-", dir=output.parent)
    )
    try:
        init_logging(level=logging.WARNING, fatal="warnings")
        settings = read_settings(
            str(settings_file), override={"OUTPUT_PATH": str(staging), **(overrides or {})}
        )
        Pelican(settings).run()
        index_site(staging, settings.get("UHC_LANGUAGES"))
        write_site_index(staging, settings["SITEURL"].rstrip("/"))
        os.chmod(staging, 0o755)
        swap_into_place(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def remove_stale(output: Path) -> None:
    """Folders left by a build that was killed (its process is gone); a running build's stay."""
    for folder in output.parent.glob(f".{output.name}-*"):
        kind, _, rest = folder.name[len(output.name) + 2 :].partition("-")
        pid = rest.split("-")[0]
        if kind in ("building", "old") and pid.isdigit() and not alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap_into_place(staging: Path, output: Path) -> None:
    """Exchange the two folders atomically where the OS allows; else two quick renames."""
    if output.exists() and exchange(staging, output):
        return  # `staging` now holds the old site and is removed by the caller
    if output.exists():
        old = output.with_name(f".{output.name}-old-{os.getpid()}")
        output.rename(old)
        staging.rename(output)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(output)


def exchange(a: Path, b: Path) -> bool:
    """renameat2(RENAME_EXCHANGE): both paths exist at every instant."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0
