"""From the renderer's SVG to an SVG a page can inline: checked against an allowlist
(well-formed, SVG elements only, no script, no event, no link to anything outside itself), its
ids renumbered per chart, made accessible (`role="img"`, `<title>`, `<desc>`), its coordinates
shortened; and each label's white halo drawn with the label instead of as a second text mark.

Workers import this module: it needs neither Altair, pandas nor Pelican.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from .charts import ChartData
    from .render import ChartTask


SVG_NS = "http://www.w3.org/2000/svg"
ALLOWED_ELEMENTS = {
    "svg",
    "g",
    "path",
    "rect",
    "line",
    "circle",
    "ellipse",
    "polygon",
    "polyline",
    "text",
    "tspan",
    "title",
    "desc",
    "defs",
    "clipPath",
    "linearGradient",
    "radialGradient",
    "stop",
}


# attributes that cannot run script or load anything, whatever their value
INERT_ATTRIBUTES = {
    "d",
    "transform",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "dx",
    "dy",
    "width",
    "height",
    "r",
    "cx",
    "cy",
    "rx",
    "ry",
    "points",
    "viewBox",
    "opacity",
    "fill-opacity",
    "stroke-opacity",
    "stroke-width",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-linejoin",
    "font-size",
    "font-weight",
    "font-style",
    "font-family",
    "text-anchor",
    "dominant-baseline",
    "class",
    "role",
    "aria-hidden",
    "aria-roledescription",
    "version",
    "pointer-events",
    "paint-order",
    "display",
    "id",
}


class UnsafeSvg(ValueError):
    """The renderer's SVG is not what we are willing to inline into a page."""


def renumber_ids(svg: str, prefix: str) -> str:
    """Ids in the order they appear, prefixed per chart: two charts on one page never clash."""
    names: dict[str, str] = {}
    for found in re.findall(r'\sid="([^"]+)"', svg):
        names.setdefault(found, f"{prefix}-{len(names) + 1}")
    if not names:
        return svg

    def swap(match: re.Match) -> str:
        return match.group(1) + names.get(match.group(2), match.group(2)) + match.group(3)

    return re.sub(r'(\sid="|url\(#|href="#)([^")]+)([")])', swap, svg)


def check_svg(svg: str) -> None:
    """Refuse anything but plain, self-contained SVG drawing: no script, no events, no links.

    vl-convert escapes the data strings it draws (a region named '<script>' becomes
    '&lt;script&gt;'); this check makes that a verified fact before the SVG is marked safe.
    """
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        raise UnsafeSvg(f"not well-formed XML: {exc}") from None
    for element in root.iter():
        namespace, _, tag = element.tag.rpartition("}")
        if namespace != "{" + SVG_NS or tag not in ALLOWED_ELEMENTS:
            raise UnsafeSvg(f"element <{tag}> is not allowed in a chart")
        for name, value in element.attrib.items():
            if name in INERT_ATTRIBUTES:
                continue  # geometry and text layout: nothing there can run or load
            local = name.rpartition("}")[2].lower()
            if local.startswith("on"):
                raise UnsafeSvg(f"event attribute {local!r} is not allowed")
            if local in ("href", "src") and not value.startswith("#"):
                raise UnsafeSvg(f"{local}={value!r}: a chart may only refer to itself")
            lowered = value.lower()
            if "javascript:" in lowered or "expression(" in lowered or "@import" in lowered:
                raise UnsafeSvg(f"attribute {local} holds a script or an import")
            if any(not re.match(r"#[\w.-]+\)", ref) for ref in lowered.split("url(")[1:]):
                raise UnsafeSvg(f"attribute {local}={value!r} refers outside the chart")


