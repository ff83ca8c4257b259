"""The charts' look: Okabe–Ito colours, status symbols, font and the plot's size."""

# Okabe–Ito: told apart with every common colour-vision deficiency, and never alone: status is
# also a word or a shape, series are also a dash pattern or a symbol.
BLUE, ORANGE, GREEN, PURPLE = "#0072B2", "#E69F00", "#009E73", "#CC79A7"
VERMILION, GREY, INK, FAINT = "#D55E00", "#6F6F6F", "#1d1d1b", "#9A9A9A"
STATUS_STYLE = {  # css class → (colour, symbol shape); shapes as on the page's badges
    "meets": (BLUE, "circle"),
    "below": (VERMILION, "triangle-down"),
    "unknown": (GREY, "square"),
}
THRESHOLD_DASH = [6, 3]
HALO = {"stroke": "#ffffff", "strokeWidth": 4, "strokeOpacity": 0.9}  # text drawn over lines
FONT = "Liberation Sans, Arial, sans-serif"  # metric twin of Arial; a long list renders slower
WIDTH = 300  # plot width: with axes and padding about 360 px, legible on a phone as it is
HEIGHT = 210
Y_TICKS = [0, 20, 40, 60, 80, 100]
NAMES_PER_LINE = 44
MARKER_ROWS = 3  # characters of the "no data" list per line at 11 px within WIDTH
