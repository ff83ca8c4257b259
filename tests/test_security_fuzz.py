"""Property-based tests of every loader: whatever a pull request puts in a data file, the portal
answers with its own data errors naming file and line, never a crash; and valid records read
back exactly as written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import SITE_DATA, TODAY
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from uhc_portal.coverage import HEADER as COVERAGE_HEADER
from uhc_portal.dataset import load_dataset
from uhc_portal.errors import DataError, DataErrors
from uhc_portal.forums import FORUM_FIELDS, FORUM_KINDS
from uhc_portal.loading import read_csv
from uhc_portal.model import Forum, PartialDate, Province, Regency, Source
from uhc_portal.rules import RULE_FIELDS
from uhc_portal.schema import MAX_NAME, MAX_TEXT
from uhc_portal.sources import SOURCE_FIELDS
from uhc_portal.yamlfile import read_yaml

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Errors about a whole file, where no line applies.
FILE_KINDS = {"file-too-large", "not-a-file", "missing-file", "bad-file-name"}
DATA_FILES = [
    "regions/provinces.csv",
    "regions/regencies.csv",
    "regions/aliases.yaml",
    "coverage/contoh.csv",
    "sources.yaml",
    "rules.yaml",
    "forums/2020-10-26-wajo.yaml",
]


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """A copy of the test site's data; each example swaps one file and puts it back."""
    folder = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(SITE_DATA, folder)
    return folder


@contextmanager
def replaced(data: Path, name: str, content: bytes):
    path = data / name
    original = path.read_bytes() if path.exists() else None
    path.write_bytes(content)
    try:
        yield
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


def assert_only_data_errors(data: Path) -> list[DataError]:
    """Load; any failure must be DataErrors whose every entry names a data file and a line."""
    try:
        load_dataset(data, TODAY)
    except DataErrors as caught:
        errors = caught.errors
    else:
        return []
    assert errors
    for error in errors:
        assert isinstance(error, DataError)
        assert error.file.startswith("data/"), error
        assert error.line >= 1 or error.kind in FILE_KINDS, error
        assert str(error).startswith(error.file), error
        assert len(error.value) <= 80, error
    return errors


# Arbitrary text, bytes, records and cells.

any_text = st.text() | st.binary().map(lambda b: b.decode("latin-1"))
yaml_keys = st.sampled_from(
    sorted(
        {
            *FORUM_FIELDS,
            *SOURCE_FIELDS,
            *RULE_FIELDS,
            "region",
            "target_pct",
            "deadline",
            "committed_by",
            "text",
            "number",
            "parties",
            "pct",
            "by",
            "status_rules",
            "national_targets",
        }
    )
)
yaml_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.dates()
    | st.datetimes()
    | st.sampled_from(
        [
            "73.13",
            "16.73",
            "73",
            "2020",
            "2020-10",
            "2020-13-45",
            "forum-pku",
            "wajo-2020",
            "uhc",
            ">=",
            "https://x.org/a",
            "javascript:alert(1)",
            "-1",
            "101",
            "1e999",
            "0x1F",
        ]
    )
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(yaml_keys | st.text(max_size=5), inner, max_size=6)
    ),
    max_leaves=25,
)
yaml_records = st.dictionaries(yaml_keys | st.text(max_size=8), yaml_values, max_size=10)
yaml_documents = (
    yaml_records
    | yaml_values
    | st.dictionaries(st.text(max_size=8) | st.integers(), yaml_records, max_size=3)
)
csv_cells = st.text(max_size=12) | st.sampled_from(
    [
        "73.13",
        "73",
        "2020-09",
        "2020-9",
        "376386",
        "376.386",
        "82.77",
        "82,77",
        "wajo-2020",
        "",
        "0",
        "-1",
        "1.000",
        "9" * 30,
        "=1+1",
        "\ufeff",
    ]
)
CSV_TARGETS = [
    ("coverage/contoh.csv", COVERAGE_HEADER),
    ("regions/regencies.csv", ["code", "province_code", "name"]),
    ("regions/provinces.csv", ["code", "name"]),
]


