"""Charts (issue 3): specs valid and stable, rendered SVG safe, accessible, Indonesian, cached.

Most tests work on the small test site (tests/site/data) loaded without Pelican; a few read the
built sites from conftest. Rendering goes through vl-convert in this process (it warms once).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import altair as alt
import jsonschema
import pytest
from altair.vegalite.v6.schema.core import load_schema
from conftest import SITE_DATA, TODAY, build, make_project, soup, text_of
from pagefind_files import is_unstable
from support import rendered, snapshot, tree, with_history
from uhc_portal import charts, render, safe_svg
from uhc_portal import renderer as vl_renderer
from uhc_portal.dataset import load_dataset
from uhc_portal.filters import angka
from uhc_portal.views import build_site

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"  # UPDATE_GOLDEN=1 pytest tests/test_charts.py
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def site():
    return build_site(load_dataset(SITE_DATA, TODAY))


@pytest.fixture(scope="module")
def renderer():
    return render.Renderer(None)  # memory only: every test renders for real


def all_chart_data(site) -> list[charts.ChartData]:
    """Every chart the site has, regions first."""
    made = [(group, d) for group, _, make in render.chart_makers(site) if (d := make())]
    return [d for order in ("regions", "provinces", "home") for group, d in made if group == order]


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


# ---------------------------------------------------------------------------------------------
# Specs


def test_every_chart_function_gives_a_spec_valid_against_the_vega_lite_schema(site):
    dataset = site.dataset
    made = [charts.region_chart(site.regions[code], dataset) for code in ("73.13", "73.71")]
    made += [
        charts.province_chart(site.provinces["73"], dataset),
        charts.distribution_chart(site),
        charts.yearly_chart(site),
    ]
    validator = jsonschema.Draft7Validator(load_schema())
    for chart in made:
        assert isinstance(chart, alt.TopLevelMixin)
        spec = chart.to_dict(validate=True)
        errors = sorted(validator.iter_errors(spec), key=str)
        assert not errors, errors[0].message


def test_filled_templates_equal_the_charts_built_directly(site):
    """The build fills a per-kind template; it must give exactly what Altair would."""
    for data in all_chart_data(site):
        filled = charts.spec(data)
        direct = charts.build_chart(data).to_dict()
        filled.pop("usermeta")
        assert filled == direct, data.name
        jsonschema.Draft7Validator(load_schema()).validate(charts.spec(data))


@pytest.mark.parametrize(
    "name",
    [
        "grafik-73.13",
        "grafik-73.71",
        "grafik-16.73",
        "grafik-73",
        "grafik-sebaran",
        "grafik-per-tahun",
    ],
)
def test_spec_matches_its_golden_file(site, name):
    data = {d.name: d for d in all_chart_data(site)}[name]
    text = json.dumps(charts.spec(data), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    golden = GOLDEN / f"{name}.vl.json"
    if UPDATE or not golden.exists():
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"wrote missing golden file {golden.name}; check it and commit it")
    assert text == golden.read_text(encoding="utf-8"), (
        f"{name} changed; if intended, run UPDATE_GOLDEN=1 pytest tests/test_charts.py"
    )


def test_region_chart_draws_threshold_steps_per_rule_and_the_latest_gap(site):
    data = charts.region_data(site.regions["73.13"], site.dataset)
    steps = data.datasets["ambang"]
    assert steps[0]["nilai"] == 95 and steps[-1]["nilai"] == 98
    assert {s["segmen"] for s in steps} == {0}, "one step line: the rules follow each other"
    rise = next(i for i, step in enumerate(steps) if step["nilai"] == 98)
    assert steps[rise]["tanggal"] == "2025-01-01", "98 % from 2025, as rules.yaml says"
    assert steps[rise - 1]["nilai"] == 95 and steps[rise - 1]["tanggal"] < "2025-01-01"
    latest = site.regions["73.13"].latest
    gap = data.datasets["celah"][0]
    assert (gap["dari"], gap["ke"]) == (97.5, 98)
    label = (data.datasets["celah_kanan"] + data.datasets["celah_kiri"])[0]["teks"]
    assert label == f"{angka(latest.people_needed)} jiwa lagi"
    kinds = {m["teks"].split()[0] for m in data.datasets["penanda"]}
    assert kinds == {"forum", "tenggat"}
    assert data.datasets["target"], "national targets as faint context"


def test_derived_points_are_hollow_and_active_participants_a_second_series(site):
    data = charts.region_data(site.regions["73.71"], site.dataset)
    assert data.datasets["aktif"], "Makassar prints active participants"
    assert data.datasets["aktif"][0]["nilai"] == pytest.approx(80.96)
    legend = [row["teks"] for row in data.datasets["legenda"]]
    assert "Peserta aktif (% penduduk)" in legend
    wajo = charts.region_data(site.regions["73.13"], site.dataset)
    points = {p["Per"]: p for p in wajo.datasets["cakupan"]}
    assert points["September 2020"]["isi"] == charts.BLUE  # printed: filled
    derived_pct = snapshot("73.13", 2021, 3, 90.0, 400000, 360000, origin="derived")
    page = with_history(site, "73.13", [derived_pct])
    derived = charts.region_data(page, site.dataset)
    assert derived.datasets["cakupan"][0]["isi"] == "#ffffff"  # derived: hollow
    assert "Cakupan JKN, dihitung portal" in [r["teks"] for r in derived.datasets["legenda"]]


def test_region_with_one_snapshot_gets_a_chart_and_without_figures_none(site):
    one = with_history(site, "73.13", [snapshot("73.13", 2020, 9, 82.77, 376386, 311536)])
    data = charts.region_data(one, site.dataset)
    assert data is not None and len(data.datasets["cakupan"]) == 1
    start = min(s["tanggal"] for s in data.datasets["ambang"])
    end = max(s["tanggal"] for s in data.datasets["ambang"])
    assert start < "2020-09-30" < end, "a single point still sits inside a span of time"
    assert charts.region_chart(with_history(site, "73.13", []), site.dataset) is None
    no_pct = with_history(site, "73.13", [snapshot("73.13", 2020, 9, None, None, 311536)])
    assert charts.region_data(no_pct, site.dataset) is None
    empty_province = site.provinces["16"]
    empty_province = dataclasses.replace(
        empty_province,
        regions=[dataclasses.replace(r, latest=None) for r in empty_province.regions],
    )
    assert charts.province_chart(empty_province, site.dataset) is None


def test_province_chart_sorts_names_regions_without_data_and_says_status_in_words(site):
    data = charts.province_data(site.provinces["73"], site.dataset)
    bars = data.datasets["batang"]
    values = [b["nilai"] for b in bars]
    assert values == sorted(values, reverse=True)
    for bar in bars:
        assert re.search(r"(Sudah|Belum) UHC|Tidak dapat dinilai", bar["teks"])
        assert bar["ambang"] in (95, 98)
    missing = " ".join(line["teks"] for line in data.datasets["belum"])
    assert "Kabupaten Sidenreng Rappang" in missing


def test_home_charts_count_the_same_as_the_summary(site):
    summary = site.summary
    dots = charts.distribution_data(site).datasets["titik"]
    assert len(dots) == summary["with_data"]
    assert sum(d["status"] == "meets" for d in dots) == summary["meets"]
    below = [d["geser"] for d in dots if d["status"] == "below"]
    assert len(set(below)) == len(below), "dots of one row are spread, deterministically"
    years = charts.yearly_data(site).datasets["tahun"]
    assert [y["tahun"] for y in years] == [str(y) for y in range(2018, 2026)]
    assert {y["tahun"]: (y["memenuhi"], y["ada"]) for y in years}["2025"] == (0, 1)


def test_indonesian_and_english_locales_come_from_babel():
    number = charts.format_locale("id")
    assert (number["decimal"], number["thousands"]) == (",", ".")
    time = charts.time_format_locale("id")
    assert time["months"][4] == "Mei" and time["shortMonths"][7] == "Agu"
    assert time["days"][0] == "Minggu"
    english = charts.time_format_locale("en")
    assert english["months"][4] == "May" and charts.format_locale("en")["decimal"] == "."
    assert charts.ldml_to_d3("EEEE, dd MMMM y") == "%A, %d %B %Y"


# ---------------------------------------------------------------------------------------------
# Rendering


def test_rendered_svg_carries_threshold_and_indonesian_numbers(site, renderer):
    data = charts.region_data(site.regions["73.13"], site.dataset)
    texts = svg_texts(rendered(renderer, data))
    assert "ambang 95\u00a0%" in texts and "98\u00a0%" in texts
    assert "97,50\u00a0%" in texts, "latest value with a decimal comma, as on the page"
    people = angka(site.regions["73.13"].latest.people_needed)
    assert f"{people} jiwa lagi" in texts
    assert {"0", "20", "100"} <= set(texts), "y axis starts at 0"


def test_axes_use_the_indonesian_d3_locales(site, renderer):
    """Month names from Babel on a short time axis; decimal comma, thousands dot on numbers."""
    page = with_history(
        site,
        "73.13",
        [snapshot("73.13", 2024, 2, 90.5, 1000, 905), snapshot("73.13", 2024, 5, 91.25, 1000, 912)],
    )
    page = dataclasses.replace(page, forums=[], commitments=[])
    one_rule = dataclasses.replace(site.dataset, rules=site.dataset.rules[:1])
    data = charts.region_data(page, one_rule)  # a span of months within 2024 only
    texts = svg_texts(rendered(renderer, data))
    months = "Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des"
    ticks = [t for t in texts if re.fullmatch(rf"(\d{{1,2}} )?({months}) \d{{4}}|\d{{4}}", t)]
    assert any(" Mei 2024" in f" {t}" or "Apr 2024" in t for t in ticks), texts
    full = {"Januari", "Februari", "Maret", "April", "Juni", "Juli", "Agustus", "Oktober"}
    assert not full & set(texts), "every tick names its year, never a bare month"
    spec = {
        "data": {"values": [{"x": 1234.5, "y": 1}, {"x": 1500000.25, "y": 2}]},
        "mark": "point",
        "width": 200,
        "encoding": {
            "x": {
                "field": "x",
                "type": "quantitative",
                "axis": {"format": ",.2f", "values": [1234.5, 1500000.25]},
            },
            "y": {"field": "y", "type": "quantitative"},
        },
    }
    raw, _png = renderer.render_all([spec])[0]
    assert {"1.234,50", "1.500.000,25"} <= set(svg_texts(raw))


def test_svg_is_accessible_with_title_and_desc(site, renderer):
    data = charts.region_data(site.regions["73.13"], site.dataset)
    root = ET.fromstring(rendered(renderer, data))
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert (title.tag, desc.tag) == (f"{SVG}title", f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert desc.text.startswith(
        "Cakupan JKN Kabupaten Wajo 97,50\u00a0% per Juni 2025; ambang UHC saat itu 98\u00a0%;"
    )
    assert not root.findall(f".//{SVG}text[@aria-label]"), "no per-mark labels in English"
    inner = [e for e in root.iter() if e is not root]
    assert len(inner) > 20, "the chart draws marks"
    assert not [e.get("role") for e in inner if e.get("role")], (
        "the chart is one image: no unnamed graphics-symbol inside it"
    )


def test_region_names_are_escaped_in_the_svg(site, renderer):
    name = '<script>alert(1)</script> & "Wajo"'
    page = with_history(site, "73.13", list(site.dataset.snapshots_by_region["73.13"]), name)
    data = charts.region_data(page, site.dataset)
    svg = rendered(renderer, data)
    assert "<script" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    safe_svg.check_svg(svg)
    root = ET.fromstring(svg)
    assert any(t.startswith("Cakupan JKN <script>alert(1)") for t in svg_texts(svg))
    assert name in "".join(root[0].itertext()), "the <title> names it exactly"


@pytest.mark.parametrize(
    "bad",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        '<path x:href="https://example.org/a.svg#x"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><path fill="url(https://example.org/x)"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><path style="fill:url(//evil/x)"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><text>unclosed</svg>',
        '<svg xmlns="http://www.w3.org/1999/xhtml"/>',
    ],
)
def test_svg_check_refuses_anything_but_plain_drawing(bad):
    with pytest.raises(safe_svg.UnsafeSvg):
        safe_svg.check_svg(bad)


def test_same_input_gives_the_same_bytes_and_ids_never_clash(site):
    data = charts.region_data(site.regions["73.71"], site.dataset)
    spec = charts.spec(data)
    first = render.Renderer(None).render_all([spec])[0]
    second = render.Renderer(None).render_all([spec])[0]
    assert first == second
    raw = (
        '<svg xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="clip7"><rect/></clipPath>'
        '</defs><g clip-path="url(#clip7)"/></svg>'
    )
    renumbered = safe_svg.renumber_ids(raw, "grafik-73-71")
    assert 'id="grafik-73-71-1"' in renumbered and "url(#grafik-73-71-1)" in renumbered
    assert safe_svg.renumber_ids(raw.replace("clip7", "clip9"), "grafik-73-71") == renumbered


def test_cache_renders_an_unchanged_chart_only_once(site, tmp_path, monkeypatch):
    specs = [charts.spec(d) for d in all_chart_data(site)[:3]]
    calls = []
    real = vl_renderer.render_job
    monkeypatch.setattr(vl_renderer, "render_job", lambda job: calls.append(1) or real(job))
    render.Renderer(tmp_path).render_all(specs)
    assert len(calls) == 3
    again = render.Renderer(tmp_path)
    changed = json.loads(json.dumps(specs[0]))
    changed["title"]["text"] = "Judul lain"
    results = again.render_all([*specs, changed])
    assert len(calls) == 4, "only the changed chart was rendered again"
    assert again.stats == {"rendered": 1, "cached": 3}
    assert results[0][1][:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.suffix for p in tmp_path.rglob("*.*")) == [".png"] * 4 + [".svg"] * 4


def chart_files(site, output: Path, workers: int) -> dict[str, bytes]:
    """Every chart of `site` through a ChartPipeline, pages asking in a scrambled order."""
    pipeline = render.ChartPipeline(render.Renderer(None), output, "id", workers)
    planned = [pipeline.add(d) for d in all_chart_data(site)]
    pipeline.plan(lambda: None)  # a page without a chart
    pipeline.start()
    try:
        for index in planned[::-2]:  # a page's chart may be asked for before those before it
            assert pipeline.chart(index).svg.startswith("<svg")
        assert pipeline.chart(len(planned)) is None
        pipeline.finish()
    finally:
        pipeline.close()
    assert pipeline.stats == {"rendered": len(planned), "cached": 0}
    assert all(not chart.data.datasets for chart in pipeline.charts if chart), "data dropped"
    return tree(output)


def test_charts_render_in_worker_processes_with_the_same_files(site, tmp_path, monkeypatch):
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)
    monkeypatch.setattr(render, "AHEAD", 1)
    in_workers = chart_files(site, tmp_path / "pool", workers=2)
    in_process = chart_files(site, tmp_path / "here", workers=1)
    assert in_workers == in_process
    assert in_workers.pop(render.BUNDLE_PATH).startswith(b"const "), "the interactive script"
    assert len(in_workers) == 3 * len(all_chart_data(site))


def test_workers_are_kept_busy_while_pages_without_charts_are_written(site, tmp_path, monkeypatch):
    """Between forum pages and downloads the build hands out more charts whenever the workers'
    queue runs low, never more than AHEAD a worker queued, and nothing in-process."""
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)
    monkeypatch.setattr(render, "AHEAD", 1)
    data = all_chart_data(site)
    assert len(data) >= 6
    pipeline = render.ChartPipeline(render.Renderer(None), tmp_path, "id", workers=2)
    for d in data:
        pipeline.add(d)
    pipeline.start()
    try:
        assert len(pipeline.charts) == 2, "AHEAD charts a worker at the start"
        pipeline.keep_busy()
        assert len(pipeline.charts) == 2, "the queue is full: nothing more handed out"
        deadline = time.monotonic() + 60
        while pipeline.finished < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pipeline.finished == 2
        pipeline.keep_busy()  # no page asked for anything yet
        assert len(pipeline.charts) == 4 and pipeline.submitted == 4
        pipeline.finish()
    finally:
        pipeline.close()
    assert pipeline.stats == {"rendered": len(data), "cached": 0}

    alone = render.ChartPipeline(render.Renderer(None), tmp_path / "one", "id", workers=1)
    for d in data:
        alone.add(d)
    alone.keep_busy()
    assert alone.charts == [] and not alone.pending, "one core: charts wait for their pages"


def test_a_worker_error_fails_the_build_and_stops_the_workers(site, tmp_path, monkeypatch):
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)
    data = all_chart_data(site)
    pipeline = render.ChartPipeline(render.Renderer(None), tmp_path, "id", workers=2)
    name = next(iter(data[1].datasets))
    data[1].datasets[name] = "not a list"  # Vega cannot read it: the worker fails
    for d in data:
        pipeline.add(d)
    pipeline.start()
    with pytest.raises(ValueError, match="Vega to SVG conversion failed"):
        pipeline.finish()
    assert pipeline.pool is None, "workers stopped"


def test_vega_templates_give_what_vega_lite_compiles_to(site, monkeypatch):
    """Compiling once per chart shape and filling in data equals compiling every chart (with
    its halos merged, as the renderer draws it)."""
    import vl_convert

    monkeypatch.setattr(vl_renderer, "TEMPLATES", {})  # not those of other builds in this process
    renderer = render.Renderer(None)

    for data in all_chart_data(site):
        spec = charts.spec(data)
        compiled = safe_svg.merge_halos(vl_convert.vegalite_to_vega(spec))
        assert renderer.vega(spec) == compiled, data.name
    assert len(renderer.templates) == 5, "one template per kind of chart"


def text_marks(vega: dict) -> list[dict]:
    return [
        mark
        for group in [vega, *safe_svg.iter_groups(vega)]
        for mark in group.get("marks", [])
        if mark["type"] == "text"
    ]


def test_each_haloed_label_is_one_text_drawn_outline_first(site, renderer):
    """The charts layer a white outline under each label's text; the SVG and PNG draw it as one
    text with `paint-order="stroke"`: every label once, legible over the lines, in half the
    text marks."""
    import vl_convert

    wajo = site.regions["73.13"]
    data = charts.region_data(wajo, site.dataset)
    spec = charts.spec(data)
    compiled = vl_convert.vegalite_to_vega(spec)
    layered = text_marks(compiled)
    halos = [m for m in layered if "stroke" in m["encode"]["update"]]
    assert len(halos) == 7 and len(layered) == 15
    merged = text_marks(safe_svg.merge_halos(compiled))
    assert len(merged) == 8, "each halo's plain twin dropped, the legend's text kept"
    assert sum("stroke" in m["encode"]["update"] for m in merged) == 7

    svg = rendered(renderer, data)
    root = ET.fromstring(svg)
    outlined = [t for t in root.iter(f"{{{safe_svg.SVG_NS}}}text") if t.get("stroke")]
    assert outlined, "the labels over lines keep their outline"
    for text in outlined:
        assert text.get("paint-order") == "stroke", text.text
        assert text.get("fill") not in (None, "#ffffff"), "the letters in colour, over the halo"
    words = svg_texts(svg)
    assert any(w.endswith("jiwa lagi") for w in words), str(words)
    for text in outlined:  # drawn once, not once as a halo and once as text
        assert words.count(text.text) == 1, text.text


def test_a_text_mark_with_a_different_encoding_is_not_taken_for_a_halos_twin():
    plain = {"type": "text", "from": {"data": "a"}, "encode": {"update": {"text": {"field": "t"}}}}
    halo = {
        **plain,
        "encode": {"update": {**plain["encode"]["update"], "stroke": {"value": "#fff"}}},
    }
    other = {**plain, "from": {"data": "b"}}
    vega = {"marks": [{"type": "group", "marks": [halo, other, {**plain, "name": "twin"}]}]}
    assert safe_svg.merge_halos(vega)["marks"][0]["marks"] == [halo, other]
    assert safe_svg.halos_under_text('<text stroke="#fff">a</text><text fill="#000">b</text>') == (
        '<text paint-order="stroke" stroke="#fff">a</text><text fill="#000">b</text>'
    )


def test_coordinates_are_cut_to_hundredths_and_the_words_drawn_kept():
    svg = (
        '<g transform="translate(13.834567,16)"><path d="M1.23456,2.5L10.999999,3.14159"/>'
        '<text x="4.56789">93.6991 jiwa lagi, 82.77123 %</text></g>'
    )
    assert safe_svg.short_numbers(svg) == (
        '<g transform="translate(13.83,16)"><path d="M1.23,2.5L10.99,3.14"/>'
        '<text x="4.56">93.6991 jiwa lagi, 82.77123 %</text></g>'
    )


def test_charts_are_drawn_for_a_phone(site, renderer):
    for data in all_chart_data(site):
        root = ET.fromstring(rendered(renderer, data))
        if data.kind == "peta":  # 11 squares abreast: kept at its size, scrolled on a phone
            assert 600 <= float(root.get("width")) <= 760, "fits a desktop column (62rem)"
            continue
        assert float(root.get("width")) <= 380, f"{data.name} is {root.get('width')} px wide"


# ---------------------------------------------------------------------------------------------
# The built site


def figure_desc(page, index: int = 0) -> str:
    return " ".join(page.select("figure.chart svg desc")[index].get_text().split())


def test_region_chart_desc_states_the_numbers_of_the_page(built_site):
    page = soup(built_site / "wilayah" / "73.13" / "index.html")
    status = page.select_one("section.status")
    pct = text_of(status.select_one("p.big strong"))
    needed = [text_of(dd) for dd in status.select("dl.figures dd")][-1].split(" jiwa")[0]
    needed = re.sub(r" \(.*\)", "", needed.replace(" dihitung", ""))  # the range: page only
    desc = figure_desc(page)
    assert f"Kabupaten Wajo {pct} per Juni 2025" in desc
    assert f"{needed} jiwa lagi" in desc
    assert page.select_one("figure.chart svg title").get_text().startswith("Grafik cakupan JKN")
    assert page.select_one("#riwayat"), "the data table stays next to the chart"


def test_province_and_home_chart_descs_match_their_tables(built_site):
    province = soup(built_site / "wilayah" / "73" / "index.html")
    desc = figure_desc(province)
    for row in province.select("table tbody tr"):
        cells = [text_of(td) for td in row.select("td")]
        if cells[2] != "–":
            pct = cells[2].split(" di atas 100")[0]  # the page flags figures over 100 %
            assert f"{cells[1]} {pct} per {cells[3]}" in desc
        else:
            assert cells[1] in desc
    home = soup(built_site / "index.html")
    stats = [text_of(li.strong) for li in home.select("ul.stats li")]
    desc = " ".join(home.select_one("figure#grafik-sebaran svg desc").get_text().split())
    assert f"{stats[0]} dari" in desc and f"{stats[1]} sudah UHC" in desc
    assert f"{stats[2]} belum UHC" in desc and f"{stats[-1]} belum ada data" in desc


def test_every_chart_has_its_downloads_next_to_the_page(built_site):
    for html in built_site.rglob("index.html"):
        page = soup(html)
        decimal = "." if html.relative_to(built_site).parts[0] == "en" else ","
        for figure in page.select("figure.chart"):
            links = [a["href"] for a in figure.select("a[download]")]
            assert len(links) == 3
            for link in links:
                target = (html.parent / link).resolve()
                assert target.is_file(), f"{html}: {link}"
                if target.suffix == ".json":
                    spec = json.loads(target.read_text(encoding="utf-8"))
                    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
                    assert spec["usermeta"]["embedOptions"]["formatLocale"]["decimal"] == decimal
                if target.suffix == ".png":
                    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
                if target.suffix == ".svg":
                    saved = ET.fromstring(target.read_text(encoding="utf-8"))
                    assert saved.find(f"{SVG}desc").text == figure.svg.desc.get_text()


def test_no_page_loads_anything_from_another_host_and_only_grafik_and_search_have_scripts(
    built_site,
):
    for html in built_site.rglob("*.html"):
        page = soup(html)
        where = html.relative_to(built_site).as_posix()
        for tag, attribute in (
            ("script", "src"),
            ("link", "href"),
            ("img", "src"),
            ("iframe", "src"),
            ("source", "src"),
            ("image", "href"),
        ):
            for node in page.find_all(tag):
                url = node.get(attribute, "")
                if (
                    tag == "link"
                    and "stylesheet" not in node.get("rel", [])
                    and "icon" not in " ".join(node.get("rel", []))
                ):
                    continue
                assert not re.match(r"^([a-z]+:)?//", url), f"{where}: <{tag}> {url}"
        # JSON-LD is data for search engines, never run: not a script here.
        scripts = [s for s in page.find_all("script") if s.get("type") != "application/ld+json"]
        if where.removeprefix("en/") == "grafik/index.html":  # and its English twin
            # Vega's bundle is loaded by that script only when the reader asks for it
            assert [s["src"] for s in scripts] == ["../theme/js/grafik-interaktif.js"]
            bundle = page.select_one("#grafik-interaktif")["data-bundle"]
            assert bundle == "../grafik/vega-bundle.js"
            assert (html.parent / bundle).is_file()
            csp = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
            assert "connect-src 'self'" in csp and "default-src 'none'" in csp
        elif where.removeprefix("en/") == "wilayah/index.html":  # the search page, each language
            assert [(s["src"], s["type"]) for s in scripts] == [("../theme/js/cari.js", "module")]
        else:
            assert not scripts, f"{where} loads a script"
    css = (built_site / "theme" / "css" / "site.css").read_text(encoding="utf-8")
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)


def test_interactive_link_names_a_chart_the_viewer_accepts(built_site):
    page = soup(built_site / "wilayah" / "73.13" / "index.html")
    link = page.select_one("figure.chart a[href*='grafik/?c=']")["href"]
    path = link.split("?c=")[1].replace("%2F", "/")
    script = (built_site / "theme" / "js" / "grafik-interaktif.js").read_text(encoding="utf-8")
    pattern = re.search(r"var allowed = /(.+)/;", script).group(1).replace("\\/", "/")
    assert re.fullmatch(pattern, path)
    assert (built_site / f"{path}.json").is_file()
    assert not re.fullmatch(pattern, "https://example.org/x")
    assert not re.fullmatch(pattern, "wilayah/../../etc/grafik-x")
    assert (built_site / "grafik" / "vega-bundle.js").stat().st_size > 500_000


def test_regions_without_figures_get_a_sentence_and_the_build_is_reproducible(tmp_path):
    """A region whose figure has no percentage gets a sentence, not an empty chart; two builds
    (one from the cache, one without) write the same bytes."""
    data = tmp_path / "data"
    shutil.copytree(SITE_DATA, data)
    with (data / "coverage" / "contoh.csv").open("a", encoding="utf-8") as out:
        out.write("73.14,2021-03,,290000,,,,contoh-rekap\n")
    project = make_project(tmp_path / "project", data)
    first = build(project, tmp_path / "out1")
    second = build(project, tmp_path / "out2", UHC_CHART_CACHE=False)
    page = soup(first / "wilayah" / "73.14" / "index.html")
    assert not page.select("figure.chart")
    assert "Belum ada grafik: tidak ada angka cakupan dalam persen" in text_of(page)
    for path in sorted(first.rglob("*")):
        # Pagefind's filter chunks differ in order only: compared by content in test_repeatable
        if path.is_file() and not is_unstable(path.relative_to(first).as_posix()):
            other = second / path.relative_to(first)
            assert other.read_bytes() == path.read_bytes(), path.relative_to(first)
    assert any((project / ".cache" / "charts").rglob("*.svg"))


def test_home_without_any_figure_says_so(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SITE_DATA, data)
    for coverage in (data / "coverage").glob("*.csv"):  # regencies', provinces', national
        coverage.write_text(
            coverage.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8"
        )
    for forum in (data / "forums").glob("*.yaml"):
        forum.unlink()
    out = build(make_project(tmp_path / "project", data), UHC_CHART_CACHE=False)
    home = soup(out / "index.html")
    assert not home.select("figure.chart")
    assert "Belum ada grafik" in text_of(home)


FONT_SCRIPT = """
import os, sys, hashlib
sys.path.insert(0, {plugins!r})
from uhc_portal import renderer as render
if sys.argv[1] == "global":
    os.environ["FONTCONFIG_FILE"] = str(render.NO_SYSTEM_FONTS)
    import vl_convert
    png = vl_convert.svg_to_png(render.FONT_PROBE)
