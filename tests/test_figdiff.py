"""The figure diff (`python -m uhc_portal diff`) against a git ref, and corrections made public.

Each test makes a git repository in a temporary folder whose main branch holds the repository's
real data/ (the published site), then edits the working tree as a steward's pull request would.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import (
    REAL_TODAY,
    ROOT,
    TODAY,
    WATAMPONE_2021,
    add_watampone_2021,
    build,
    make_project,
    seed_data,
    soup,
    text_of,
)
from uhc_portal.__main__ import main
from uhc_portal.errors import DataErrors

WAJO_LINE = "Kab. Wajo: Belum UHC (82,77 %, Sep 2020) → UHC (96,10 %, Des 2021)"
COVERAGE = "data/coverage/berita-awal.csv"
SEP_2020 = "73.13,2020-09,376386,311536,,82.77,,upeks-wajo-2020"
SEP_2020_FIXED = f"73.13,2020-09,376386,311650,,82.80,,{WATAMPONE_2021}"
WAJO_DEC_2021 = f"73.13,2021-12,,,,96.10,,{WATAMPONE_2021}\n"
TABLE_SOURCE = (  # its numbers stand in a table: validation takes its note's word
    "contoh-tabel-2024:\n  title: Contoh rekap tabel\n  excerpt: Rekap kepesertaan JKN.\n"
    "  excerpt_note: tabel halaman 4\n"
)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A clone-like repository: main holds the real data; the work happens on a branch."""
    where = tmp_path / "repo"
    where.mkdir()
    seed_data(where / "data")
    add_watampone_2021(where / "data")
    git(where, "init", "-q", "-b", "main")
    git(where, "add", "data")
    git(where, "commit", "-q", "-m", "published data")
    git(where, "checkout", "-q", "-b", "pull-request")
    return where


def diff(repo: Path, capsys, *extra: str) -> tuple[int, str]:
    code = main(["diff", "--data", str(repo / "data"), *extra])
    return code, capsys.readouterr().out


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as out:
        out.write(text)


