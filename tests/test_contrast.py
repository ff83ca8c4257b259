"""Words in the charts read at WCAG AA contrast (4.5:1): measured on every colour a chart
writes text in, in the SVGs the real site publishes."""

from __future__ import annotations

import colorsys
import json
import xml.etree.ElementTree as ET

import pytest
from uhc_portal import charts

SVG = "{http://www.w3.org/2000/svg}"
WHITE = "#ffffff"
AA_TEXT = 4.5


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of '#rrggbb'."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def hue(colour: str) -> float:
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return colorsys.rgb_to_hls(*rgb)[0] * 360


def test_contrast_is_computed_as_wcag_says():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    # the Okabe–Ito colours measured too low for text on white
    assert contrast("#CC79A7", WHITE) == pytest.approx(3.06, abs=0.01)
    assert contrast("#009E73", WHITE) == pytest.approx(3.42, abs=0.01)
    assert contrast("#D55E00", WHITE) == pytest.approx(3.87, abs=0.01)


@pytest.mark.parametrize("colour", sorted(charts.TEXT_COLOUR))
def test_each_text_colour_reads_on_white_and_keeps_its_hue(colour):
    text = charts.text_colour(colour)
    assert contrast(text, WHITE) >= AA_TEXT, f"{text} for {colour}"
    assert contrast(colour, WHITE) < AA_TEXT, "only colours too light for text get a variant"
    assert abs(hue(text) - hue(colour)) < 3, f"{text} is still the hue of {colour}"
    assert luminance(text) < luminance(colour)


@pytest.mark.parametrize("css", ["meets", "below", "unknown"])
def test_status_words_read_in_and_on_their_colour(css):
    """Status words are written in the status colour (the distribution's rows) and in white on a
    bar of that colour (the province chart)."""
    text = charts.text_colour(charts.STATUS_STYLE[css][0])
    assert contrast(text, WHITE) >= AA_TEXT


def chart_texts(svg_file) -> list[tuple[str, str]]:
    """(fill colour, words) of every text the chart draws; fills inherited from groups."""
    found = []

    def walk(element, fill):
        fill = element.get("fill", fill)
        if element.tag == f"{SVG}text":
            words = "".join(element.itertext()).strip()
            if words:
                found.append((fill.lower(), words))
        for child in element:
            if child.tag not in (f"{SVG}title", f"{SVG}desc"):
                walk(child, fill)

    walk(ET.parse(svg_file).getroot(), "#000000")
    return found


def test_every_chart_text_reads_on_white(real_site):
    svgs = sorted(real_site.rglob("grafik-*.svg"))
    assert len(svgs) >= 8, "home, province and region charts"
    texts = {svg.relative_to(real_site).as_posix(): chart_texts(svg) for svg in svgs}
    colours = {fill for found in texts.values() for fill, _ in found}
    assert {charts.text_colour(charts.VERMILION).lower(), WHITE} <= colours, colours
    low = {
        name: [(fill, words, round(contrast(fill, WHITE), 2)) for fill, words in found]
        for name, found in texts.items()
    }
    low = {
        name: [t for t in found if t[0] != WHITE and t[2] < AA_TEXT] for name, found in low.items()
    }
    assert {name: found for name, found in low.items() if found} == {}


def test_white_words_sit_only_on_bars_dark_enough(real_site):
    """The province chart writes the figure in white inside its bar when it fits."""
    spec_files = sorted((real_site / "wilayah").glob("*/grafik-??.json"))
    inside = [
        bar
        for spec in spec_files
        for bar in json.loads(spec.read_text(encoding="utf-8"))["datasets"]["batang"]
        if bar["dalam"]
    ]
    assert inside, "some province chart writes inside a bar"
    assert all(contrast(WHITE, bar["warna"]) >= AA_TEXT for bar in inside), inside


def test_status_is_never_colour_alone(real_site):
    """Wherever a status is coloured (badges, status boxes, chart marks), its words are there."""
    from conftest import soup

    pages = [real_site / "index.html", *sorted((real_site / "wilayah").glob("*/index.html"))]
    coloured = 0
    for page in pages:
        for node in soup(page).select("[class*='badge-'], [class*='status-']"):
            coloured += 1
            shown = [t for t in node.find_all(string=True) if not t.find_parent(class_="mark")]
            words = " ".join("".join(shown).split())
            assert len(words) >= 5, f"{page}: {node} shows its status by colour only"
    assert coloured > 500, "every region page has a status box"
    chart_words = {
        svg.name: " ".join(words for _, words in chart_texts(svg))
        for svg in [
            real_site / "grafik-sebaran.svg",
            *(real_site / "wilayah").glob("*/grafik-??.svg"),
        ]
    }
    for name, words in chart_words.items():
        assert "UHC" in words, f"{name}: statuses are named in the chart, not only coloured"