else:
    render.bundled_fonts_only()
    assert os.environ.get("FONTCONFIG_FILE") == sys.argv[2], "the variable is restored"
    import vl_convert
    png = vl_convert.svg_to_png(render.FONT_PROBE)
print(hashlib.sha256(png).hexdigest())
"""


def test_charts_are_drawn_with_vl_converts_own_fonts_whatever_the_system_has(tmp_path):
    """Same PNG as a process that never saw the system's fonts; the environment is restored."""
    import subprocess
    import sys

    script = tmp_path / "fonts.py"
    script.write_text(FONT_SCRIPT.format(plugins=str(Path(render.__file__).parent.parent)))
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    env["FONTCONFIG_FILE"] = "/etc/fonts/fonts.conf"

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, str(script), *args], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run("pinned", "/etc/fonts/fonts.conf") == run("global")


def test_a_chart_changed_after_its_check_is_not_inlined(site, tmp_path):
    pipeline = render.ChartPipeline(render.Renderer(None), tmp_path, "id", workers=1)
    index = pipeline.add(all_chart_data(site)[0])
    pipeline.start()
    chart = pipeline.chart(index)
    assert chart.svg.startswith("<svg"), "as written and checked"
    chart.file.write_text(chart.file.read_text().replace("<title", "<script>x</script><title", 1))
    with pytest.raises(safe_svg.UnsafeSvg, match="changed after it was checked"):
        _ = chart.svg


