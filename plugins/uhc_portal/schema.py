"""Field rules: turn typed-in text into values, or into errors that say what was expected.

Every parser raises `Problem(expected, kind)`; the readers below attach file, line, field and
value, and collect all problems instead of stopping at the first.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

from .errors import DataError, error
from .i18n import M_
from .model import PartialDate
from .yamlfile import item_line, key_line

COUNT = re.compile(r"\d+", re.ASCII)
PERCENT = re.compile(r"\d+(\.\d+)?", re.ASCII)
DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", re.ASCII)
BPS_CODE = re.compile(r"(\d{2})(\d{2})", re.ASCII)
PROVINCE_CODE = re.compile(r"\d{2}", re.ASCII)
REGENCY_CODE = re.compile(r"\d{2}\.\d{2}", re.ASCII)
ID = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
UNSAFE_URL = re.compile(r'[\s\x00-\x1f\x7f"<>\\^`{|}]')
MAX_TEXT = 5000
MAX_NAME = 200
MAX_COUNT = 1_000_000_000  # no region has a billion people; a longer number is a typing slip
MAX_PERCENT = 200.0
EARLIEST_YEAR = 1990


class Problem(Exception):
    def __init__(self, expected: str, kind: str):
        super().__init__(expected)
        self.expected = expected
        self.kind = kind


def parse_count(text: str) -> int:
    """A whole number of people, typed without separators: 376386."""
    text = text.strip()
    if text.isascii() and text.isdigit():  # COUNT, without a regex: 240,000 cells at 1×
        if len(text.lstrip("0")) > 10 or int(text) > MAX_COUNT:
            raise Problem(
                M_("jumlah orang paling banyak %(n)s") % {"n": MAX_COUNT}, "count-out-of-range"
            )
        return int(text)
    if text.startswith("-") and COUNT.fullmatch(text[1:].replace(".", "").replace(",", "")):
        raise Problem(M_("jumlah orang, nol atau lebih"), "negative-count")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        raise Problem(
            M_(
                "bilangan bulat tanpa pemisah: tulis %(w)s (titik adalah pemisah ribuan dalam "
                "bahasa Indonesia, bukan titik desimal)"
            )
            % {"w": text.replace(".", "")},
            "not-whole-number",
        )
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        raise Problem(
            M_("bilangan bulat tanpa pemisah: tulis %(w)s") % {"w": text.replace(",", "")},
            "not-whole-number",
        )
    raise Problem(
        M_("jumlah orang sebagai bilangan bulat, angka saja (mis. 311536)"), "not-whole-number"
    )


def parse_percent(text: str) -> tuple[float, int]:
    """A percentage with a decimal point, and how many decimals the source printed."""
    text = text.strip()
    if PERCENT.fullmatch(text):
        value = float(text)
        if value > MAX_PERCENT:
            raise Problem(
                M_("persentase paling tinggi %(n)s") % {"n": f"{MAX_PERCENT:g}"},
                "percent-out-of-range",
            )
        return value, len(text.split(".")[1]) if "." in text else 0
    if text.startswith("-"):
        raise Problem(M_("persentase, nol atau lebih"), "negative-percent")
    if re.fullmatch(r"\d+,\d+", text):
        raise Problem(
            M_("titik desimal, bukan koma desimal: tulis %(w)s") % {"w": text.replace(",", ".")},
            "decimal-comma",
        )
    if text.endswith("%"):
        raise Problem(
            M_("angka tanpa tanda %%: tulis %(w)s") % {"w": text.rstrip("% ")}, "not-a-percent"
        )
    raise Problem(M_("persentase seperti 82.77"), "not-a-percent")


def parse_date(value: Any, today: dt.date, allow_future: bool = False) -> PartialDate:
    """YYYY-MM-DD, YYYY-MM or YYYY: the precision the source gave."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        text = value.isoformat()
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise Problem(M_("tanggal YYYY-MM-DD, YYYY-MM atau YYYY"), "bad-date")
    match = DATE.fullmatch(text)
    day_first = DAY_FIRST.fullmatch(text)
    if not match and day_first:
        day, month, year = day_first.groups()
        written = f"{year}-{month:0>2}-{day:0>2}"
        raise Problem(M_("tanggal YYYY-MM-DD: tulis %(w)s") % {"w": written}, "bad-date")
    if not match:
        raise Problem(
            M_("tanggal YYYY-MM-DD, YYYY-MM atau YYYY (mis. 2020-09-30 atau 2020-09)"), "bad-date"
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        date = PartialDate(year or 0, month, day)
        date.start  # noqa: B018 — raises for month 13 or 31 February
    except ValueError:
        raise Problem(M_("tanggal yang ada di kalender"), "bad-date") from None
    if date.year < EARLIEST_YEAR:
        raise Problem(M_("tanggal mulai tahun %(y)s") % {"y": EARLIEST_YEAR}, "bad-date")
    if not allow_future and date.start > today:
        raise Problem(
            M_("tanggal yang tidak melewati hari ini (%(d)s)") % {"d": today.isoformat()},
            "future-date",
        )
    return date


def parse_code(value: Any, kinds: tuple[str, ...] = ("regency", "province")) -> str:
    """A Kemendagri code as text: '73' or '73.13'."""
    if not isinstance(value, str):
        raise Problem(
            M_(
                'kode wilayah dalam tanda kutip, mis. "73.13" (YAML membaca kode tanpa kutip '
                "sebagai angka dan membuang nol di belakang: 11.10 menjadi 11.1)"
            ),
            "code-not-text",
        )
    text = value.strip()
    if ("regency" in kinds and REGENCY_CODE.fullmatch(text)) or (
        "province" in kinds and PROVINCE_CODE.fullmatch(text)
    ):
        return text
    shapes = M_(" atau ").join({"regency": "'73.13'", "province": "'73'"}[k] for k in kinds)
    shaped = M_("kode Kemendagri berbentuk %(s)s") % {"s": shapes}
    bps = BPS_CODE.fullmatch(text)
    if "regency" in kinds and bps:
        dotted = ".".join(bps.groups())
        raise Problem(f"{shaped}: " + M_("maksudnya %(c)s?") % {"c": dotted}, "bad-code")
    raise Problem(shaped, "bad-code")


def parse_url(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    try:
        parts = urlsplit(text)
    except ValueError:  # "http://[::1" is not an address
        raise Problem(M_("alamat http:// atau https://"), "bad-url") from None
    # Characters a URL never holds unescaped (RFC 3986): quotes and brackets break out of markup.
    if parts.scheme in ("http", "https") and parts.netloc and not UNSAFE_URL.search(text):
        return text
    raise Problem(M_("alamat http:// atau https://, tanpa spasi, tanda kutip atau <>"), "bad-url")


def parse_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Problem(M_("teks"), "not-text")
    text = str(value).strip()
    if not text:
        raise Problem(M_("teks yang tidak kosong"), "missing-field")
    if len(text) > MAX_TEXT:
        raise Problem(M_("teks paling panjang %(n)s karakter") % {"n": MAX_TEXT}, "text-too-long")
    return text


def parse_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if isinstance(value, str) and re.fullmatch(r"\d+,\d+", value.strip()):
            raise Problem(M_("angka dengan titik desimal, bukan koma"), "decimal-comma")
        raise Problem(M_("angka seperti 95 atau 98.5"), "not-a-number")
    if not 0 <= value <= MAX_PERCENT:
        raise Problem(
            M_("persentase antara 0 dan %(n)s") % {"n": f"{MAX_PERCENT:g}"}, "percent-out-of-range"
        )
    return float(value)


def raw_scalar(lines: list[str], line: int, column: int) -> str:
    """The characters a steward typed for a scalar, for messages about YAML's reading of it."""
    if 0 < line <= len(lines):
        match = re.match(r"[^\s,#\]}]+", lines[line - 1][column:])
        if match:
            return match.group(0)
    return ""


def required_field(key: str) -> str:
    return M_("kolom '%(f)s' wajib diisi") % {"f": key}


class Fields:
    """Reads the fields of one YAML mapping, collecting every problem with its line."""

    def __init__(
        self,
        mapping: Any,
        file: str,
        line: int,
        errors: list[DataError],
        known: tuple[str, ...],
        lines: list[str],
        where: str = "",
    ):
        self.mapping = mapping
        self.file = file
        self.line = line
        self.errors = errors
        self.lines = lines
        self.where = where
        self.ok = isinstance(mapping, dict)
        if not self.ok:
            self.errors.append(
                error(
                    file,
                    line,
                    where.rstrip("."),
                    type(mapping).__name__,
                    M_("pasangan kolom: nilai (mapping YAML)"),
                    "not-a-mapping",
                )
            )
            return
        for key in mapping:
            if key not in known:
                self.errors.append(
                    error(
                        file,
                        key_line(mapping, key, line),
                        where + str(key),
                        key,
                        M_("salah satu kolom %(f)s") % {"f": ", ".join(known)},
                        "unknown-field",
                    )
                )

    def line_of(self, key: str) -> int:
        return key_line(self.mapping, key, self.line)

    def raw(self, key: str) -> str:
        try:
            line, column = self.mapping.lc.value(key)
        except (AttributeError, KeyError, TypeError):
            return ""
        return raw_scalar(self.lines, line + 1, column)

    def report(self, key: str, value: Any, expected: str, kind: str) -> None:
        """A problem with field `key`, at the field's line."""
        self.errors.append(
            error(self.file, self.line_of(key), self.where + key, value, expected, kind)
        )

    def get(self, key: str, parser: Any, required: bool = True, *args: Any) -> Any:
        if not self.ok:
            return None
        value = self.mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.report(key, "", required_field(key), "missing-field")
            return None
        try:
            return parser(value, *args)
        except Problem as problem:
            shown = self.raw(key) or value
            self.report(key, shown, problem.expected, problem.kind)
            return None

    def items(self, key: str, required: bool = False) -> list[tuple[Any, int]]:
        """A list field's items with their lines."""
        if not self.ok:
            return []
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.report(key, "", required_field(key), "missing-field")
            return []
        if not isinstance(value, list):
            self.report(
                key, type(value).__name__, M_("daftar (baris yang diawali '- ')"), "not-a-list"
            )
            return []
        return [(item, item_line(value, i, self.line_of(key))) for i, item in enumerate(value)]

    def each(self, key: str, parser: Any, required: bool = False, *args: Any) -> list[Any]:
        """Parse every item of a list of scalars, reporting each bad one at its own line."""
        out = []
        for index, (item, line) in enumerate(self.items(key, required)):
            try:
                out.append(parser(item, *args))
            except Problem as problem:
                seq = self.mapping[key]
                try:
                    shown = raw_scalar(self.lines, line, seq.lc.item(index)[1]) or item
                except (AttributeError, KeyError, TypeError):
                    shown = item
                self.errors.append(
                    error(
                        self.file,
                        line,
                        f"{self.where}{key}[{index}]",
                        shown,
                        problem.expected,
                        problem.kind,
                    )
                )
        return out