def accessible(svg: str, html_id: str, title: str, description: str) -> str:
    """role="img" with <title> and <desc> named by aria-labelledby, as the first children.

    The chart is one image, told in words by its description: the roles and labels Vega gives
    its inner marks (`graphics-symbol` without a name, which screen readers and axe-core take
    for unlabelled images) are removed.
    """
    match = re.match(r"\s*<svg\b([^>]*)>", svg)
    if not match:
        raise UnsafeSvg("the renderer's output does not start with <svg>")
    attributes = re.sub(r'\s(role|aria-[a-z]+|id)="[^"]*"', "", match.group(1))
    head = (
        f'<svg{attributes} id="{html_id}-svg" role="img" '
        f'aria-labelledby="{html_id}-title {html_id}-desc">'
        f'<title id="{html_id}-title">{escape(title)}</title>'
        f'<desc id="{html_id}-desc">{escape(description)}</desc>'
    )
    return head + in_tags(INNER_ROLES, "", svg[match.end() :])


INNER_ROLES = re.compile(r'\s(?:role|aria-roledescription|aria-label)="[^"]*"')


TEXT_NODE = re.compile(r"(>[^<]+<)")  # the words between tags, kept apart


EXCESS_DIGITS = re.compile(r"(?<=\d\.\d\d)\d+")


def short_numbers(svg: str) -> str:
    """Coordinates to 1/100 px inside the tags (a third of the bytes); the words drawn, whose
    '93.699' is a number of people, untouched. Cut in C, without a Python call per number: this
    runs once per rendered chart."""
    return in_tags(EXCESS_DIGITS, "", svg)


def in_tags(pattern: re.Pattern, replacement: str, svg: str) -> str:
    """`pattern` replaced inside the tags only, never in the words drawn between them."""
    pieces = TEXT_NODE.split(svg)  # tags at even places, text at odd ones
    pieces[::2] = [pattern.sub(replacement, piece) for piece in pieces[::2]]
    return "".join(pieces)


HALO_PAINT = ("stroke", "strokeWidth", "strokeOpacity")


def merge_halos(vega: dict[str, Any]) -> dict[str, Any]:
    """One text mark where the chart draws each label twice: a white outline first (a halo, so
    the words stay legible over lines), then the same text again on top.

    Vega-Lite has no paint order, so the charts (and the .json downloads, which any Vega tool
    draws the same) keep the two layers. For the SVG and PNG written here, each outlined text
    mark drops its plain twin (same data, same encoding without the outline), and
    `halos_under_text` has the outline painted beneath the letters: the same picture, with each
    label measured, laid out and rasterised once instead of twice (about a tenth of a region
    chart's rendering time). Changes `vega` in place and returns it.
    """
    for group in [vega, *iter_groups(vega)]:
        marks = group.get("marks")
        if not marks:
            continue
        twins: set[int] = set()
        for index, mark in enumerate(marks):
            update = mark.get("encode", {}).get("update", {})
            if mark.get("type") != "text" or "stroke" not in update:
                continue
            plain = {k: v for k, v in update.items() if k not in HALO_PAINT}
            unpainted = {**mark, "name": None, "encode": {**mark["encode"], "update": plain}}
            for later in range(index + 1, len(marks)):
                if later not in twins and {**marks[later], "name": None} == unpainted:
                    twins.add(later)
                    break
        group["marks"] = [mark for index, mark in enumerate(marks) if index not in twins]
    return vega


def iter_groups(node: Any) -> list[dict[str, Any]]:
    """Every group mark inside a Vega spec, at any depth."""
    found = []
    for mark in node.get("marks", []) if isinstance(node, dict) else []:
        if mark.get("type") == "group":
            found.append(mark)
            found.extend(iter_groups(mark))
    return found


STROKED_TEXT = re.compile(r'<text\b(?=[^>]*\sstroke=")')


def halos_under_text(svg: str) -> str:
    """Outlined text painted outline first (SVG 2 `paint-order`, drawn by browsers and resvg):
    in these charts every outlined text is a halo merged by `merge_halos`."""
    return STROKED_TEXT.sub('<text paint-order="stroke"', svg)


def finish_svg(raw: str, data: ChartData | ChartTask) -> Markup:
    svg = accessible(renumber_ids(raw, data.html_id), data.html_id, data.title, data.description)
    check_svg(svg)
    return Markup(svg)  # checked just above
