"""Charts as Vega-Lite specs: page objects → chart data → one Altair chart per kind. No I/O here.

Every chart is drawn from *named datasets* only, so the spec of one kind has the same structure
for every region and only its `datasets`, title and subtitle change. `spec()` builds that
structure once per kind with Altair (which validates it against the Vega-Lite schema) and then
fills in the data: the build never pays Altair's validation 514 times.

Numbers printed inside a chart are formatted in Python with the same filters as the page
(`angka`, `persen`, `tanggal`), so a chart and the page beside it print the same digits; the
axes get Indonesian number and date formats from the d3 locales built from Babel (`locales`).

One module per chart kind (`region`, `province`, `distribution`, `by_year`, `tiles`), each with
`<kind>_data` (what it shows), `<kind>_layout` (the Altair chart) and `<kind>_chart` (both);
the region chart's layout has a module of its own (`region_layers`). A new kind registers its
layout in `templates.LAYOUTS`.
"""

from .by_year import yearly_chart, yearly_data, yearly_layout
from .common import ChartData
from .distribution import distribution_chart, distribution_data, distribution_layout
from .locales import format_locale, ldml_to_d3, time_format_locale
from .province import province_chart, province_data, province_layout
from .region import region_chart, region_data
from .region_layers import region_layout
from .series import NATIONAL_CHART, national_data, province_series_data
from .templates import LAYOUTS, build_chart, spec
from .theme import (
    BLUE,
    FAINT,
    FONT,
    GREEN,
    GREY,
    HEIGHT,
    INK,
    ORANGE,
    PURPLE,
    REGION_WIDTH,
    STATUS_STYLE,
    TEXT_COLOUR,
    VERMILION,
    WIDTH,
    text_colour,
)
from .tiles import tile_chart, tile_data, tile_layout

__all__ = [
    "BLUE",
    "FAINT",
    "FONT",
    "GREEN",
    "GREY",
    "HEIGHT",
    "INK",
    "LAYOUTS",
    "NATIONAL_CHART",
    "ORANGE",
    "PURPLE",
    "REGION_WIDTH",
    "STATUS_STYLE",
    "TEXT_COLOUR",
    "VERMILION",
    "WIDTH",
    "ChartData",
    "build_chart",
    "distribution_chart",
    "distribution_data",
    "distribution_layout",
    "format_locale",
    "ldml_to_d3",
    "national_data",
    "province_chart",
    "province_data",
    "province_layout",
    "province_series_data",
    "region_chart",
    "region_data",
    "region_layout",
    "spec",
    "text_colour",
    "tile_chart",
    "tile_data",
    "tile_layout",
    "time_format_locale",
    "yearly_chart",
    "yearly_data",
    "yearly_layout",
]