def dump_yaml(document, style: str | None = None) -> bytes:
    """YAML as ruamel writes it; `style` '"' or "'" quotes every scalar."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_style = style
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue().encode("utf-8")


def dump_csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@FUZZ
@given(name=st.sampled_from(DATA_FILES), text=any_text)
def test_any_text_in_any_data_file_gives_only_data_errors(data, name, text):
    with replaced(data, name, text.encode("utf-8", "surrogatepass")):
        assert_only_data_errors(data)


@FUZZ
@given(name=st.sampled_from(DATA_FILES), content=st.binary(max_size=200))
def test_any_bytes_in_any_data_file_give_only_data_errors(data, name, content):
    with replaced(data, name, content):
        assert_only_data_errors(data)


@FUZZ
@given(
    name=st.sampled_from(
        [
            "forums/2020-10-26-wajo.yaml",
            "forums/new.yaml",
            "sources.yaml",
            "rules.yaml",
            "regions/aliases.yaml",
        ]
    ),
    document=yaml_documents,
)
def test_any_yaml_records_give_only_data_errors(data, name, document):
    with replaced(data, name, dump_yaml(document)):
        assert_only_data_errors(data)


@FUZZ
@given(
    target=st.sampled_from(CSV_TARGETS),
    rows=st.lists(st.lists(csv_cells, min_size=1, max_size=9), max_size=5),
)
def test_any_csv_cells_give_only_data_errors(data, target, rows):
    name, header = target
    with replaced(data, name, dump_csv(header, rows)):
        assert_only_data_errors(data)


@FUZZ
@given(text=any_text)
@example(text="-_")  # ruamel reads it as a number and fails on the empty digits
def test_readers_alone_never_raise(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("readers")
    for suffix in ("csv", "yaml"):
        path = folder / f"x.{suffix}"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        if suffix == "csv":
            rows, errors = read_csv(path, folder, ["a", "b"])
            assert all(len(row.cells) == 2 and row.line >= 2 for row in rows)
        else:
            _, errors, _ = read_yaml(path, folder)
        assert all(e.file == f"x.{suffix}" and e.line >= 1 for e in errors), errors


# Valid records round-trip: written as a steward would, read back into the same model.

# Text as stewards type it: no surrogates, no line-ending characters (files are read with
# universal newlines), nothing a cell or scalar trims away.
clean_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\r\n\x85\u2028\u2029"),
    min_size=1,
    max_size=60,
).filter(lambda t: t == t.strip())
names = clean_text.filter(lambda t: len(t) <= MAX_NAME)
long_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\r\x85\u2028\u2029"),
    min_size=1,
    max_size=300,
).filter(lambda t: t == t.strip() and len(t) <= MAX_TEXT)
ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)
urls = st.from_regex(
    r"https?://[a-z0-9]{1,12}\.(org|id|com)(/[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,20})?", fullmatch=True
)


@st.composite
def partial_dates(draw, latest: dt.date = TODAY) -> PartialDate:
    day = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=latest))
    precision = draw(st.sampled_from(["day", "month", "year"]))
    if precision == "day":
        return PartialDate(day.year, day.month, day.day)
    return PartialDate(day.year, day.month) if precision == "month" else PartialDate(day.year)


def minimal_data(
    folder: Path,
    provinces: list[Province],
    regencies: list[Regency],
    sources: list[Source],
    style: str = '"',
) -> Path:
    """A data folder of only the given regions and sources, plus the test site's rules."""
    data = folder / "data"
    (data / "regions").mkdir(parents=True)
    (data / "regions" / "provinces.csv").write_bytes(
        dump_csv(["code", "name"], [[p.code, p.name] for p in provinces])
    )
    (data / "regions" / "regencies.csv").write_bytes(
        dump_csv(
            ["code", "province_code", "name"],
            [[r.code, r.province_code, r.name] for r in regencies],
        )
    )
    (data / "sources.yaml").write_bytes(dump_yaml({s.id: source_record(s) for s in sources}, style))
    shutil.copy(SITE_DATA / "rules.yaml", data / "rules.yaml")
    return data