def replace_line(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_new_wajo_figure_prints_the_status_change(repo: Path, capsys):
    append(repo / COVERAGE, WAJO_DEC_2021)
    code, out = diff(repo, capsys)  # the default base: the merge base with main
    assert code == 0
    lines = out.splitlines()
    assert f"  {WAJO_LINE}" in lines
    status = lines.index("Status changes (3)")
    assert lines[status + 1] == f"  {WAJO_LINE}", "regions first"
    assert "  Sulawesi Selatan: 0 → 1 of 24 regencies/cities at UHC" in lines
    assert "  Indonesia: 1 → 2 of 514 regencies/cities at UHC" in lines
    assert (
        f"  Kab. Wajo, Des 2021: coverage_pct 96,10 %, source {WATAMPONE_2021} "
        f"({COVERAGE}:5)" in lines
    )
    outcome = next(line for line in lines if line.startswith("  outcome: Kab. Wajo"))
    assert ": open → met " in outcome
    # the cited source prints 96,10 (no excerpt warning); the jump from 82,77 is > 10 points
    assert not any("excerpt" in line for line in lines)
    assert any(
        line.startswith(f"  {COVERAGE}:5: ") and "jumps more than 10" in line for line in lines
    )

    code, markdown = diff(repo, capsys, "--base", "main", "--format", "markdown")
    assert code == 0
    assert f"- {WAJO_LINE}" in markdown.splitlines()
    assert markdown.startswith("## Figure diff: main (")


def test_same_input_same_bytes(repo: Path, capsys):
    append(repo / COVERAGE, WAJO_DEC_2021)
    replace_line(repo / COVERAGE, SEP_2020, SEP_2020_FIXED)
    first = diff(repo, capsys, "--base", "main", "--format", "markdown")
    again = diff(repo, capsys, "--base", "main", "--format", "markdown")
    assert first == again


def test_changed_published_figure_fails_until_its_correction_is_added(repo: Path, capsys):
    """The check fails naming the row and printing the entry; with the entry it passes, and
    the region page, /koreksi/ and its feed show the correction."""
    append(repo / COVERAGE, WAJO_DEC_2021)
    replace_line(repo / COVERAGE, SEP_2020, SEP_2020_FIXED)

    code, out = diff(repo, capsys, "--base", "main")
    assert code == 1
    assert out.splitlines()[2].startswith("FAILED: 1 published figure(s)")
    assert f"  {COVERAGE}:2: Kab. Wajo, Sep 2020: a published figure was changed" in out
    assert (
        "  Kab. Wajo, Sep 2020: participants 311.536 → 311.650; coverage_pct 82,77 % → 82,80 %; "
        f"source upeks-wajo-2020 → {WATAMPONE_2021} ({COVERAGE}:2)" in out
    )
    entry = re.search(r"^  - region: .*?(?=\n\n)", out, re.S | re.M).group(0)
    assert entry.splitlines()[:4] == [
        '  - region: "73.13"',
        '    as_of: "2020-09"',
        "    was: {population: 376386, participants: 311536, coverage_pct: 82.77, "
        "source: upeks-wajo-2020}",
        "    now: {population: 376386, participants: 311650, coverage_pct: 82.80, "
        f"source: {WATAMPONE_2021}}}",
    ]

    # The steward fills in the date, the reason and the source, as the entry asks.
    filled = (
        entry.replace('"YYYY-MM-DD"', '"2026-11-20"')
        .replace("reason: …", "reason: Angka peserta salah ketik; BPJS mengirim angka yang benar.")
        .replace("source: …", f"source: {WATAMPONE_2021}")
    )
    corrections = repo / "data" / "corrections.yaml"
    replace_line(corrections, "corrections: []", "corrections:")
    append(corrections, filled + "\n")
    code, out = diff(repo, capsys, "--base", "main")
    assert code == 0, out
    assert "New corrections (1)" in out
    assert f"  {WAJO_LINE}" in out, "the base showed 82,77"

    site = build(make_project(repo.parent / "site", repo / "data"))
    page = soup(site / "wilayah" / "73.13" / "index.html")
    row = page.select_one("tr#angka-2020-09")
    note = row.select_one(".correction")
    assert text_of(note).startswith(
        "dikoreksi pada 20 November 2026, sebelumnya cakupan 82,77 %, peserta 311.536, alasan: "
        "Angka peserta salah ketik"
    )
    assert note.a["href"] == "../../koreksi/#koreksi-73.13-2020-09-2026-11-20"
    assert text_of(row.select("td")[4]) == "82,80 %", "the row shows the new figure"
    section = page.select_one("#koreksi").find_parent("section")
    assert "Sebelumnya: cakupan 82,77 %, peserta 311.536, penduduk 376.386" in text_of(section)

    listing = soup(site / "koreksi" / "index.html")
    item = listing.find("li", id="koreksi-73.13-2020-09-2026-11-20")
    assert item.a["href"] == "../wilayah/73.13/#angka-2020-09"
    assert "Sekarang: cakupan 82,80 %, peserta 311.650, penduduk 376.386." in text_of(item)
    assert "Alasan: Angka peserta salah ketik" in text_of(item)

    feed = ET.parse(site / "koreksi" / "atom.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == 1
    assert (
        entries[0].findtext(f"{atom}id")
        == "tag:pantau-uhc,koreksi/koreksi-73.13-2020-09-2026-11-20"
    )
    assert (
        entries[0].findtext(f"{atom}title") == "Koreksi: Kabupaten Wajo, angka per September 2020"
    )
    assert feed.findtext(f"{atom}updated") == "2026-11-20T00:00:00+07:00", "not the build clock"
    assert "sebelumnya cakupan 82,77" in entries[0].findtext(f"{atom}summary").lower()


def test_removed_figure_needs_a_withdrawal(repo: Path, capsys):
    replace_line(repo / COVERAGE, SEP_2020 + "\n", "")
    code, out = diff(repo, capsys, "--base", "main")
    assert code == 1
    assert (
        f"  {COVERAGE}:2 (at the base): Kab. Wajo, Sep 2020: a published figure was removed" in out
    )
    assert "    withdrawn: true" in out
    corrections = repo / "data" / "corrections.yaml"
    replace_line(corrections, "corrections: []", "corrections:")
    append(
        corrections,
        '  - region: "73.13"\n    as_of: "2020-09"\n'
        "    was: {population: 376386, participants: 311536, coverage_pct: 82.77, "
        'source: upeks-wajo-2020}\n    withdrawn: true\n    date: "2026-11-20"\n'
        "    reason: Angka ini bukan angka Kabupaten Wajo.\n    source: upeks-wajo-2020\n",
    )
    code, out = diff(repo, capsys, "--base", "main")
    assert code == 0, out
    assert "Removed figures (1)" in out
    site = build(make_project(repo.parent / "site", repo / "data"))
    item = soup(site / "koreksi" / "index.html").select_one("li.correction-item")
    assert "Ditarik: angka ini tidak lagi ditampilkan." in text_of(item)


def test_warnings_name_file_and_line(repo: Path, capsys):
    append(repo / "data" / "sources.yaml", TABLE_SOURCE)
    append(
        repo / COVERAGE,
        "17.06,2023,150000,,,99.00,,contoh-tabel-2024\n"  # back-filled; population -25 %
        "16.73,2019-06,100000,101000,,101.00,,contoh-tabel-2024\n",  # over 100 %
    )
    code, out = diff(repo, capsys, "--base", "main")
    assert code == 0
    warnings = out.split("Warnings (look at these)")[1].splitlines()[1:]
    assert (
        f"  {COVERAGE}:5: Kab. Mukomuko, 2023: dated before the region's newest figure "
        "(2024): back-filling" in warnings
    )
    assert any(
        w.startswith(f"  {COVERAGE}:5: ")
        and "population moves more than 10 % from 150.000 (2023) to 201.227 (2024)" in w
        for w in warnings
    )
    assert (
        f"  {COVERAGE}:6: Kota Lubuk Linggau, Jun 2019: coverage over 100 % (101,00 %)" in warnings
    )
    assert any(
        w.startswith(f"  {COVERAGE}:6: ")
        and "coverage jumps more than 10 points from 70 % (Jun 2018)" in w
        for w in warnings
    )
    excerpt = next(w for w in warnings if w.startswith(f"  {COVERAGE}:6: ") and "excerpt" in w)
    assert excerpt.endswith(
        "the excerpt of source 'contoh-tabel-2024' does not contain 101,00, 100.000, 101.000; "
        "check them where its excerpt_note says: tabel halaman 4"
    )


def test_a_percentage_printed_with_a_decimal_point_is_in_the_excerpt(repo: Path, capsys):
    """Kab. Jember 69,6 % per 31 Dec 2023, from an excerpt that prints "69.6%": no warning."""
    append(
        repo / "data" / "sources.yaml",
        "contoh-jember-2023:\n  title: Contoh daftar nasional\n"
        "  excerpt: Kabupaten Jember 69.6%, per 31 Desember 2023.\n",
    )
    append(repo / COVERAGE, "35.09,2023-12-31,,,,69.6,,contoh-jember-2023\n")
    code, out = diff(repo, capsys, "--base", "main")
    assert code == 0, out
    assert "Kab. Jember, 31 Des 2023: coverage_pct 69,6 %" in out
    assert "excerpt" not in out


def test_invalid_data_fails_with_its_errors(repo: Path, capsys):
    append(repo / COVERAGE, "73.13,2021-12,,,,96,10,,upeks-wajo-2020\n")
    code = main(["diff", "--data", str(repo / "data"), "--base", "main"])
    assert code == 1
    assert "data/coverage/berita-awal.csv:5" in capsys.readouterr().err


def test_unknown_base_is_an_error(repo: Path, capsys):
    code = main(["diff", "--data", str(repo / "data"), "--base", "no-such-ref"])
    assert code == 2
    assert "no-such-ref" in capsys.readouterr().err


def test_make_diff_passes_base_and_format():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ndiff:", 1)[1].split("\n\n", 1)[0]
    assert "uhc_portal diff" in recipe
    assert "$(if $(BASE), --base $(BASE))" in recipe
    assert "$(if $(FORMAT), --format $(FORMAT))" in recipe


# corrections.yaml validation -----------------------------------------------------------------


def errors_of(data: Path) -> list[tuple[str, int, str, str]]:

    from uhc_portal.dataset import load_dataset

    with pytest.raises(DataErrors) as caught:
        load_dataset(data, TODAY)
    return [(e.file, e.line, e.field, e.kind) for e in caught.value.errors]


def test_corrections_are_checked_with_file_line_and_field(tmp_path: Path):
    data = tmp_path / "data"
    seed_data(data)
    (data / "corrections.yaml").write_text(
        "corrections:\n"
        '  - region: "73.13"\n'
        '    as_of: "2020-09"\n'
        "    was: {coverage_pct: 80.00, source: upeks-wajo-2020}\n"
        "    now: {coverage_pct: 82.70, source: upeks-wajo-2020}\n"
        '    date: "2026-11-20"\n'
        "    reason: Salah ketik.\n"
        "    source: upeks-wajo-2020\n"
        '  - region: "73.99"\n'
        "    as_of: 2020-09\n"
        "    was: {participants: 311.536, source: x}\n"
        '    date: "2027-01-01"\n'
        "    source: tidak-ada\n",
        encoding="utf-8",
    )
    assert errors_of(data) == [
        ("data/corrections.yaml", 2, "now", "correction-mismatch"),
        ("data/corrections.yaml", 9, "corrections[1].now", "missing-field"),
        ("data/corrections.yaml", 9, "corrections[1].reason", "missing-field"),
        ("data/corrections.yaml", 9, "corrections[1].region", "unknown-region"),
        ("data/corrections.yaml", 11, "corrections[1].was.participants", "not-whole-number"),
        ("data/corrections.yaml", 12, "corrections[1].date", "future-date"),
        ("data/corrections.yaml", 13, "corrections[1].source", "unknown-source"),
    ]


def test_initial_corrections_file_is_valid_and_empty():

    from uhc_portal.dataset import load_dataset

    dataset = load_dataset(ROOT / "data", REAL_TODAY)
    assert dataset.corrections == ()
    figures = {(s.region_code, s.as_of.iso, s.coverage_pct.amount) for s in dataset.snapshots}
    assert ("73.13", "2020-09", 82.77) in figures


# "Sunting data" and "Laporkan kesalahan" --------------------------------------------------------


def test_fix_links_only_when_the_repository_is_set(tmp_path: Path):
    plain = build(make_project(tmp_path / "plain"))
    page = soup(plain / "wilayah" / "73.13" / "index.html")
    assert not [a for a in page.find_all("a") if "github.com" in a.get("href", "")]
    assert not page.select(".fix")

    linked = build(
        make_project(tmp_path / "linked"), UHC_REPOSITORY="pantau-uhc/portal", UHC_BRANCH="main"
    )
    page = soup(linked / "wilayah" / "73.13" / "index.html")
    row = page.select_one("tr#angka-2020-09")
    edit, report = row.select(".fix a")
    assert text_of(edit) == "Sunting data"
    assert edit["href"] == (
        "https://github.com/pantau-uhc/portal/edit/main/data/coverage/contoh.csv#L2"
    )
    assert text_of(report) == "Laporkan kesalahan"
    assert edit["aria-label"] == "Sunting data: Kabupaten Wajo, September 2020"
    address = urlsplit(report["href"])
    assert (address.netloc, address.path) == ("github.com", "/pantau-uhc/portal/issues/new")
    query = parse_qs(address.query)
    assert query["template"] == ["laporan-angka.yml"]
    assert query["title"] == ["Laporan angka: Kabupaten Wajo, September 2020"]
    assert query["wilayah"] == ["Kabupaten Wajo (73.13)"]
    assert query["halaman"] == ["/wilayah/73.13/#angka-2020-09"]
    assert query["angka"][0].startswith("cakupan 82,77\u00a0%, peserta 311.536, penduduk 376.386")
    assert "data/coverage/contoh.csv:2" in query["angka"][0]

    source = page.select_one("li#sumber-wajo-2020")
    edit, report = source.select(".fix a")
    assert edit["href"] == "https://github.com/pantau-uhc/portal/edit/main/data/sources.yaml#L1"
    assert parse_qs(urlsplit(report["href"]).query)["halaman"] == [
        "/wilayah/73.13/#sumber-wajo-2020"
    ]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("UHC_REPOSITORY", "pantau-uhc"),
        ("UHC_REPOSITORY", "https://github.com/a/b"),
        ("UHC_REPOSITORY", "a/b c"),
        ("UHC_BRANCH", "-x"),
        ("UHC_BRANCH", "a..b"),
        ("UHC_BRANCH", ""),
    ],
)
def test_repository_settings_are_checked(key: str, value: str):
    from uhc_portal.settings import SettingsError, check_settings

    settings = {"PATH": str(ROOT / "content"), "JINJA_ENVIRONMENT": {"autoescape": True}}
    with pytest.raises(SettingsError, match=f"Invalid '{key}' value: {re.escape(repr(value))}"):
        check_settings({**settings, key: value})


