"""The baselines `make bench` compares the portal with: a plain Pelican site (Pelican's own
`simple` theme) with one Markdown page (text and a figures table) per page of the portal build,
each calibrated with Python-Markdown to the same HTML size as its portal page, and the same
pages built by Hugo (hugo.py). Both sites' pages are written in one pass."""

from __future__ import annotations

import functools
import shutil
import sys
from pathlib import Path

from . import hugo
from .measure import Result, measure

BASELINE_SETTINGS = """\
# make bench baseline: a plain Pelican site with Pelican's own `simple` theme.
AUTHOR = "Pantau UHC bench"
SITENAME = "Baseline"
SITEURL = ""
PATH = "content"
THEME = {theme!r}
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "id"
RELATIVE_URLS = True
ARTICLE_PATHS = []
PAGE_PATHS = ["pages"]
PAGE_URL = "{{slug}}/"
PAGE_SAVE_AS = "{{slug}}/index.html"
DIRECT_TEMPLATES = ["index"]
DISPLAY_PAGES_ON_MENU = False  # else every page lists all 2,559: quadratic, unlike the portal
DISPLAY_CATEGORIES_ON_MENU = False
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""
WORD_LIST = (
    "cakupan",
    "peserta",
    "jaminan",
    "kesehatan",
    "nasional",
    "wilayah",
    "penduduk",
    "sumber",
    "angka",
    "terdaftar",
    "aktif",
    "aturan",
    "tanggal",
    "status",
)
THEME_CHROME = 820  # bytes Pelican 4.12's simple theme puts around a page's body (measured)
TABLE_HEAD = [
    "| Per | Penduduk | Peserta | Cakupan | Belum terdaftar | Status |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
]


def table_row(row: int) -> str:
    line = (
        f"| {2016 + row // 12}-{1 + row % 12:02d} | {1_000_000 + 37 * row:,} | "
        f"{900_000 + 31 * row:,} | {90 + (row % 100) / 100:.2f} % | "
        f"{100_000 + 6 * row:,} | {'Sudah UHC' if row % 3 else 'Belum UHC'} |"
    )
    return line.replace(",", ".")


@functools.cache
def markdown_parser():  # one parser, reset per text: building one costs as much as converting
    import markdown

    return markdown.Markdown(extensions=["markdown.extensions.extra"])


def html_size(text: str) -> int:
    return len(markdown_parser().reset().convert(text).encode())


@functools.cache
def table_sizes() -> tuple[int, float]:
    """HTML bytes of a one-row table, and of each further row, as Pelican's Markdown makes them."""
    one = html_size("\n".join([*TABLE_HEAD, table_row(0)]))
    many = html_size("\n".join([*TABLE_HEAD, *(table_row(r) for r in range(101))]))
    return one, (many - one) / 100


def markdown_page(index: int, target: int) -> str:
    """A Markdown page whose HTML is about `target` bytes: text, then a figures table."""
    words = " ".join(WORD_LIST[(index + k) % len(WORD_LIST)] for k in range(60))
    text = (
        f"Halaman pembanding nomor {index}: *Markdown* biasa dengan **tabel** angka.\n\n{words}\n\n"
    )
    room = target - THEME_CHROME - html_size(text)
    first, per_row = table_sizes()
    if room < first:
        return text
    rows = 1 + round((room - first) / per_row)
    return text + "\n".join([*TABLE_HEAD, *(table_row(r) for r in range(rows))]) + "\n"


def make_baselines(where: Path, sizes: list[int], with_hugo: bool) -> tuple[Path, Path | None]:
    """One Markdown page per page of the portal build, each of about the same HTML size, written
    once for Pelican (where/baseline) and, with_hugo, the same text for Hugo (where/hugo)."""
    import pelican

    theme = Path(pelican.__file__).parent / "themes" / "simple"
    pelican_site = where / "baseline"
    (pelican_site / "content" / "pages").mkdir(parents=True)
    (pelican_site / "pelicanconf.py").write_text(BASELINE_SETTINGS.format(theme=str(theme)))
    hugo_site = hugo.write_site(where / "hugo") if with_hugo else None
    for index, size in enumerate(sizes[1:]):  # the site's own index.html is the first page
        title, slug = f"Halaman pembanding {index}", f"halaman-{index:05d}"
        body = markdown_page(index, size)
        (pelican_site / "content" / "pages" / f"{slug}.md").write_text(
            f"Title: {title}\nSlug: {slug}\n\n{body}", encoding="utf-8"
        )
        if hugo_site is not None:
            (hugo_site / "content" / f"{slug}.md").write_text(
                hugo.page_text(title, slug, body), encoding="utf-8"
            )
    return pelican_site, hugo_site


def build_baseline(project: Path, logs: Path) -> Result:
    output = project / "output"
    shutil.rmtree(output, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "pelican",
        str(project / "content"),
        "-s",
        str(project / "pelicanconf.py"),
        "-o",
        str(output),
    ]
    return measure("baseline", command, project, output, logs / "baseline.log")


def build_hugo(site: Path, logs: Path, binary: str) -> Result:
    """One cold `hugo` run into a fresh output folder: Hugo's build of the same pages."""
    output = site / "public"
    shutil.rmtree(output, ignore_errors=True)
    return measure("hugo", hugo.command(binary, site, output), site, output, logs / "hugo.log")
