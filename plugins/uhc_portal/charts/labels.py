"""Where a chart's labels go so that none draws over another, in the plot's pixels.

Vega-Lite places a text mark where its data says and never moves it away from another; with
one or two figures the labels a region chart writes (each threshold's, the latest value's, the
gap's) all crowd around the same few pixels. Widths are estimated from the font size (Liberation
Sans, digits 0.56 em), erring wide.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Box:
    left: float
    right: float
    top: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def moved(self, dx: float) -> Box:
        return Box(self.left + dx, self.right + dx, self.top, self.bottom)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """A generous width for `text` at `size` px (0.6 em a character, 0.64 bold)."""
    return (0.64 if bold else 0.6) * size * len(text) + 2


def free_place(
    box: Box, obstacles: Iterable[Box], width: float, within: tuple[float, float]
) -> float | None:
    """How far to move `box` sideways (0 when it is free) so that it overlaps no obstacle,
    stays inside the plot's [0, width] and starts within its own span `within` (a threshold's
    segment: a label moved onto another rule's step would name the wrong one): the nearest
    such place, or None when there is none."""
    obstacles = list(obstacles)
    shifts = {0.0}
    for o in obstacles:
        shifts.add(o.right + 3 - box.left)
        shifts.add(o.left - 3 - box.right)

    def fits(dx: float) -> bool:
        moved = box.moved(dx)
        inside = moved.left >= 0 and moved.right <= width and within[0] <= moved.left <= within[1]
        return inside and not any(map(moved.overlaps, obstacles))

    return next((dx for dx in sorted(shifts, key=lambda dx: (abs(dx), dx)) if fits(dx)), None)