def source_record(source: Source) -> dict:
    record = {
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "published": source.published and source.published.iso,
        "accessed": source.accessed and source.accessed.iso,
        "excerpt": source.excerpt,
        "excerpt_note": source.excerpt_note,
        "note": source.note,
    }
    return {k: v for k, v in record.items() if v is not None}


@st.composite
def regions(draw) -> tuple[list[Province], list[Regency]]:
    province_codes = draw(
        st.lists(st.from_regex(r"[0-9]{2}", fullmatch=True), min_size=1, max_size=4, unique=True)
    )
    provinces = [Province(code, draw(names)) for code in province_codes]
    regencies = []
    for province in provinces:
        for suffix in draw(
            st.lists(st.from_regex(r"[0-9]{2}", fullmatch=True), max_size=3, unique=True)
        ):
            regencies.append(Regency(f"{province.code}.{suffix}", province.code, draw(names)))
    return provinces, regencies


@st.composite
def sources(draw) -> list[Source]:
    out = []
    for source_id in draw(st.lists(ids, min_size=1, max_size=3, unique=True)):
        optional = st.none() | names
        out.append(
            Source(
                source_id,
                draw(names),
                draw(optional),
                draw(st.none() | urls),
                draw(st.none() | partial_dates()),
                draw(st.none() | partial_dates()),
                draw(long_text),
                draw(st.none() | long_text),
            )
        )
    return out


# Quoted: ruamel's emitter writes some strings plain ("?0") that YAML then reads as a key.
quote_styles = st.sampled_from(['"', "'"])


@FUZZ
@given(places=regions(), cited=sources(), style=quote_styles)
def test_regions_and_sources_round_trip(tmp_path_factory, places, cited, style):
    provinces, regencies = places
    data = minimal_data(tmp_path_factory.mktemp("rt"), provinces, regencies, cited, style)
    dataset = load_dataset(data, TODAY)
    assert dataset.provinces == {p.code: p for p in provinces}
    assert dataset.regencies == {r.code: r for r in regencies}
    assert dataset.sources == {s.id: s for s in cited}


@st.composite
def forums(draw, codes: list[str], source_ids: list[str]) -> Forum:
    slug = draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,30}", fullmatch=True))
    return Forum(
        slug=slug,
        date=draw(partial_dates()),
        date_basis=draw(st.sampled_from(["event", "reported"])),
        regions=tuple(draw(st.lists(st.sampled_from(codes), min_size=1, max_size=3, unique=True))),
        title=draw(names.filter(lambda t: len(t) <= MAX_TEXT)),
        kind=draw(st.sampled_from(FORUM_KINDS)),
        summary=draw(st.just("") | long_text),
        attendees=tuple(draw(st.lists(names, max_size=3))),
        commitments=(),
        agreements=(),
        sources=tuple(draw(st.lists(st.sampled_from(source_ids), min_size=1, max_size=2))),
        file=f"data/forums/{slug}.yaml",
    )


def forum_record(forum: Forum) -> dict:
    record = {
        "date": forum.date.iso,
        "date_basis": forum.date_basis,
        "regions": list(forum.regions),
        "title": forum.title,
        "kind": forum.kind,
        "summary": forum.summary or None,
        "attendees": list(forum.attendees) or None,
        "sources": list(forum.sources),
    }
    return {k: v for k, v in record.items() if v is not None}


