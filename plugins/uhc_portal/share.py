"""The site's one share image (Open Graph, Twitter): the portal's name and what it shows, drawn
as SVG and rendered to PNG by vl-convert at build time, with the fonts it bundles (the same bytes
on every machine with the same vl-convert)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from markupsafe import escape

from .files import kept
from .i18n import _

WIDTH, HEIGHT = 1200, 630  # drawn at Open Graph's usual 1.91:1 …
SCALE = 0.5  # … and written at 600 × 315, above Twitter's 300 × 157 minimum for a large card
PATH = "bagikan.png"
IMAGE = {"path": PATH, "width": int(WIDTH * SCALE), "height": int(HEIGHT * SCALE)}
"""What a page's share card says of the image (og:image:width and height)."""


def share_svg(sitename: str) -> str:
    """Words a reader sees in a link preview: name, promise, and the threshold idea in a bar."""
    lines = [
        _("Seberapa dekat daerah Anda dengan UHC?"),
        _("Cakupan kepesertaan JKN 514 kabupaten/kota,"),
        _("setiap angka dengan tanggal dan sumbernya."),
    ]
    threshold = escape(_("ambang UHC"))  # outside the f-string, where Babel finds it
    text = "".join(
        f'<text x="80" y="{330 + 56 * i}" font-size="40" fill="#1f2933">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'font-family="Liberation Sans">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f7f9fb"/>'
        f'<rect width="{WIDTH}" height="24" fill="#0b6e4f"/>'
        f'<text x="80" y="210" font-size="96" font-weight="bold" fill="#0b6e4f">'
        f"{escape(sitename)}</text>{text}"
        f'<rect x="80" y="520" width="1040" height="28" fill="#dde3ea"/>'
        f'<rect x="80" y="520" width="860" height="28" fill="#0b6e4f"/>'
        f'<rect x="1068" y="508" width="6" height="52" fill="#1f2933"/>'
        f'<text x="1060" y="600" font-size="28" text-anchor="end" fill="#1f2933">'
        f"{threshold}</text>"
        "</svg>"
    )


def share_png(sitename: str, cache_dir: Path | None = None) -> bytes:
    """The image as PNG; kept in `cache_dir` (the chart cache) by its drawing and the running
    code, so a build after an edit reads it instead of drawing it again (a third of a second)."""
    svg = share_svg(sitename)
    file = None
    if cache_dir is not None:
        from .incremental import digest, running_code

        file = cache_dir / "share" / f"{digest(svg, running_code())[:32]}.png"
    return kept(file, lambda: drawn(svg))


def drawn(svg: str) -> bytes:
    import vl_convert

    from .renderer import bundled_fonts_only

    bundled_fonts_only()
    png = vl_convert.svg_to_png(svg, scale=SCALE)
    return paletted(png) or png


def paletted(png: bytes) -> bytes | None:
    """The same image as an 8-bit palette PNG when it has at most 256 colours (flat colours and
    anti-aliased text: a third of the bytes), else None. Standard library only."""
    width, height, depth, kind = struct.unpack(">IIBB", png[16:26])
    if depth != 8 or kind != 6:  # 8-bit RGBA is what vl-convert writes
        return None
    data, offset = b"", 8
    while offset < len(png):
        length, name = struct.unpack(">I4s", png[offset : offset + 8])
        if name == b"IDAT":
            data += png[offset + 8 : offset + 8 + length]
        offset += 12 + length
    rows = unfiltered(zlib.decompress(data), width, height, 4)
    colours: dict[bytes, int] = {}
    out = bytearray()
    for row in rows:
        out.append(0)
        for x in range(0, len(row), 4):
            out.append(colours.setdefault(bytes(row[x : x + 4]), len(colours)))
            if len(colours) > 256:
                return None
    palette = b"".join(c[:3] for c in colours)
    alpha = bytes(c[3] for c in colours)

    def chunk(name: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + name + body + struct.pack(">I", zlib.crc32(name + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"PLTE", palette)
        + (chunk(b"tRNS", alpha) if alpha.strip(b"\xff") else b"")
        + chunk(b"IDAT", zlib.compress(bytes(out), 9))
        + chunk(b"IEND", b"")
    )


def unfiltered(data: bytes, width: int, height: int, bpp: int) -> list[bytearray]:
    """PNG scanlines with their filters undone (PNG spec, section 9)."""
    stride = width * bpp
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, row = data[start], bytearray(data[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = row[i - bpp] if i >= bpp else 0
            up = previous[i]
            if kind == 1:
                row[i] = (row[i] + left) & 255
            elif kind == 2:
                row[i] = (row[i] + up) & 255
            elif kind == 3:
                row[i] = (row[i] + (left + up) // 2) & 255
            elif kind == 4:
                corner = previous[i - bpp] if i >= bpp else 0
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                row[i] = (row[i] + predictor) & 255
        rows.append(row)
        previous = row
    return rows
