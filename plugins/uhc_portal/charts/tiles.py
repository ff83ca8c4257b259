"""Home: the country at a glance, one square per province placed roughly where it lies
(data/regions/tiles.csv), coloured and labelled by the share of its regencies at UHC."""

from __future__ import annotations

from typing import Any

from ..filters import angka
from ..i18n import N_, _
from ..model import TILE_COLUMNS, TILE_ROWS
from ..views import ProvinceTally, Site
from .altair_later import alt
from .common import ChartData, legend_chart, legend_row, titled
from .theme import GREY, INK

TILE, GAP = 60, 4  # px: a tile holds "Gorontalo" and "12/24" at 12 px, drawn at its own size
PITCH = TILE + GAP
NO_DATA_DASH = [4, 3]
OLD_MARK = "*"  # after a tile's count: some of its regencies' newest figures are old
# Share of a province's regencies at UHC → fill and text colour (contrast ≥ 4.5:1 each). The
# count is written on every tile and no-data tiles have a dashed edge: never colour alone.
BANDS: dict[str, tuple[str, str]] = {
    "nodata": ("#f3f1ec", INK),
    "none": ("#e3eef8", INK),
    "some": ("#a6c8e6", INK),
    "most": ("#4f8fc7", INK),
    "all": ("#0b4f8a", "#ffffff"),
}

BAND_WORDS = {
    "nodata": N_("belum ada angka (tepi putus-putus)"),
    "none": N_("punya angka, belum ada yang UHC"),
    "some": N_("kurang dari separuh sudah UHC"),
    "most": N_("separuh atau lebih sudah UHC"),
    "all": N_("semua sudah UHC"),
}


def band(tally: ProvinceTally) -> str:
    if not tally.with_data:
        return "nodata"
    if tally.meets == 0:
        return "none"
    if tally.meets == tally.regions:
        return "all"
    return "some" if tally.meets * 2 < tally.regions else "most"


def tile_row(tally: ProvinceTally, locale: str) -> dict[str, Any]:
    assert tally.tile is not None
    fill, ink = BANDS[band(tally)]
    x, y = tally.tile.col * PITCH, tally.tile.row * PITCH
    count = f"{angka(tally.meets, locale)}/{angka(tally.regions, locale)}"
    mark = OLD_MARK if tally.old else ""  # in words beside the map: never colour alone
    return {
        "x": x,
        "x2": x + TILE,
        "y": y,
        "y2": y + TILE,
        "tengah_x": x + TILE / 2,
        "tengah_y": y + TILE / 2,
        "label": tally.tile.label,
        "jumlah": count + mark,
        "isi": fill,
        "tinta": ink,
        "garis": NO_DATA_DASH if band(tally) == "nodata" else [1, 0],
        "tanpa_angka": band(tally) == "nodata",
        "Provinsi": tally.name,
        "Sudah UHC": count,
        "Punya angka": angka(tally.with_data, locale),
        "Angka lama": angka(tally.old, locale),
    }


def tile_data(site: Site, locale: str = "id") -> ChartData | None:
    tallies = [t for t in site.province_tallies if t.tile is not None]
    if not any(t.with_data for t in tallies):  # no figure anywhere: the page says so instead
        return None
    legend = [
        legend_row(order, _(words), GREY, "point", shape="square", fill=BANDS[key][0])
        for order, (key, words) in enumerate(BAND_WORDS.items())
    ]
    return ChartData(
        kind="peta",
        name="grafik-peta",
        folder="",
        heading=_("Peta provinsi: kabupaten/kota yang sudah UHC"),
        subheading=[
            _("Satu petak satu provinsi, kira-kira di tempatnya;"),
            _("angka: sudah UHC / semua kabupaten/kota"),
            *([_("*: sebagian angka lama (lihat tabel)")] if any(t.old for t in tallies) else []),
        ],
        title=_("Peta petak %(n)s provinsi menurut bagian kabupaten/kota yang sudah UHC")
        % {"n": angka(len(tallies), locale)},
        description=tile_description(tallies, locale),
        datasets={"petak": [tile_row(t, locale) for t in tallies], "legenda": legend},
    )


def tile_description(tallies: list[ProvinceTally], locale: str) -> str:
    with_data = [t for t in tallies if t.with_data]
    text = _(
        "Setiap petak satu provinsi, kira-kira di tempatnya, dengan jumlah kabupaten/kota yang "
        "sudah UHC dari semuanya. %(d)s dari %(n)s provinsi punya angka"
    ) % {"d": angka(len(with_data), locale), "n": angka(len(tallies), locale)}
    if with_data:
        text += ": " + "; ".join(
            _("%(p)s %(m)s/%(r)s sudah UHC (%(w)s punya angka)")
            % {
                "p": t.name,
                "m": angka(t.meets, locale),
                "r": angka(t.regions, locale),
                "w": angka(t.with_data, locale),
            }
            + (_(", %(o)s di antaranya angka lama") % {"o": angka(t.old, locale)} if t.old else "")
            for t in with_data
        )
    return text + ". " + _("Angka setiap provinsi ada di tabel di bawah peta.")


def tile_chart(site: Site, locale: str = "id") -> alt.VConcatChart | None:
    data = tile_data(site, locale)
    return None if data is None else tile_layout(data)


def tile_layout(data: ChartData) -> alt.VConcatChart:
    tiles = alt.Chart(alt.NamedData("petak"))
    tooltip = ["Provinsi:N", "Sudah UHC:N", "Punya angka:N", "Angka lama:N"]

    def px(field: str) -> dict[str, Any]:
        return {"field": field, "type": "quantitative", "scale": None}

    # Two layers, not a strokeDash field: Vega draws no dash from a field of arrays on a rect.
    edge = {"stroke": GREY, "strokeWidth": 1}
    encoding = {
        "x": px("x"),
        "x2": alt.X2("x2"),
        "y": px("y"),
        "y2": alt.Y2("y2"),
        "fill": alt.Fill("isi:N", scale=None),
        "tooltip": tooltip,
    }
    squares = alt.layer(
        tiles.transform_filter("!datum.tanpa_angka").mark_rect(**edge).encode(**encoding),
        tiles.transform_filter("datum.tanpa_angka")
        .mark_rect(strokeDash=NO_DATA_DASH, **edge)
        .encode(**encoding),
    )
    words = {"align": "center", "fontSize": 12, "baseline": "middle"}
    label = tiles.mark_text(dy=-8, **words).encode(
        x=px("tengah_x"), y=px("tengah_y"), text="label:N", color=alt.Color("tinta:N", scale=None)
    )
    count = tiles.mark_text(dy=9, fontWeight="bold", **words).encode(
        x=px("tengah_x"), y=px("tengah_y"), text="jumlah:N", color=alt.Color("tinta:N", scale=None)
    )
    grid = alt.layer(squares, label, count).properties(
        width=TILE_COLUMNS * PITCH - GAP, height=TILE_ROWS * PITCH - GAP
    )
    return titled(alt.vconcat(grid, legend_chart(), spacing=14), data)
