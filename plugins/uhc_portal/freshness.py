"""How old a region's newest figure is at the data's date, and whether it is old enough
(UHC_STALE_MONTHS) to be marked "angka lama" beside its status.

The data's date is the newest day a steward read a source (`accessed` in sources.yaml), else the
newest figure's: an input, never the build's clock, so the same data gives the same pages on any
day. An old figure keeps its status: the mark says how far back the status speaks, it never
changes it. Age is counted from the last day a figure speaks for ("per Desember 2019" from
31 December 2019), in whole calendar months.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .filters import tanggal_singkat
from .i18n import _
from .model import PartialDate, Source


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from `earlier` to `later`: 31 Dec 2019 → 6 Dec 2026 is 83."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    last_day = calendar.monthrange(later.year, later.month)[1]
    if later.day < min(earlier.day, last_day):
        months -= 1
    return months


@dataclass(frozen=True, slots=True)
class Age:
    """An old figure's date and how many whole months before the build's date it speaks for."""

    as_of: PartialDate
    months: int


def data_date(sources: Iterable[Source], figures: Iterable[PartialDate]) -> dt.date | None:
    """The newest day a source was read, else the newest day a figure speaks for."""
    accessed = [s.accessed.end for s in sources if s.accessed is not None]
    if accessed:
        return max(accessed)
    return max((f.end for f in figures), default=None)


@dataclass(frozen=True, slots=True)
class Freshness:
    """The data's date and the age (UHC_STALE_MONTHS) past which a figure is old."""

    today: dt.date
    stale_months: int

    def old(self, as_of: PartialDate) -> Age | None:
        """The figure's age when it is older than `stale_months` months, else None."""
        months = months_between(as_of.end, self.today)
        return Age(as_of, months) if months >= self.stale_months else None


def age_words(age: Age) -> str:
    """'6 tahun lalu', 'setahun lalu', '8 bulan lalu' (whole years from twelve months)."""
    years, months = divmod(age.months, 12)
    if years > 1:
        return _("%(n)s tahun lalu") % {"n": years}
    if years == 1:
        return _("setahun lalu")
    if months > 1:
        return _("%(n)s bulan lalu") % {"n": months}
    return _("sebulan lalu")


def old_words(age: Age, locale: str | None = None) -> str:
    """The mark beside an old figure's status: 'angka lama: per Des 2019, 6 tahun lalu'."""
    return _("angka lama: per %(d)s, %(a)s") % {
        "d": tanggal_singkat(age.as_of, locale),
        "a": age_words(age),
    }
