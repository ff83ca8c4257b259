"""Region names as tables print them ("KAB. WAJO", "Kota Lubuklinggau", "Kab Gunung Mas") →
Kemendagri codes, through regencies.csv and aliases.yaml.

Prefixes (Kab., Kabupaten, Kota), case, spaces and punctuation are ignored, but a prefix, when
printed, still decides between a kabupaten and a kota of the same name (Kabupaten Blitar 35.05,
Kota Blitar 35.72); a bare "Blitar" matches both and is ambiguous, never guessed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from .model import Province, Regency

Kind = Literal["kabupaten", "kota"]
PREFIX = re.compile(
    r"^\s*(?P<prefix>kabupaten\b|kab\b\.?|kotamadya\b|kodya\b|kota\b|kot\.|city of\b|"
    r"regency of\b)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
KINDS: dict[str, Kind] = {"kab": "kabupaten", "kabupaten": "kabupaten", "regencyof": "kabupaten"}
PROVINCE_PREFIX = re.compile(r"^\s*(provinsi\b|prov\b\.?|prov\.|province of)\s*", re.IGNORECASE)
TOTALS = re.compile(
    r"^(jumlah|total|grand total|sub ?total|jumlah total|rata[- ]?rata|average|nasional|"
    r"indonesia|jumlah provinsi|total provinsi)\b",
    re.IGNORECASE,
)


def squeeze(text: str) -> str:
    """Lower case, letters and digits only: 'Tojo Una-Una' → 'tojounauna'."""
    text = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


def split_prefix(name: str) -> tuple[Kind | None, str]:
    """'Kab. Wajo' → ('kabupaten', 'wajo'); 'Wajo' → (None, 'wajo')."""
    match = PREFIX.match(name)
    if not match or not match["rest"].strip():
        return None, squeeze(name)
    kind: Kind = KINDS.get(squeeze(match["prefix"]), "kota")
    return kind, squeeze(match["rest"])


@dataclass(frozen=True, slots=True)
class Candidate:
    code: str
    name: str

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


@dataclass(frozen=True, slots=True)
class Match:
    """A name's code, or why there is none: the candidates it could mean or is closest to."""

    name: str
    code: str | None
    outcome: Literal["matched", "ambiguous", "unmatched", "province", "totals"]
    candidates: tuple[Candidate, ...] = ()


class NameIndex:
    """Every regency name and alias, keyed by the name without prefix, with its kind."""

    def __init__(
        self,
        provinces: dict[str, Province],
        regencies: dict[str, Regency],
        aliases: dict[str, str],
    ) -> None:
        self.regencies = regencies
        self._by_key: dict[str, dict[str, Kind]] = {}  # key → code → kind
        for code, regency in regencies.items():
            self._add(regency.name, code)
        for alias, code in aliases.items():
            if code in regencies:
                self._add(alias, code)
        self._provinces = {squeeze(p.name) for p in provinces.values()}
        self._provinces |= {squeeze(a) for a, code in aliases.items() if code in provinces}

    def _add(self, name: str, code: str) -> None:
        _, key = split_prefix(name)
        kind = split_prefix(self.regencies[code].name)[0] or "kabupaten"
        self._by_key.setdefault(key, {})[code] = kind

    def candidate(self, code: str) -> Candidate:
        return Candidate(code, self.regencies[code].name)

    def match(self, name: str) -> Match:
        name = name.strip()
        kind, key = split_prefix(name)
        if TOTALS.match(name):
            return Match(name, None, "totals")
        if PROVINCE_PREFIX.match(name) or (kind is None and key in self._provinces):
            return Match(name, None, "province")
        codes = self._by_key.get(key, {})
        fitting = sorted(c for c, k in codes.items() if kind is None or k == kind)
        if len(fitting) == 1:
            return Match(name, fitting[0], "matched")
        if len(fitting) > 1:
            return Match(name, None, "ambiguous", tuple(self.candidate(c) for c in fitting))
        return Match(name, None, "unmatched", self.closest(key, kind, sorted(codes)))

    def closest(self, key: str, kind: Kind | None, first: list[str]) -> tuple[Candidate, ...]:
        """Up to three regions whose names are nearest, those sharing the name itself first."""
        near = difflib.get_close_matches(key, self._by_key, n=5, cutoff=0.6)
        codes = list(first)
        for found in near:
            for code, k in sorted(self._by_key[found].items()):
                if code not in codes and (kind is None or k == kind or found == key):
                    codes.append(code)
        return tuple(self.candidate(c) for c in codes[:3])
