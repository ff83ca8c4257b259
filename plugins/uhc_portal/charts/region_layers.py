"""The region chart's Vega-Lite layers: how the named datasets of `region.region_data` are
drawn (marks, encodings, the time axis), the same for every region."""

from __future__ import annotations

from ..i18n import _
from .altair_later import alt
from .common import ChartData, legend_chart, titled
from .theme import (
    BLUE,
    FAINT,
    HALO,
    HEIGHT,
    INK,
    ORANGE,
    PURPLE,
    REGION_WIDTH,
    THRESHOLD_DASH,
    VERMILION,
    Y_TICKS,
    text_colour,
)

# Every tick names its year (Vega's default names it only in January: "Oktober", "April"):
# "2023" on a year's first day, "Okt 2023" on a month's, "15 Okt 2023" otherwise; the month
# names are the locale's (charts/locales.py).
TIME_LABEL = (
    "utcmonth(datum.value) == 0 && utcdate(datum.value) == 1 ? utcFormat(datum.value, '%Y')"
    " : utcdate(datum.value) == 1 ? utcFormat(datum.value, '%b %Y')"
    " : utcFormat(datum.value, '%-d %b %Y')"
)


def region_layout(data: ChartData) -> alt.VConcatChart:
    x = alt.X(
        "tanggal:T",
        title=None,
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(
            tickCount=6,
            labelExpr=TIME_LABEL,
            labelOverlap="greedy",
            labelSeparation=6,
            grid=False,
        ),
    )
    y = alt.Y(
        "nilai:Q",
        title=_("% penduduk"),
        scale=alt.Scale(domain={"unionWith": [0, 100]}, nice=False),
        axis=alt.Axis(values=Y_TICKS, format="d", gridColor="#eeeeee"),
    )

    def layer(name: str) -> alt.Chart:
        return alt.Chart(alt.NamedData(name))

    markers = layer("penanda")
    gap_text = {"fontSize": 12, "fontWeight": "bold", "color": text_colour(VERMILION)}
    value_text = {"fontSize": 13, "fontWeight": "bold", "color": BLUE}
    point_look = {  # filled when printed, hollow when derived; size from the data's density
        "fill": alt.Fill("isi:N", scale=None),
        "size": alt.Size("ukuran:Q", scale=None),
        "strokeWidth": alt.StrokeWidth("tebal:Q", scale=None),
    }
    main = alt.layer(
        layer("target")
        .mark_line(color=FAINT, strokeDash=[1, 3], strokeWidth=1.5)
        .encode(x=x, y=y, tooltip=["Target:N"]),
        markers.mark_rule(strokeWidth=1.5).encode(
            x=x,
            color=alt.Color("warna:N", scale=None),
            strokeDash=alt.StrokeDash("garis:N", scale=None),
            tooltip=["Keterangan:N"],
        ),
        *[
            markers.mark_text(fontSize=12, dx=3 * sign, align=align, **paint)
            .encode(
                x=x,
                y=alt.Y("y:Q", scale=None),
                text="teks:N",
                color=alt.Color("warna_teks:N", scale=None),
            )
            .transform_filter(f"datum.rata == '{align}'")
            for paint in (HALO, {})
            for align, sign in (("left", 1), ("right", -1))
        ],
        layer("ambang")
        .mark_line(interpolate="step-after", color=INK, strokeWidth=2, strokeDash=THRESHOLD_DASH)
        .encode(x=x, y=y, detail="segmen:N", tooltip=["Aturan:N"]),
        *[
            layer("ambang_label")
            .mark_text(
                align="left", baseline="bottom", dx=2, dy=-3, fontSize=12, color=INK, **paint
            )
            .encode(x=x, y=y, text="teks:N")
            for paint in (HALO, {})
        ],
        layer("celah")
        .mark_rule(color=VERMILION, strokeWidth=2)
        .encode(x=x, y=y, y2="ke:Q")
        .transform_calculate(nilai="datum.dari"),
        *[
            layer(f"celah_{side}")
            .mark_text(align=align, **placed, **gap_text, **paint)
            .encode(x=x, y=y, text="teks:N")
            for paint in (HALO, {})
            for side, align, placed in (
                ("kanan", "left", {"dx": 6, "baseline": "middle"}),
                ("kiri", "right", {"dx": -8, "dy": 19, "baseline": "top"}),
            )
        ],
        layer("aktif").mark_line(color=ORANGE, strokeDash=[4, 2], strokeWidth=2).encode(x=x, y=y),
        layer("aktif")
        .mark_point(shape="square", color=ORANGE, opacity=1)
        .encode(x=x, y=y, tooltip=["Per:N", "Peserta aktif:N"], **point_look),
        layer("komitmen")
        .mark_point(shape="diamond", size=90, filled=True, color=PURPLE, opacity=1)
        .encode(x=x, y=y, tooltip=["Keterangan:N"]),
        layer("cakupan").mark_line(color=BLUE, strokeWidth=2.5).encode(x=x, y=y),
        layer("cakupan")
        .mark_point(shape="circle", color=BLUE, opacity=1)
        .encode(x=x, y=y, tooltip=["Per:N", "Cakupan:N", "Status:N"], **point_look),
        *[
            layer(f"nilai_{side}")
            .mark_text(align=align, baseline="top", dx=8 * sign, dy=3, **value_text, **paint)
            .encode(x=x, y=y, text="teks:N")
            for paint in (HALO, {})
            for side, align, sign in (("kanan", "left", 1), ("kiri", "right", -1))
        ],
    ).properties(width=REGION_WIDTH, height=HEIGHT)
    return titled(alt.vconcat(main, legend_chart(REGION_WIDTH), spacing=14), data)
