"""Home: how the latest coverage of all regions is spread, by status."""

from __future__ import annotations

from ..filters import angka
from ..i18n import _
from ..status import Assessment
from ..views import Site, status_words
from .altair_later import alt
from .common import ChartData, pct_text, persen, tanggal, threshold_text, titled
from .theme import INK, STATUS_STYLE, THRESHOLD_DASH, WIDTH, Y_TICKS, text_colour


def period_words(site: Site, locale: str) -> list[str]:
    """The dates the chart's figures span, and how many are old: a 2018 figure sits beside a
    2025 one here, so the chart says so."""
    period = site.period
    if period is None:
        return []
    words = [
        _("angka per %(a)s sampai %(b)s")
        % {"a": tanggal(period[0], locale), "b": tanggal(period[1], locale)}
    ]
    old = site.summary["old"]
    if old:  # a line of its own: one long line would widen the chart past a phone's width
        words.append(_("%(n)s di antaranya angka lama") % {"n": angka(old, locale)})
    return words


def distribution_data(site: Site, locale: str = "id") -> ChartData | None:
    latest = sorted(
        (a for a in site.latest_assessments if a.snapshot.coverage_pct.known),
        key=lambda a: a.snapshot.region_code,
    )
    if not latest:
        return None
    groups: dict[str, list[Assessment]] = {"meets": [], "below": [], "unknown": []}
    for a in latest:
        groups[status_words(a)[1]].append(a)
    dots, rows = [], []
    for css, members in groups.items():
        if not members and css == "unknown":
            continue
        colour, shape = STATUS_STYLE[css]
        words = (
            status_words(members[0])[0]
            if members
            else {"meets": _("Sudah UHC"), "below": _("Belum UHC")}[css]
        )
        rows.append(
            {
                "status": css,
                "teks": f"{words}: {angka(len(members), locale)}",
                "warna": text_colour(colour),
            }
        )
        for i, a in enumerate(members):
            s = a.snapshot
            dots.append(
                {
                    "status": css,
                    "nilai": s.coverage_pct.amount,
                    "warna": colour,
                    "bentuk": shape,
                    # deterministic spread within the row (golden-ratio sequence), not random()
                    "geser": round(((i * 0.6180339887) % 1) * 2 - 1, 4),
                    "Wilayah": site.region_name(s.region_code),
                    "Cakupan": pct_text(a, locale),
                    "Per": tanggal(s.as_of, locale),
                    "Status": status_words(a)[0],
                }
            )
    used = sorted({a.rule.min_coverage_pct for a in latest if a.rule})
    rules = {r.min_coverage_pct: r for r in site.dataset.rules if r.tier == "uhc"}
    lines = [
        {
            "nilai": pct,
            "teks": threshold_text(rules[pct], locale) if pct in rules else persen(pct, 0, locale),
            "rata": "right" if i < len(used) - 1 else "left",
        }
        for i, pct in enumerate(used)
    ]
    summary = site.summary
    return ChartData(
        kind="sebaran",
        name="grafik-sebaran",
        folder="",
        heading=_("Sebaran cakupan terbaru"),
        subheading=[
            _("%(n)s dari %(t)s kabupaten/kota punya persentase;")
            % {"n": angka(len(latest), locale), "t": angka(summary["regions"], locale)},
            _("satu titik satu wilayah"),
            *period_words(site, locale),
        ],
        title=_("Grafik sebaran cakupan JKN terbaru menurut status"),
        description=distribution_description(site, groups, used, locale),
        datasets={"titik": dots, "baris": rows, "ambang": lines},
    )


def distribution_description(
    site: Site, groups: dict[str, list[Assessment]], thresholds: list[float], locale: str
) -> str:
    summary = site.summary
    text = _(
        "%(n)s dari %(t)s kabupaten/kota punya angka cakupan: %(m)s sudah UHC, %(b)s belum UHC"
    ) % {
        "n": angka(summary["with_data"], locale),
        "t": angka(summary["regions"], locale),
        "m": angka(len(groups["meets"]), locale),
        "b": angka(len(groups["below"]), locale),
    }
    if groups["unknown"]:
        text += _(", %(u)s tidak dapat dinilai") % {"u": angka(len(groups["unknown"]), locale)}
    text += _("; %(x)s belum ada data.") % {
        "x": angka(summary["regions"] - summary["with_data"], locale)
    }
    values = sorted(a.snapshot.coverage_pct.amount for g in groups.values() for a in g)
    if values:
        text += " " + _("Cakupan terendah %(lo)s, tertinggi %(hi)s.") % {
            "lo": persen(values[0], 2, locale),
            "hi": persen(values[-1], 2, locale),
        }
    if thresholds:
        text += " " + _("Ambang UHC pada tanggal angka: %(t)s.") % {
            "t": ", ".join(persen(t, 0, locale) for t in thresholds)
        }
    return text


def distribution_chart(site: Site, locale: str = "id") -> alt.LayerChart | None:
    data = distribution_data(site, locale)
    return None if data is None else distribution_layout(data)


def distribution_layout(data: ChartData) -> alt.LayerChart:
    y = alt.Y(
        "status:N",
        axis=None,
        title=None,
        sort=["meets", "below", "unknown"],
        scale=alt.Scale(paddingInner=0, paddingOuter=0),
    )
    x = alt.X(
        "nilai:Q",
        title=_("% penduduk terdaftar JKN"),
        scale=alt.Scale(domain={"unionWith": [0, 100]}, nice=False),
        axis=alt.Axis(values=Y_TICKS, format="d", gridColor="#eeeeee"),
    )
    chart = alt.layer(
        alt.Chart(alt.NamedData("ambang"))
        .mark_rule(color=INK, strokeDash=THRESHOLD_DASH, strokeWidth=1.5)
        .encode(x=x),
        # 95 % and 98 % are 8 px apart: the lower threshold's label ends left of its line, the
        # higher one's starts right of it ("rata"), so the two never overlap
        *[
            alt.Chart(alt.NamedData("ambang"))
            .mark_text(align=align, baseline="bottom", dy=-2, dx=3 * sign, fontSize=12, color=INK)
            .encode(x=x, y=alt.value(0), text="teks:N")
            .transform_filter(f"datum.rata == '{align}'")
            for align, sign in (("right", -1), ("left", 1))
        ],
        alt.Chart(alt.NamedData("baris"))
        .mark_text(align="left", baseline="top", dy=-22, fontSize=12, fontWeight="bold")
        .encode(x=alt.value(0), y=y, text="teks:N", color=alt.Color("warna:N", scale=None)),
        alt.Chart(alt.NamedData("titik"))
        .mark_point(size=60, strokeWidth=1.5, opacity=0.85, filled=True)
        .encode(
            x=x,
            y=y,
            yOffset=alt.YOffset("geser:Q", scale=alt.Scale(domain=[-3, 1.3])),
            color=alt.Color("warna:N", scale=None),
            shape=alt.Shape("bentuk:N", scale=None),
            tooltip=["Wilayah:N", "Cakupan:N", "Per:N", "Status:N"],
        ),
    ).properties(width=WIDTH, height=alt.Step(62))
    return titled(chart, data)
