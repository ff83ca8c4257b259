"""The charts' look: Okabe–Ito colours, status symbols, font and the plot's size."""

# Okabe–Ito: told apart with every common colour-vision deficiency, and never alone: status is
# also a word or a shape, series are also a dash pattern or a symbol.
BLUE, ORANGE, GREEN, PURPLE = "#0072B2", "#E69F00", "#009E73", "#CC79A7"
VERMILION, GREY, INK, FAINT = "#D55E00", "#6F6F6F", "#1d1d1b", "#9A9A9A"
# Words drawn in a series' colour: the same hue, darkened (HLS lightness, saturation kept) until
# it reads at 4.6:1 or more on white, above WCAG AA's 4.5:1 for text; lines and symbols keep the
# brighter colour, which needs 3:1 as a graphic. White words on a bar need its colour at 4.5:1 too.
TEXT_COLOUR = {
    ORANGE: "#9C6C00",
    GREEN: "#008460",
    PURPLE: "#BB4D8A",
    VERMILION: "#BE5400",
    FAINT: "#757575",
}


def text_colour(colour: str) -> str:
    """The colour to write words in where a series or status is drawn in `colour`."""
    return TEXT_COLOUR.get(colour, colour)


STATUS_STYLE = {  # css class → (colour, symbol shape); shapes as on the page's badges
    "meets": (BLUE, "circle"),
    "below": (VERMILION, "triangle-down"),
    "unknown": (GREY, "square"),
}
THRESHOLD_DASH = [6, 3]
HALO = {"stroke": "#ffffff", "strokeWidth": 4, "strokeOpacity": 0.9}  # text drawn over lines
FONT = "Liberation Sans, Arial, sans-serif"  # metric twin of Arial; a long list renders slower
WIDTH = 300  # plot width: with padding about 317 px; on a phone charts span the screen (360 px)
REGION_WIDTH = 286  # the region chart's plot: with its y axis about 354 px, drawn 1:1 or larger
HEIGHT = 210
Y_TICKS = [0, 20, 40, 60, 80, 100]
NAMES_PER_LINE = 44
MARKER_ROWS = 3  # characters of the "no data" list per line at 11 px within WIDTH
