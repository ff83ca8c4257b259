"""schema.org `Dataset` records (JSON-LD) that dataset search engines read from the pages: a
region page's figures, and every figure on the data page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import urls
from .data_tables import TABLES
from .datapackage import DATA_FOLDER
from .i18n import _
from .model import PartialDate
from .views import RegionPage


def dataset_record(
    name: str,
    description: str,
    url: str,
    downloads_: list[tuple[str, str]],
    siteurl: str,
    first: PartialDate | None = None,
    last: PartialDate | None = None,
    place: str | None = None,
    based_on: Iterable[str] = (),
) -> dict[str, Any]:
    """A schema.org Dataset (JSON-LD) as dataset search engines read it; `downloads_` are
    (address, media type) pairs."""
    record: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": name,
        "description": description,
        "url": url,
        "inLanguage": "id",
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": "Pantau UHC", "url": f"{siteurl}/"},
        "distribution": [
            {"@type": "DataDownload", "contentUrl": address, "encodingFormat": kind}
            for address, kind in downloads_
        ],
    }
    if first and last:
        record["temporalCoverage"] = f"{first.iso}/{last.iso}" if first != last else first.iso
    if place:
        record["spatialCoverage"] = {"@type": "Place", "name": place}
    based = sorted(set(based_on))
    if based:
        record["isBasedOn"] = based
    return record


def region_record(page: RegionPage, siteurl: str) -> dict[str, Any] | None:
    """The Dataset of a region page's figures; None for a region without any."""
    history = page.history
    if not history:
        return None
    url = f"{siteurl}/{urls.region(page.code)}"
    return dataset_record(
        _("Cakupan kepesertaan JKN %(r)s") % {"r": page.name},
        _(
            "Angka cakupan kepesertaan JKN %(r)s (kode Kemendagri %(c)s) menurut tanggal, "
            "masing-masing dengan sumbernya, asalnya (dicetak sumber atau dihitung) dan status "
            "UHC menurut aturan yang berlaku pada tanggalnya."
        )
        % {"r": page.name, "c": page.code},
        url,
        [(f"{url}cakupan-{page.code}.csv", "text/csv")],
        siteurl,
        history[0].snapshot.as_of,
        history[-1].snapshot.as_of,
        f"{page.name}, {page.province.name}, Indonesia",
        (source.url for source in page.sources.values() if source.url),
    )


def site_record(
    first: PartialDate | None, last: PartialDate | None, siteurl: str
) -> dict[str, Any]:
    """The Dataset of every figure, for the data page."""
    folder = f"{siteurl}/{DATA_FOLDER}/"
    return dataset_record(
        _("Pantau UHC: cakupan kepesertaan JKN kabupaten/kota di Indonesia"),
        _(
            "Setiap angka cakupan kepesertaan JKN kabupaten/kota dan provinsi di Indonesia yang "
            "dihimpun Pantau UHC, dengan tanggal, sumber, asal (dicetak sumber atau dihitung) "
            "dan status UHC menurut aturan yang berlaku pada tanggalnya."
        ),
        folder,
        [(f"{folder}cakupan.csv", "text/csv"), (f"{folder}cakupan.json", "application/json")]
        + [(f"{folder}{t.file}", "text/csv") for t in TABLES if t.name != "cakupan"],
        siteurl,
        first,
        last,
        "Indonesia",
    )
