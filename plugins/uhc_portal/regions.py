"""data/regions/: the provinces and regencies with their BPS codes (provinces.csv,
regencies.csv), each province's square on the home page's map (tiles.csv), the other names a
region goes by (aliases.yaml); and, for any error, the code a region's name in a code field
stands for."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .datafile import require_file
from .errors import DataError, error
from .i18n import M_
from .loading import display_name, read_csv
from .model import TILE_COLUMNS, TILE_LABEL, TILE_ROWS, Province, Regency, Tile
from .names import NameIndex
from .schema import MAX_NAME, PROVINCE_CODE, REGENCY_CODE, Fields, parse_code
from .yamlfile import key_line, read_yaml


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
