"""The national series (home page) and a province's own series (its page): the region chart's
kind (`wilayah`), with its own file name beside the page it belongs to."""

from __future__ import annotations

import dataclasses

from ..model import Dataset
from ..views import RegionPage
from .common import ChartData
from .region import region_data

NATIONAL_CHART = "grafik-nasional"


def national_data(
    page: RegionPage | None, dataset: Dataset, locale: str = "id"
) -> ChartData | None:
    """Indonesia's own coverage over time, for the home page; None without a national %."""
    data = region_data(page, dataset, locale) if page is not None else None
    return None if data is None else dataclasses.replace(data, name=NATIONAL_CHART, folder="")


def province_series_data(
    page: RegionPage, dataset: Dataset, locale: str = "id"
) -> ChartData | None:
    """A province's own figures over time (not its regencies'), beside its regencies' chart."""
    data = region_data(page, dataset, locale)
    if data is None:
        return None
    return dataclasses.replace(data, name=f"grafik-{page.code}-provinsi")