@FUZZ
@given(places=regions(), cited=sources(), style=quote_styles, data=st.data())
def test_forums_and_aliases_round_trip(tmp_path_factory, places, cited, style, data):
    provinces, regencies = places
    codes = [p.code for p in provinces] + [r.code for r in regencies]
    folder = minimal_data(tmp_path_factory.mktemp("rt"), provinces, regencies, cited, style)
    forum = data.draw(forums(codes, [s.id for s in cited]))
    (folder / "forums").mkdir()
    (folder / "forums" / f"{forum.slug}.yaml").write_bytes(dump_yaml(forum_record(forum), style))
    aliases = data.draw(st.dictionaries(names, st.sampled_from(codes), max_size=3))
    (folder / "regions" / "aliases.yaml").write_bytes(dump_yaml(aliases, style))
    dataset = load_dataset(folder, TODAY)
    assert dataset.forums == (forum,)
    assert dataset.aliases == aliases


@st.composite
def coverage_rows(draw, codes: list[str]) -> tuple[list[str], dict]:
    """One row as a source prints it: some of the figures, consistent with each other."""
    population = draw(st.integers(1, 50_000_000))
    participants = draw(st.integers(0, population + population // 20))
    decimals = draw(st.integers(0, 4))
    pct = f"{100 * participants / population:.{decimals}f}"
    not_enrolled = population - participants if participants <= population else None
    active = draw(st.none() | st.integers(0, participants))
    shown = draw(
        st.sets(
            st.sampled_from(
                [
                    "population",
                    "participants",
                    "coverage_pct",
                    "not_enrolled",
                    "active_participants",
                ]
            ),
            min_size=1,
        )
    )
    if float(pct) > 200:
        shown.discard("coverage_pct")
    if "participants" not in shown:
        shown.discard("active_participants")
    figures = {
        "population": population,
        "participants": participants,
        "coverage_pct": pct,
        "not_enrolled": not_enrolled,
        "active_participants": active,
    }
    printed = {k: v for k, v in figures.items() if v is not None and k in shown}
    if not printed:
        printed = {"population": population}
    code = draw(st.sampled_from(codes))
    as_of = draw(partial_dates())
    cells = [code, as_of.iso] + [str(printed.get(k, "")) for k in COVERAGE_HEADER[2:-1]] + ["s"]
    return cells, {"region_code": code, "as_of": as_of, **printed}


@FUZZ
@given(
    rows=st.lists(
        coverage_rows(["73.13", "73.71", "73"]),
        min_size=1,
        max_size=6,
        unique_by=lambda r: (r[1]["region_code"], r[1]["as_of"].iso),
    )
)
def test_coverage_rows_round_trip_their_printed_figures(tmp_path_factory, rows):
    provinces = [Province("73", "Sulawesi Selatan")]
    regencies = [Regency("73.13", "73", "Kabupaten Wajo"), Regency("73.71", "73", "Kota Makassar")]
    source = Source("s", "Judul", None, None, None, None, "Kutipan", excerpt_note="tabel")
    data = minimal_data(tmp_path_factory.mktemp("rt"), provinces, regencies, [source])
    (data / "coverage").mkdir()
    (data / "coverage" / "x.csv").write_bytes(dump_csv(COVERAGE_HEADER, [r[0] for r in rows]))
    dataset = load_dataset(data, TODAY)
    got = {(s.region_code, s.as_of.iso): s for s in dataset.snapshots}
    assert len(got) == len(rows)
    for cells, expected in rows:
        snapshot = got[(expected["region_code"], expected["as_of"].iso)]
        assert snapshot.as_of == expected["as_of"]
        assert snapshot.line == 1 + [r[0] for r in rows].index(cells) + 1
        for field in ("population", "participants", "active_participants", "not_enrolled"):
            value = getattr(snapshot, field)
            if field in expected:
                assert (value.amount, value.origin) == (expected[field], "printed")
            else:
                assert value.origin != "printed"
        if "coverage_pct" in expected:
            pct = expected["coverage_pct"]
            assert snapshot.coverage_pct.amount == float(pct)
            assert snapshot.pct_decimals == (len(pct.split(".")[1]) if "." in pct else 0)