JINJA_ROWS_WITH_EXTRAS = """{% for h, hs, cited in rows %}
<tr id="angka-{{ hs.as_of.iso }}">
  <td data-label="{{ l[0] }}">{{ hs.as_of|tanggal }}{{ extras.note(hs) }}</td>
  <td class="num" data-label="{{ l[1] }}">{{ hs.population|number }}</td>
  <td class="num" data-label="{{ l[2] }}">{{ hs.participants|number }}</td>
  <td class="num" data-label="{{ l[3] }}">{{ hs.active_participants|number }}</td>
  <td class="num" data-label="{{ l[4] }}">{{ hs|pct }}</td>
  <td class="num" data-label="{{ l[5] }}">{{ hs.not_enrolled|number }}</td>
  <td data-label="{{ l[6] }}">{{ h|badge }}{% if h.rule %}<br><span class="meta">\
{{ h.rule|threshold }}</span>{% endif %}</td>
  <td data-label="{{ l[7] }}"><a href="#sumber-{{ hs.source_id }}">\
{{ cited.publisher or cited.title }}</a>{{ extras.row_links(hs) }}</td>
</tr>
{% endfor %}"""


def test_figure_rows_with_corrections_and_links_write_what_a_loop_would(tmp_path: Path):
    """figure_rows with its extras: the same bytes as the Jinja loop, hostile text escaped."""

    import jinja2
    from conftest import SITE_DATA
    from uhc_portal.dataset import load_dataset
    from uhc_portal.filters import FILTERS
    from uhc_portal.fixlinks import FixLinks
    from uhc_portal.markup import HTML_FILTERS, FigureExtras, figure_rows
    from uhc_portal.views import build_site

    data = tmp_path / "data"
    shutil.copytree(SITE_DATA, data)
    (data / "corrections.yaml").write_text(
        "corrections:\n"
        '  - region: "73.13"\n    as_of: "2020-09"\n'
        "    was: {coverage_pct: 80.1, source: wajo-2020}\n"
        "    now: {population: 376386, participants: 311536, coverage_pct: 82.77, "
        "source: wajo-2020}\n"
        '    date: "2026-11-20"\n    reason: "<script>x</script> & salah"\n    source: wajo-2020\n',
        encoding="utf-8",
    )
    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(FILTERS)
    env.filters.update(HTML_FILTERS)
    loop = env.from_string(JINJA_ROWS_WITH_EXTRAS)
    labels = ["Per", "Penduduk", "Peserta", "Aktif", "Cakupan", "Belum", "Status", "Sumber"]
    site = build_site(load_dataset(data, TODAY))
    page = site.regions["73.13"]
    for links in (None, FixLinks("o/n", "main")):
        extras = FigureExtras(page.code, "<b>Wajo</b>", page.corrections, links, "../..", "")
        written = str(figure_rows(page.figures, labels, extras))
        assert written == loop.render(rows=page.figures, l=labels, extras=extras)
        assert "&lt;script&gt;x&lt;/script&gt; &amp; salah" in written
        assert ("Sunting data" in written) == (links is not None)


