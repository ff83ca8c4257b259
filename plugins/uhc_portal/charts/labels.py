"""Where a chart's labels go so that none draws over another, in the plot's pixels.

Vega-Lite places a text mark where its data says and never moves it away from another; with
one or two figures the labels a region chart writes (each threshold's, the latest value's, the
gap's) all crowd around the same few pixels. Widths are estimated from the font size (Liberation
Sans, digits 0.56 em), erring wide. The region chart's `Frame` turns its dates and percentages
into pixels; its markers' labels are stacked in rows, its thresholds' moved off the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..model import Dataset
from ..status import Assessment
from .common import iso
from .theme import HEIGHT, MARKER_ROWS, REGION_WIDTH


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


@dataclass(frozen=True)
class Frame:
    """The plot's time span and its highest value: where a date and a percentage are in px."""

    start: dt.date
    span: int
    top: float

    def x(self, day: str) -> float:
        return (dt.date.fromisoformat(day) - self.start).days / self.span * REGION_WIDTH

    def y(self, value: float) -> float:
        return HEIGHT * (1 - value / self.top)

    def day(self, x: float) -> str:
        return iso(self.start + dt.timedelta(days=round(x / REGION_WIDTH * self.span)))


def plot_top(dataset: Dataset, history: list[Assessment]) -> float:
    """The y scale's top: 100, or the highest percentage drawn (a census older than the
    register gives 103 %)."""
    values = [a.snapshot.coverage_pct.amount for a in history]
    values += [a.snapshot.active_pct_of_population or 0 for a in history]
    values += [r.min_coverage_pct for r in dataset.rules] + [t.pct for t in dataset.targets]
    return max([100.0, *values])


def keep_step_labels_apart(
    step_labels: list[dict], values: list[dict], gaps: list[dict], side: str, frame: Frame
) -> None:
    """Move each threshold's label sideways, along its own step if it can, off the latest
    value's label, the gap's label, the latest point and the thresholds' labels before it (one
    figure in 2025 put 'ambang 95 %', '98 %' and '102,78 %' on the same pixels)."""
    fixed: list[Box] = []
    points: list[Box] = []
    sign = 1 if side == "kanan" else -1
    for label in values:  # bold 13 px, 8 px beside the point, its top 3 px under it
        x, y = frame.x(label["tanggal"]), frame.y(label["nilai"])
        width = text_width(label["teks"], 13, bold=True)
        left = x + 8 if sign > 0 else x - 8 - width
        fixed.append(Box(left, left + width, y + 3, y + 18))
        points.append(Box(x - 6, x + 6, y - 6, y + 6))  # the latest point
    for label in gaps:  # bold 12 px: beside the point halfway up, or under the value label
        x, y = frame.x(label["tanggal"]), frame.y(label["nilai"])
        width = text_width(label["teks"], 12, bold=True)
        if sign > 0:
            fixed.append(Box(x + 6, x + 6 + width, y - 7, y + 7))
        else:
            fixed.append(Box(x - 8 - width, x - 8, y + 22, y + 36))
    for index, label in enumerate(step_labels):  # 12 px, 2 px right of its step, 3 px above
        x, y = frame.x(label["tanggal"]), frame.y(label["nilai"])
        ends = (
            frame.x(step_labels[index + 1]["tanggal"])
            if index + 1 < len(step_labels)
            else REGION_WIDTH
        )
        # the words, else the threshold alone ('95 %'), else that over the point rather than
        # over a label, else no label: the dashed line, its tooltip and the legend still say
        # what it is
        words, bare = label["teks"], label.pop("polos")
        for text, avoid in ((words, fixed + points), (bare, fixed + points), (bare, fixed)):
            box = Box(x + 2, x + 2 + text_width(text, 12), y - 17, y - 2)
            dx = free_place(box, avoid, REGION_WIDTH, (x + 2, ends))
            if dx is not None:
                break
        else:
            text, dx = "", 0.0
        label["teks"] = text
        if dx:
            label["tanggal"] = frame.day(x + dx)
        if text:
            fixed.append(box.moved(dx))


def place_labels(markers: list[dict], where: Callable[[dt.date], float]) -> None:
    """Stack marker labels in rows so that two labels close in time do not overlap.

    A label is written to the right of its line, or to the left near the right edge; its
    width is estimated at 7 px a character (12 px text). At most MARKER_ROWS rows.
    """
    row_ends: list[float] = []  # right end of the last label in each row, in px
    for marker in sorted(markers, key=lambda m: (m["tanggal"], m["teks"])):
        x = where(dt.date.fromisoformat(marker["tanggal"])) * REGION_WIDTH
        width = 7 * len(marker["teks"]) + 6
        right = x + width <= REGION_WIDTH
        left_end, right_end = (x, x + width) if right else (x - width, x)
        for row, end in enumerate(row_ends):
            if left_end > end + 4:
                row_ends[row] = right_end
                marker["baris"] = row
                break
        else:
            marker["baris"] = len(row_ends)
            row_ends.append(right_end)
        if marker["baris"] >= MARKER_ROWS:  # too crowded: the line stays, the label goes
            marker["baris"], marker["teks"] = MARKER_ROWS - 1, ""
        marker["y"] = HEIGHT - 6 - 13 * marker["baris"]
        marker["rata"] = "left" if right else "right"
    markers.sort(key=lambda m: (m["tanggal"], m["teks"]))
