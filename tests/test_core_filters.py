"""Indonesian formats through Babel, and Markdown sanitising."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st
from uhc_portal.filters import angka, persen, precision, tanggal
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
        (Value(226720, "derived", True, "", 225112, 228351), f"≈{NBSP}227 ribu"),
        (Value(2153, "derived", True, "", 2143, 2163), f"≈{NBSP}2.150"),
        (Value(1234567, "derived", True, "", 1200000, 1260000), f"≈{NBSP}1,23 juta"),
        (Value(40, "derived", True, "", 40, 40), f"≈{NBSP}40"),
    ],
)
def test_angka(value, text):
    assert angka(value) == text


@given(st.integers(0, 10**9), st.integers(0, 10**7))
def test_a_bounded_count_is_shown_within_half_its_range_of_its_middle(lower, width):
    """Rounded to the power of ten of its range's width: never more digits than the range
    allows, never further from the middle than half that power (so within the range's reach)."""
    value = Value(lower + width // 2, "derived", True, "", lower, lower + width)
    shown = angka(value)
    assert shown.startswith(f"≈{NBSP}")
    power = 10 ** precision(lower, lower + width)
    assert power <= max(width, 1)
    assert abs(shown_amount(shown) - (2 * lower + width) / 2) <= power / 2 + 0.5


def shown_amount(text: str) -> float:
    words = text.removeprefix(f"≈{NBSP}").split()
    number = float(words[0].replace(".", "").replace(",", "."))
    return number * {"ribu": 1e3, "juta": 1e6}.get(words[-1], 1)


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