def test_the_data_guides_correction_example_validates(tmp_path: Path):
    """The example a steward copies from /panduan-data/ is accepted once the row it describes
    is changed, and refused while the data still prints the old figure."""

    from uhc_portal.dataset import load_dataset

    guide = (ROOT / "content" / "pages" / "panduan-data.md").read_text(encoding="utf-8")
    block = guide.split("## Koreksi: `data/corrections.yaml`", 1)[1].split("\n\n")[2]
    example = "\n".join(line.removeprefix("    ") for line in block.splitlines()) + "\n"
    data = tmp_path / "data"
    seed_data(data)
    add_watampone_2021(data)
    (data / "corrections.yaml").write_text(example, encoding="utf-8")
    assert errors_of(data) == [("data/corrections.yaml", 2, "now", "correction-mismatch")]
    replace_line(data / "coverage" / "berita-awal.csv", SEP_2020, SEP_2020_FIXED)
    (correction,) = load_dataset(data, TODAY).corrections
    assert (correction.was.coverage_pct, correction.now.coverage_pct) == (82.77, 82.80)
    assert correction.now.pct_decimals == 2, "82.80 keeps the decimals it was typed with"


def test_new_forum_its_commitment_and_a_changed_source(repo: Path, capsys):
    (repo / "data" / "forums" / "2021-03-01-wajo-rapat.yaml").write_text(
        'date: "2021-03-01"\nregions: ["73.13"]\ntitle: Rapat percepatan UHC Wajo\nkind: rapat\n'
        "commitments:\n"
        '  - deadline: "2020-12"\n    target_pct: 90\n    committed_by: Sekretaris Daerah\n'
        "sources: [upeks-wajo-2020]\n",
        encoding="utf-8",
    )
    sources = repo / "data" / "sources.yaml"
    replace_line(sources, "publisher: Upeks.co.id (dari Jamkesnews)", "publisher: Upeks.co.id")
    code, out = diff(repo, capsys, "--base", "main")
    assert code == 0
    lines = out.splitlines()
    assert (
        "  new forum '2021-03-01-wajo-rapat': Rapat percepatan UHC Wajo "
        "(data/forums/2021-03-01-wajo-rapat.yaml)" in lines
    )
    assert (
        "  new: Kab. Wajo, commitment 1 of '2021-03-01-wajo-rapat' (deadline Des 2020): open "
        "(data/forums/2021-03-01-wajo-rapat.yaml)" in lines
    )
    assert "  changed source 'upeks-wajo-2020': publisher (data/sources.yaml:5)" in lines
    assert not any(line.startswith("  outcome:") for line in lines), "no figure changed"


