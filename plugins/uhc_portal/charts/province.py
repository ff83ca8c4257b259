"""Province: its regions' latest coverage, sorted, with the threshold of each figure."""

from __future__ import annotations

from .. import urls
from ..filters import angka
from ..i18n import _
from ..model import Dataset
from ..views import RegionPage, status_words
from .altair_later import alt
from .common import ChartData, legend_chart, legend_row, pct_text, short_date, tanggal, titled, wrap
from .theme import INK, STATUS_STYLE, WIDTH, Y_TICKS, text_colour


def province_data(page: RegionPage, dataset: Dataset, locale: str = "id") -> ChartData | None:
    rows = [r for r in page.regions if r.latest and r.latest.snapshot.coverage_pct.known]
    if not rows:
        return None
    rows.sort(key=lambda r: (-(r.latest.snapshot.coverage_pct.amount or 0), r.code))
    bars = []
    for order, row in enumerate(rows):
        a = row.latest
        words, css = status_words(a)
        colour = STATUS_STYLE.get(css, STATUS_STYLE["unknown"])[0]
        pct = a.snapshot.coverage_pct.amount
        text = f"{pct_text(a, locale)} · {words}"
        bars.append(
            {
                "urutan": order,
                "nilai": pct,
                "warna": text_colour(colour),  # white words inside the bar
                "nama": f"{row.name} ({short_date(a.snapshot.as_of, locale)})",
                "ambang": a.rule.min_coverage_pct if a.rule else None,
                # the label goes inside the bar when it fits (7 px a character at 12 px bold)
                "teks": text,
                "dalam": pct / 100 * WIDTH >= 7 * len(text) + 12,
                "Wilayah": row.name,
                "Cakupan": pct_text(a, locale),
                "Per": tanggal(a.snapshot.as_of, locale),
                "Status": words,
            }
        )
    missing = [r.name for r in page.regions_without_data]
    if missing:
        lines = wrap(
            _("Belum ada angka (%(n)s): %(r)s.")
            % {"n": angka(len(missing), locale), "r": ", ".join(missing)}
        )
    else:
        lines = [_("Semua kabupaten/kota di provinsi ini punya angka.")]
    legend = [legend_row(0, _("Ambang UHC pada tanggal angka"), INK, "rule")]
    return ChartData(
        kind="provinsi",
        name=f"grafik-{page.code}",
        folder=urls.chart_folder(page.code),
        heading=_("Cakupan JKN di %(p)s") % {"p": page.name},
        subheading=_("Angka terbaru tiap kabupaten/kota, diurutkan"),
        title=_("Grafik cakupan JKN terbaru kabupaten/kota di %(p)s") % {"p": page.name},
        description=province_description(page, rows, missing, locale),
        datasets={
            "batang": bars,
            "belum": [{"baris": i, "teks": t} for i, t in enumerate(lines)],
            "legenda": legend,
        },
    )


def province_description(page: RegionPage, rows: list, missing: list[str], locale: str) -> str:
    parts = [
        _("%(n)s dari %(t)s kabupaten/kota di %(p)s punya angka cakupan")
        % {"n": angka(len(rows), locale), "t": angka(len(page.regions), locale), "p": page.name}
    ]
    figures = [
        _("%(r)s %(c)s per %(d)s (%(s)s)")
        % {
            "r": row.name,
            "c": pct_text(row.latest, locale),
            "d": tanggal(row.latest.snapshot.as_of, locale),
            "s": status_words(row.latest)[0],
        }
        for row in rows
    ]
    text = "; ".join(parts) + ": " + "; ".join(figures) + "."
    if missing:
        text += " " + _("Belum ada angka: %(r)s.") % {"r": ", ".join(missing)}
    return text


def province_chart(
    page: RegionPage, dataset: Dataset, locale: str = "id"
) -> alt.VConcatChart | None:
    data = province_data(page, dataset, locale)
    return None if data is None else province_layout(data)


def province_layout(data: ChartData) -> alt.VConcatChart:
    base = alt.Chart(alt.NamedData("batang"))
    y = alt.Y("urutan:O", axis=None, title=None, scale=alt.Scale(paddingInner=0, paddingOuter=0))
    x = alt.X(
        "nilai:Q",
        title=_("% penduduk"),
        scale=alt.Scale(domain={"unionWith": [0, 100]}, nice=False),
        axis=alt.Axis(values=Y_TICKS, format="d", gridColor="#eeeeee", orient="top"),
    )
    tooltip = ["Wilayah:N", "Cakupan:N", "Per:N", "Status:N"]
    bars = alt.layer(
        base.mark_bar(height=16, yOffset=7).encode(
            x=x, y=y, color=alt.Color("warna:N", scale=None), tooltip=tooltip
        ),
        base.mark_text(
            align="left", baseline="bottom", dy=-1, fontSize=12, fontWeight="bold", color=INK
        ).encode(x=alt.value(0), y=y, text="nama:N"),
        base.mark_tick(orient="vertical", thickness=2.5, size=22, color=INK, yOffset=7)
        .encode(x="ambang:Q", y=y)
        .transform_filter("datum.ambang != null"),
        base.transform_filter("datum.dalam")
        .mark_text(align="right", dx=-4, dy=7, fontSize=12, color="#ffffff", fontWeight="bold")
        .encode(x=x, y=y, text="teks:N"),
        base.transform_filter("!datum.dalam")
        .mark_text(align="left", dx=4, dy=7, fontSize=12, color=INK)
        .encode(x=x, y=y, text="teks:N"),
    ).properties(width=WIDTH, height=alt.Step(44))
    missing = (
        alt.Chart(alt.NamedData("belum"))
        .mark_text(
            align="left",
            fontSize=12,
            color="#444444",
        )
        .encode(x=alt.value(0), y=alt.Y("baris:O", axis=None), text="teks:N")
        .properties(width=WIDTH, height=alt.Step(16), view=alt.ViewConfig(strokeWidth=0))
    )
    return titled(alt.vconcat(bars, legend_chart(), missing, spacing=10), data)
