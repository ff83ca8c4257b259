"""Reading Pagefind's bundle in tests: its files are gzip, then `pagefind_dcd`, then CBOR.

Only what the tests compare is read: arrays, maps, text, byte strings and whole numbers.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

SIGNATURE = b"pagefind_dcd"

# Files whose names or bytes change from one Pagefind run to the next (docs/search.md): the
# filter chunks list a filter's values in the order of a Rust HashMap, seeded anew each run, so
# their bytes, their content-hash names, and the two files that name them differ.
# in any language root's bundles: pagefind/, pagefind-2/, en/pagefind/ …
UNSTABLE = re.compile(
    r"(^|/)pagefind(-[0-9]+)?/(filter/.*|pagefind\.[^/]*\.pf_meta|pagefind-entry\.json)$"
)


def is_unstable(name: str) -> bool:
    return bool(UNSTABLE.search(name))


def decode(path: Path):
    raw = gzip.decompress(path.read_bytes())
    assert raw.startswith(SIGNATURE), f"{path}: not a Pagefind file"
    value, end = cbor(raw, len(SIGNATURE))
    assert end == len(raw), f"{path}: {len(raw) - end} bytes left after the CBOR value"
    return value


def cbor(data: bytes, at: int):
    """One CBOR item at `at`: (value, position after it)."""
    head = data[at]
    major, info = head >> 5, head & 0x1F
    at += 1
    if info < 24:
        length = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        length = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise ValueError(f"CBOR item {head:#x} at {at - 1} is not one Pagefind writes")
    if major == 0:
        return length, at
    if major in (2, 3):
        chunk = data[at : at + length]
        return (chunk.decode("utf-8") if major == 3 else chunk), at + length
    if major == 4:
        items = []
        for _ in range(length):
            item, at = cbor(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = {}
        for _ in range(length):
            key, at = cbor(data, at)
            pairs[key], at = cbor(data, at)
        return pairs, at
    raise ValueError(f"CBOR major type {major} at {at - 1} is not one Pagefind writes")


def filters(bundle: Path) -> dict[str, dict[str, list[int]]]:
    """Every filter: its values, each with the numbers of the pages that carry it."""
    found: dict[str, dict[str, list[int]]] = {}
    for path in sorted((bundle / "filter").glob("*.pf_filter")):
        name, values = decode(path)
        assert name not in found, f"filter {name} in two chunks"
        found[name] = {value: pages for value, pages in values}
    return found