def test_chart_workers_load_neither_altair_nor_pelican(tmp_path):
    """A worker per core holds a vl-convert engine; it should hold nothing else it does not use."""
    pipeline = render.ChartPipeline(render.Renderer(None), tmp_path, "id", workers=2)
    pipeline.start(expected=render.PARALLEL_FROM)
    try:
        heavy = "{'altair', 'pandas', 'pelican'}"
        loaded = f"sorted(m for m in __import__('sys').modules if m in {heavy})"
        assert pipeline.pool.submit(eval, loaded).result() == []
    finally:
        pipeline.close()


def test_yearly_bars_have_a_count_axis_and_name_a_lone_region(seed_dir):
    from conftest import TODAY
    from uhc_portal import charts
    from uhc_portal.dataset import load_dataset
    from uhc_portal.views import build_site

    data = charts.yearly_data(build_site(load_dataset(seed_dir, TODAY)))
    bars = {b["tahun"]: b for b in data.datasets["tahun"]}
    assert bars["2018"]["nama"] == "Kota Lubuk Linggau" and bars["2019"]["nama"] == ""
    spec = charts.spec(data)
    bar_y = spec["vconcat"][0]["layer"][0]["encoding"]["y"]
    assert bar_y.get("axis") is not None and bar_y["axis"]["format"] == "d"
    assert any(
        layer["encoding"].get("text", {}).get("field") == "nama"
        for layer in spec["vconcat"][0]["layer"]
    )


def test_gap_label_keeps_the_figures_precision_in_points(site):
    """A % only (no counts, as Kab. Jember's 69,6 % per 31 Dec 2023): the gap is in points at
    the decimals the source printed, with no '%' (the unit is the point)."""
    jember = dataclasses.replace(snapshot("73.13", 2023, 12, 69.6), pct_decimals=1)
    wajo = snapshot("73.13", 2020, 9, 82.77)
    for figure, words in ((jember, "25,4 poin lagi"), (wajo, "12,23 poin lagi")):
        data = charts.region_data(with_history(site, "73.13", [figure]), site.dataset)
        labels = data.datasets["celah_kanan"] + data.datasets["celah_kiri"]
        assert [label["teks"] for label in labels] == [words]
