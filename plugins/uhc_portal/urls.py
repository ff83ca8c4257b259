"""The site's layout: where each page and file is written, and so its address. The one module
that spells the folders out (Pelican's `*_URL`/`*_SAVE_AS` idea, one function per output); the
generator, the feeds, the data package, the sitemap and the incremental build ask it, and the
templates have it as `urls` (`{{ SITEURL }}/{{ urls.region(code) }}`).

A page's address is below the site's root (SITEURL or the language's folder in front), ends in
`/` (`wilayah/73.13/`; the home page's is ``) and its file is the address and `index.html`
(`save_as`). A file's address is its name below the root (`wilayah/73.13/atom.xml`).

Every file also belongs to a *unit*, the page group incremental.py keeps or renders whole:
a regency's or a province's folder (`region_unit`), a forum's (`forum_unit`), or the national
rest (`NATIONAL`); `unit(path)` gives the unit of a file by its name.
"""

from __future__ import annotations

REGIONS = "wilayah"  # the folder of the directory, every province and every regency
FORUMS = "forum"  # the folder of the forum list and every forum
NATIONAL = "national"  # the unit of every file outside a region's or a forum's folder
INDEX = "index.html"


def save_as(address: str) -> str:
    """The file a page is written to: `wilayah/73.13/` → `wilayah/73.13/index.html`."""
    return address + INDEX


def page_path(output_file: str) -> str:
    """A page's address from the file it is written to (save_as's inverse):
    `wilayah/73.13/index.html` → `wilayah/73.13/`, `index.html` → ``, `404.html` → `404.html`."""
    if output_file == INDEX:
        return ""
    if output_file.endswith("/" + INDEX):
        return output_file[: -len(INDEX)]
    return output_file


# National pages and files.


def home() -> str:
    return ""


def charts() -> str:
    """The interactive chart page."""
    return "grafik/"


def vega_bundle() -> str:
    """Vega and Vega-Lite for the interactive chart page, in one file."""
    return charts() + "vega-bundle.js"


def corrections() -> str:
    return "koreksi/"


def corrections_feed() -> str:
    return "koreksi/atom.xml"


def national_feed() -> str:
    """Every new figure and correction."""
    return "pembaruan/atom.xml"


def data() -> str:
    """The page listing every download."""
    return "data/"


def directory() -> str:
    """The A–Z list of every region (and the search page)."""
    return f"{REGIONS}/"


def latest_csv() -> str:
    """The latest figure of every region."""
    return f"{REGIONS}/cakupan-terbaru.csv"


# A province's or a regency's folder.


def region(code: str) -> str:
    """A province's or a regency's page."""
    return f"{REGIONS}/{code}/"


def figure(code: str, anchor: str) -> str:
    """A figure's row on its region's page: `wilayah/73.13/#angka-2020-09`."""
    return f"{region(code)}#{anchor}"


def region_embed(code: str) -> str:
    """A regency's chart and latest figure, for an iframe on another site."""
    return region(code) + "sematkan/"


def region_csv(code: str) -> str:
    """A regency's figures or a province's table, as CSV."""
    return f"{region(code)}cakupan-{code}.csv"


def region_feed(code: str) -> str:
    """A regency's new figures and corrections, as Atom."""
    return region(code) + "atom.xml"


def region_bibtex(code: str) -> str:
    return f"{region(code)}kutipan-{code}.bib"


def region_csl(code: str) -> str:
    """A regency's figures cited as CSL-JSON."""
    return f"{region(code)}kutipan-{code}.json"


def chart_folder(code: str) -> str:
    """The folder a province's or a regency's chart files go in (no trailing `/`)."""
    return f"{REGIONS}/{code}"


# Forums.


def forums() -> str:
    """The list of forums."""
    return f"{FORUMS}/"


def forums_feed() -> str:
    return f"{FORUMS}/atom.xml"


def forum(slug: str) -> str:
    return f"{FORUMS}/{slug}/"


# Units.


def region_unit(code: str) -> str:
    """The unit of a province's or a regency's folder."""
    return f"{REGIONS}:{code}"


def forum_unit(slug: str) -> str:
    """The unit of a forum's folder."""
    return f"{FORUMS}:{slug}"


def unit(path: str) -> str:
    """The unit a file belongs to, by its name below the run folder: the folder of a region
    or a forum it is in, else NATIONAL (the directory and the forum list are national)."""
    parts = path.split("/")
    if len(parts) > 2 and parts[0] == REGIONS:
        return region_unit(parts[1])
    if len(parts) > 2 and parts[0] == FORUMS:
        return forum_unit(parts[1])
    return NATIONAL
