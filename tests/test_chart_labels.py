"""Chart labels never draw over each other (issue 22, item 7): the scatter's 95 % and 98 %
threshold labels, a lone figure's threshold labels ('ambang 95 %' and '98 %' when the 98 % rule
starts just after the chart does) and the national chart's value label beside the '98 %' label.

The rendered SVG is read back: each label's box from its position, anchor and font size, with
Liberation Sans' widest digits (0.6 em a character) so that the estimate errs on the wide side.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from conftest import SITE_DATA, TODAY
from support import rendered, snapshot, with_history
from uhc_portal import charts, render
from uhc_portal.dataset import load_dataset
from uhc_portal.status import assess
from uhc_portal.views import build_site

SVG = "{http://www.w3.org/2000/svg}"
TRANSLATE = re.compile(r"translate\(([-\d.]+),([-\d.]+)\)")


@dataclass(frozen=True)
class Box:
    text: str
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


LEGEND = re.compile(r"concat_[1-9]")  # the region chart's legend: a plot of its own below


def label_boxes(svg: str) -> list[Box]:
    """The boxes of the plot's text marks (not the axes, titles or legend), in its pixels."""
    boxes = []
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        kind = group.get("class", "")
        if "mark-text role-mark" not in kind or LEGEND.search(kind):
            continue
        for text in group.iter(f"{SVG}text"):
            words = " ".join("".join(text.itertext()).split())  # no-break spaces as spaces
            place = TRANSLATE.search(text.get("transform", ""))
            if not words or not place:
                continue
            x, y = (float(n) for n in place.groups())
            size = float(text.get("font-size", "12px").rstrip("px"))
            width = 0.6 * size * len(words)
            left = {"end": x - width, "middle": x - width / 2}.get(text.get("text-anchor"), x)
            boxes.append(Box(words, left, left + width, y - 0.8 * size, y + 0.2 * size))
    return boxes


def assert_apart(boxes: list[Box], *texts: str) -> None:
    wanted = [b for b in boxes if any(t in b.text for t in texts)]
    assert len(wanted) >= len(texts), (texts, boxes)
    for a, b in itertools.combinations(wanted, 2):
        assert not a.overlaps(b), (a, b)


@pytest.fixture(scope="module")
def site():
    return build_site(load_dataset(SITE_DATA, TODAY))


@pytest.fixture(scope="module")
def renderer():
    return render.Renderer(None)


def test_the_scatter_s_threshold_labels_do_not_overlap(site, renderer):
    data = charts.distribution_data(site)
    assert {line["teks"] for line in data.datasets["ambang"]} >= {"95\xa0%", "98\xa0%"}
    assert_apart(label_boxes(rendered(renderer, data)), "95 %", "98 %")


def test_a_lone_figure_s_threshold_labels_do_not_overlap(site, renderer):
    """One figure in early 2025: the chart starts weeks before the 98 % rule (1 Jan 2025), so
    both rules' labels started at its left edge, one over the other (Kab. Langkat). The 95 %
    step, narrower than its label, keeps its line and loses its label."""
    page = with_history(site, "73.14", [snapshot("73.14", 2025, 3, 95.7)])
    data = charts.region_data(page, site.dataset)
    assert 95 in {s["nilai"] for s in data.datasets["ambang"]}  # the step is drawn
    assert [label["teks"] for label in data.datasets["ambang_label"]] == ["ambang 98\xa0%"]
    assert_apart(label_boxes(rendered(renderer, data)), "ambang 98 %", "95,70 %", "poin lagi")


@pytest.mark.parametrize(("month", "pct"), [(9, 102.78), (6, 95.7), (12, 93.2)])
def test_a_lone_2023_figure_s_labels_do_not_overlap(site, renderer, month, pct):
    """One figure in 2023: the 95 % label, the value and the gap (Kab. Pasaman's 102,78 %
    drew over 'ambang 95 %'; Kab. Kebumen's gap label over its value)."""
    page = with_history(site, "73.14", [snapshot("73.14", 2023, month, pct)])
    data = charts.region_data(page, site.dataset)
    boxes = label_boxes(rendered(renderer, data))
    assert_apart(boxes, "ambang 95 %", "98 %", f"{pct:.2f}".replace(".", ",") + " %")
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)


def test_the_national_value_label_does_not_overlap_the_98_label(site, renderer):
    """Indonesia's series ending at 98,62 % a little after the 98 % rule began."""
    figures = [
        snapshot("ID", 2017, 12, 66.6),
        snapshot("ID", 2020, 12, 83.8),
        snapshot("ID", 2023, 3, 90.9),
        snapshot("ID", 2024, 1, 95.9),
        snapshot("ID", 2024, 7, 97.5),
        snapshot("ID", 2025, 12, 98.62),
    ]
    history = [assess(s, site.dataset.rules) for s in figures]
    page = dataclasses.replace(site.national, history=history)
    data = charts.national_data(page, site.dataset)
    assert_apart(label_boxes(rendered(renderer, data)), "98,62 %", "98 %")
