"""Build the reference list of Indonesia's provinces and regencies.

The site keys every region on its Kemendagri code, so the list must be
reproducible from a pinned, published source rather than edited by hand.
This script takes the CSVs from the npm package ``idn-area-data`` (data under
ODbL 1.0, source: Kepmendagri No. 300.2.2-2138 Tahun 2025) and writes:

* ``data/regions/provinces.csv`` (``code,name``)
* ``data/regions/regencies.csv`` (``code,province_code,name``)

Usage::

    python scripts/build_regions.py                  # runs `npm pack`
    python scripts/build_regions.py --tarball idn-area-data-4.0.1.tgz
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

PACKAGE = "idn-area-data"
VERSION = "4.0.1"
# dist.integrity from the npm registry; pins the exact bytes we build from.
INTEGRITY = "sha512-PhNSIl5T7swVwwWxJOFMtCaeHAF9TUu0HLDf+36EIWZro9j7au83AFIJiBQGL+iRsBDA2OlpJ5fjiqxNYndzOQ=="  # noqa: E501 (one token)
PROVINCES_MEMBER = "package/data/provinces.csv"
REGENCIES_MEMBER = "package/data/regencies.csv"

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT_DIR = ROOT / "data" / "regions"

EXPECTED_PROVINCES = 38
EXPECTED_KABUPATEN = 416
EXPECTED_KOTA = 98

PROVINCE_CODE = re.compile(r"\d{2}")
REGENCY_CODE = re.compile(r"(\d{2})\.(\d{2})")
# Kemendagri numbers cities (kota) from 71 upwards within each province.
FIRST_KOTA_NUMBER = 71

# Only used when the source is in capitals: words kept as acronyms, words
# kept lower case mid-name, and abbreviations spelled out.
ACRONYMS = frozenset({"DKI", "DI", "DIY", "NTB", "NTT"})
SMALL_WORDS = frozenset({"dan"})
EXPANSIONS = {"KAB.": "Kabupaten", "KAB": "Kabupaten", "ADM.": "Administrasi"}


class DataError(Exception):
    """The package contents do not match what the site relies on."""


def check(condition: bool, message: str) -> None:
    """Raise DataError with a readable message; unlike assert, survives -O."""
    if not condition:
        raise DataError(message)


def fetch_tarball(dest: Path) -> Path:
    """Download the pinned package with `npm pack` so no node_modules is needed."""
    npm = shutil.which("npm")
    if npm is None:
        msg = "npm not found on PATH; install Node.js or pass --tarball PATH"
        raise DataError(msg)
    spec = f"{PACKAGE}@{VERSION}"
    subprocess.run(
        [npm, "pack", spec, "--silent"],
        cwd=dest,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tarball = dest / f"{PACKAGE}-{VERSION}.tgz"
    check(tarball.is_file(), f"`npm pack {spec}` did not produce {tarball.name}")
    return tarball


def verify_integrity(tarball: Path) -> None:
    """Compare the tarball's sha512 with the registry's, so the output is pinned."""
    digest = hashlib.sha512(tarball.read_bytes()).digest()
    actual = "sha512-" + base64.b64encode(digest).decode("ascii")
    check(
        actual == INTEGRITY,
        f"{tarball} has integrity {actual}, expected {INTEGRITY} "
        f"({PACKAGE}@{VERSION}); wrong file or version?",
    )


def read_member(tar: tarfile.TarFile, member: str) -> list[dict[str, str]]:
    """Read one CSV from the tarball without extracting it to disk."""
    try:
        raw = tar.extractfile(member)
    except KeyError:
        raw = None
    if raw is None:
        msg = f"{member} is missing from the tarball"
        raise DataError(msg)
    with io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
        return list(csv.DictReader(text))


def readable_name(raw: str) -> str:
    """Title-case a name given in capitals, as Indonesians write it.

    Names already in mixed case (idn-area-data 4.x) are trusted and only have
    their whitespace tidied, so title-casing cannot damage them.
    """
    name = " ".join(raw.split())
    if not name.isupper():
        return name
    words = []
    for index, word in enumerate(name.split(" ")):
        if word in EXPANSIONS:
            words.append(EXPANSIONS[word])
        elif word in ACRONYMS:
            words.append(word)
        elif index > 0 and word.lower() in SMALL_WORDS:
            words.append(word.lower())
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)


def field(row: dict[str, str], key: str, source: str) -> str:
    """Return a required column, naming the file and row if it is absent."""
    value = row.get(key)
    check(bool(value and value.strip()), f"{source}: row {row} has no {key!r}")
    return str(value).strip()


def build_provinces(rows: list[dict[str, str]]) -> list[tuple[str, str]]:
    """Validate and normalise the provinces; codes are two digits like '73'."""
    provinces = []
    for row in rows:
        code = field(row, "code", PROVINCES_MEMBER)
        check(
            PROVINCE_CODE.fullmatch(code) is not None,
            f"province code {code!r} is not two digits",
        )
        provinces.append((code, readable_name(field(row, "name", PROVINCES_MEMBER))))
    provinces.sort()
    codes = [code for code, _ in provinces]
    duplicates = sorted(c for c, n in Counter(codes).items() if n > 1)
    check(not duplicates, f"duplicate province codes: {duplicates}")
    check(
        len(provinces) == EXPECTED_PROVINCES,
        f"expected {EXPECTED_PROVINCES} provinces, got {len(provinces)}",
    )
    return provinces


def build_regencies(
    rows: list[dict[str, str]], province_codes: set[str]
) -> list[tuple[str, str, str]]:
    """Validate and normalise regencies and cities; codes look like '73.13'."""
    regencies = []
    for row in rows:
        code = field(row, "code", REGENCIES_MEMBER)
        province_code = field(row, "province_code", REGENCIES_MEMBER)
        name = readable_name(field(row, "name", REGENCIES_MEMBER))
        match = REGENCY_CODE.fullmatch(code)
        if match is None:
            msg = f"regency code {code!r} is not like '73.13'"
            raise DataError(msg)
        check(
            match.group(1) == province_code,
            f"regency {code} ({name}) has province_code {province_code}, "
            f"but its code says {match.group(1)}",
        )
        check(
            province_code in province_codes,
            f"regency {code} ({name}) refers to unknown province {province_code}",
        )
        is_kota = int(match.group(2)) >= FIRST_KOTA_NUMBER
        prefix = "Kota " if is_kota else "Kabupaten "
        check(
            name.startswith(prefix),
            f"regency {code} is named {name!r}; a code numbered "
            f"{match.group(2)} should start with {prefix.strip()!r}",
        )
        regencies.append((code, province_code, name))
    regencies.sort()
    codes = [code for code, _, _ in regencies]
    duplicates = sorted(c for c, n in Counter(codes).items() if n > 1)
    check(not duplicates, f"duplicate regency codes: {duplicates}")
    names = Counter(name for _, _, name in regencies)
    same_name = sorted(n for n, count in names.items() if count > 1)
    check(not same_name, f"regencies sharing a full name: {same_name}")
    kota = sum(name.startswith("Kota ") for _, _, name in regencies)
    kabupaten = len(regencies) - kota
    check(
        (kabupaten, kota) == (EXPECTED_KABUPATEN, EXPECTED_KOTA),
        f"expected {EXPECTED_KABUPATEN} kabupaten + {EXPECTED_KOTA} kota, got {kabupaten} + {kota}",
    )
    empty = sorted(province_codes - {p for _, p, _ in regencies})
    check(not empty, f"provinces without any regency: {empty}")
    return regencies


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Write UTF-8 without BOM, LF line endings, quoting only when needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build(tarball: Path, out_dir: Path) -> None:
    """Verify the tarball, then write both CSVs."""
    verify_integrity(tarball)
    with tarfile.open(tarball, "r:gz") as tar:
        province_rows = read_member(tar, PROVINCES_MEMBER)
        regency_rows = read_member(tar, REGENCIES_MEMBER)
    provinces = build_provinces(province_rows)
    regencies = build_regencies(regency_rows, {code for code, _ in provinces})
    write_csv(out_dir / "provinces.csv", ("code", "name"), provinces)
    write_csv(out_dir / "regencies.csv", ("code", "province_code", "name"), regencies)
    kota = sum(name.startswith("Kota ") for _, _, name in regencies)
    print(
        f"{PACKAGE}@{VERSION}: wrote {len(provinces)} provinces and "
        f"{len(regencies)} regencies ({len(regencies) - kota} kabupaten, "
        f"{kota} kota) to {out_dir}"
    )


def main(argv: list[str] | None = None) -> int:
    """Parse arguments; fetch the package unless a tarball is given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tarball",
        type=Path,
        help=f"use this {PACKAGE}-{VERSION}.tgz instead of running npm pack",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help="where to write the CSVs (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    try:
        if args.tarball is not None:
            build(args.tarball, args.out_dir)
        else:
            with tempfile.TemporaryDirectory(prefix="idn-area-data-") as tmp:
                build(fetch_tarball(Path(tmp)), args.out_dir)
    except (DataError, subprocess.CalledProcessError, OSError, tarfile.TarError) as err:
        print(f"build_regions: error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