def test_make_diff_in_a_fresh_clone(tmp_path: Path):
    """As the issue asks: clone, add the Wajo row for December 2021, `make diff`; then change
    the September 2020 figure and `make diff` fails with the entry to add. (VENV points make at
    this test's environment instead of installing one in the clone; BASE=HEAD because a CI
    checkout has no main branch for the clone to see.)"""
    import os
    import sys

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    add_watampone_2021(clone / "data")
    append(clone / COVERAGE, WAJO_DEC_2021)
    venv = Path(sys.executable).parent.parent
    if not (venv / ".installed").is_file():
        pytest.skip("not run from the Makefile's environment (make test)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    # the clone's requirements.txt is newer than this venv's stamp: make would install into
    # this venv again and point its uhc-portal.pth at the clone, which is deleted after the test
    os.utime(clone / "requirements.txt", (0, 0))

    def make_diff() -> subprocess.CompletedProcess:
        return subprocess.run(
            ["make", "--silent", "diff", f"VENV={venv}", "BASE=HEAD"],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
        )

    done = make_diff()
    assert done.returncode == 0, done.stderr
    assert f"  {WAJO_LINE}" in done.stdout.splitlines()
    replace_line(clone / COVERAGE, SEP_2020, SEP_2020_FIXED)
    done = make_diff()
    assert done.returncode != 0
    assert f"  {COVERAGE}:2: Kab. Wajo, Sep 2020: a published figure was changed" in done.stdout
    assert '  - region: "73.13"\n    as_of: "2020-09"\n' in done.stdout


def test_province_figures_show_their_corrections_and_fix_links(project: Path):
    """A province's own figures are corrected and fixed like a regency's."""
    append(
        project / "data" / "sources.yaml",
        "contoh-sulsel-2020:\n  title: Contoh rekap provinsi\n"
        "  excerpt: Peserta 8.300.000 dari 9.100.000 penduduk (91,21 %).\n",
    )
    append(
        project / "data" / "coverage" / "contoh.csv",
        "73,2020-09,9100000,8300000,,91.21,,contoh-sulsel-2020\n",
    )
    (project / "data" / "corrections.yaml").write_text(
        'corrections:\n  - region: "73"\n    as_of: "2020-09"\n'
        "    was: {population: 9100000, participants: 8200000, coverage_pct: 90.11, "
        "source: contoh-sulsel-2020}\n"
        "    now: {population: 9100000, participants: 8300000, coverage_pct: 91.21, "
        "source: contoh-sulsel-2020}\n"
        '    date: "2026-11-20"\n    reason: Rekap provinsi diperbarui.\n    source: wajo-2020\n',
        encoding="utf-8",
    )
    site = build(project, UHC_REPOSITORY="pantau-uhc/portal")
    item = soup(site / "wilayah" / "73" / "index.html").find("li", id="angka-2020-09")
    assert text_of(item.select_one(".correction")).startswith(
        "dikoreksi pada 20 November 2026, sebelumnya cakupan 90,11 %, peserta 8.200.000, "
        "alasan: Rekap provinsi diperbarui."
    )
    edit = item.select_one(".fix a")
    assert (
        edit["href"] == "https://github.com/pantau-uhc/portal/edit/main/data/coverage/contoh.csv#L6"
    )
    listing = soup(site / "koreksi" / "index.html").select_one("li.correction-item")
    assert listing.a["href"] == "../wilayah/73/#angka-2020-09"
