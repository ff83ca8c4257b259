"""Indonesian formats through Babel, and Markdown sanitising."""

from __future__ import annotations

import markdown
import pytest
from uhc_portal.filters import angka, persen, tanggal
from uhc_portal.markup import markdown_html, render_markdown
from uhc_portal.model import PartialDate, Value

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (311536, "311.536"),
        (376386, "376.386"),
        (5, "5"),
        (None, "–"),
        (Value(226720, "derived", True), f"≈{NBSP}226.720"),
    ],
)
def test_angka(value, text):
    assert angka(value) == text


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (82.77, 2, f"82,77{NBSP}%"),
        (70, 0, f"70{NBSP}%"),
        (101.8, 2, f"101,80{NBSP}%"),
    ],
)
def test_persen(value, decimals, text):
    assert persen(value, decimals) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (PartialDate(2020, 9, 30), "30 September 2020"),
        (PartialDate(2020, 9), "September 2020"),
        (PartialDate(2024), "2024"),
        (PartialDate(2018, 7, 16), "16 Juli 2018"),
    ],
)
def test_tanggal(value, text):
    assert tanggal(value) == text


def test_markdown_keeps_emphasis_and_drops_script():
    html = render_markdown("**tebal** <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>tebal</strong>" in html
    assert "<script" not in html and "javascript:" not in html


def test_markdown_parser_reused_after_a_failed_conversion_renders_as_a_fresh_one():
    texts = ["- satu\n\n- dua\n\n  lanjut", "1. " * 1600, "> kutip\n\n- a\n    - b", "*a* **b**"]
    for text in texts:
        try:
            html = markdown_html(text)
        except RecursionError:
            continue
        assert html == markdown.markdown(text, output_format="html")
