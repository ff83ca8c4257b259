"""Home: how many regions met the rule in force, year by year."""

from __future__ import annotations

from ..filters import angka
from ..i18n import _
from ..views import Site
from .altair_later import alt
from .common import ChartData, legend_chart, legend_row, titled
from .theme import BLUE, GREY, INK, WIDTH


def yearly_data(site: Site, locale: str = "id") -> ChartData | None:
    """Per year: regions with a figure that year, and how many of them met the rule in force."""
    by_year = site.verdicts_by_year
    if not by_year:
        return None
    years = range(min(by_year), max(by_year) + 1)
    bars = []
    for year in years:
        figures = by_year.get(year, {})
        met = sum(1 for verdict in figures.values() if verdict == "meets")
        # few figures: say which region a bar is (a lone bar is one regency, not a count)
        names = [site.regions[c].name for c in sorted(figures) if c in site.regions]
        bars.append(
            {
                "tahun": str(year),
                "ada": len(figures),
                "memenuhi": met,
                "teks": f"{angka(met, locale)}/{angka(len(figures), locale)}" if figures else "–",
                "nama": names[0].replace("Kabupaten ", "Kab. ") if len(names) == 1 else "",
                "Tahun": str(year),
                "Wilayah": ", ".join(names[:5]) + (" …" if len(names) > 5 else ""),
                "Punya angka": angka(len(figures), locale),
                "Memenuhi aturan": angka(met, locale),
            }
        )
    legend = [
        legend_row(
            0,
            _("Kabupaten/kota dengan angka pada tahun itu"),
            GREY,
            "point",
            shape="square",
            fill="#e9e6df",
        ),
        legend_row(1, _("…yang memenuhi aturan UHC saat itu"), BLUE, "point", shape="square"),
    ]
    sentences = "; ".join(
        _("%(y)s: %(m)s dari %(n)s")
        % {"y": b["tahun"], "m": angka(b["memenuhi"], locale), "n": angka(b["ada"], locale)}
        for b in bars
        if b["ada"]
    )
    return ChartData(
        kind="tahunan",
        name="grafik-per-tahun",
        folder="",
        heading=_("Memenuhi aturan UHC, per tahun"),
        subheading=_("Angka terakhir tiap wilayah dalam tahun itu"),
        title=_("Grafik jumlah kabupaten/kota yang memenuhi aturan UHC per tahun"),
        description=_(
            "Kabupaten/kota yang memenuhi aturan UHC yang berlaku, dari yang punya "
            "angka pada tahun itu: %(s)s."
        )
        % {"s": sentences},
        datasets={"tahun": bars, "legenda": legend},
    )


def yearly_chart(site: Site, locale: str = "id") -> alt.VConcatChart | None:
    data = yearly_data(site, locale)
    return None if data is None else yearly_layout(data)


def yearly_layout(data: ChartData) -> alt.VConcatChart:
    base = alt.Chart(alt.NamedData("tahun"))
    x = alt.X("tahun:O", title=None, axis=alt.Axis(labelAngle=0, labelOverlap="greedy"))
    tooltip = ["Tahun:N", "Punya angka:N", "Memenuhi aturan:N", "Wilayah:N"]
    # a y-axis of whole regions: with few figures a bar of 1 must not look like a share
    count = alt.Axis(
        format="d", tickMinStep=1, grid=True, labelExpr="datum.value % 1 ? '' : datum.label"
    )
    limit = 72  # px: a name longer than a bar's slot ends in "…" (the tooltip has it whole)
    bars = alt.layer(
        base.mark_bar(color="#e9e6df", stroke=GREY, strokeWidth=1, width={"band": 0.8}).encode(
            x=x, y=alt.Y("ada:Q", title=_("kabupaten/kota"), axis=count), tooltip=tooltip
        ),
        base.mark_bar(color=BLUE, width={"band": 0.4}).encode(x=x, y="memenuhi:Q", tooltip=tooltip),
        base.mark_text(baseline="bottom", dy=-3, fontSize=12, color=INK).encode(
            x=x, y="ada:Q", text="teks:N"
        ),
        base.mark_text(baseline="bottom", dy=-18, fontSize=12, color=INK, limit=limit).encode(
            x=x, y="ada:Q", text="nama:N"
        ),
    ).properties(width=WIDTH, height=170)
    return titled(alt.vconcat(bars, legend_chart(), spacing=12), data)
