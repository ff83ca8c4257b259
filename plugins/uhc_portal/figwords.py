"""What the figure diff says of figures in words, and what it warns of in the head's figures: a
coverage that jumps, a population that moves, sources that disagree on the same date, an
excerpt that does not print the numbers given. figdiff.py compares the two versions of data/;
this module puts what it finds into words.
"""

from __future__ import annotations

from .coverage import Figure
from .disagreement import reason
from .excerpts import absent_numbers
from .filters import angka, persen, tanggal_singkat
from .i18n import M_
from .model import (
    Dataset,
    FigureValues,
    PartialDate,
    Snapshot,
)
from .status import Assessment
from .views import status_words

POPULATION_MOVE = 0.10  # a population that moves more than 10 % between consecutive figures
COVERAGE_JUMP = 10.0  # coverage that moves more than 10 points
FIELDS = ("population", "participants", "active_participants", "coverage_pct", "not_enrolled")


def short_name(name: str) -> str:
    """'Kabupaten Wajo' → 'Kab. Wajo'; cities and provinces as they are."""
    return "Kab. " + name[len("Kabupaten ") :] if name.startswith("Kabupaten ") else name


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def pct_text(amount: float | None, decimals: int = 2) -> str:
    return plain(persen(amount, decimals))


def status_text(a: Assessment | None) -> str:
    """'Belum UHC (82,77 %, Sep 2020)'; a region at UHC reads 'UHC (…)'."""
    if a is None:
        return status_words(None)[0]
    words = "UHC" if a.verdict == "meets" else status_words(a)[0]
    s = a.snapshot
    figure = pct_text(s.coverage_pct.amount, s.pct_decimals) if s.coverage_pct.known else "–"
    return f"{words} ({figure}, {tanggal_singkat(s.as_of)})"


def value_text(values: FigureValues, name: str) -> str:
    if name == "source":
        return values.source_id
    amount = getattr(values, name)
    if amount is None:
        return "–"
    if name == "coverage_pct":
        return pct_text(amount, values.pct_decimals)
    return plain(angka(amount))


def values_text(values: FigureValues) -> str:
    shown = [f"{n} {value_text(values, n)}" for n in FIELDS if getattr(values, n) is not None]
    return ", ".join([*shown, M_("sumber %(s)s") % {"s": values.source_id}])


def figure_name(dataset: Dataset, code: str, as_of: PartialDate) -> str:
    return f"{short_name(dataset.region_name(code))}, {tanggal_singkat(as_of)}"


def other_values(store, code: str) -> dict[tuple[PartialDate, str], Figure]:
    """The other sources' figures of a region (beside the figure of each date), by date and
    source."""
    if code not in store:
        return {}
    return {(f.as_of, f.source_id): f for f in store.other_figures(code)}


def disagreement_warnings(
    head: Dataset,
    code: str,
    shown: dict[PartialDate, Figure],
    old_others: dict[tuple[PartialDate, str], Figure],
    new_others: dict[tuple[PartialDate, str], Figure],
) -> list[tuple[str, int, str]]:
    """A second source for a region and date that had one (or a changed one): both are kept,
    one is shown; say which and why, so that the reviewer checks the choice."""
    warnings = []
    for (as_of, source_id), other in sorted(
        new_others.items(), key=lambda item: (item[0][0].sort_key(), item[0][1])
    ):
        was = old_others.get((as_of, source_id))
        if was is not None and was.values == other.values:
            continue
        figure = shown[as_of]
        why = reason(figure, other, head.sources)
        warnings.append(
            (
                other.file,
                other.line,
                f"{figure_name(head, code, as_of)}: sources disagree: {values_text(other.values)} "
                f"is kept beside the figure shown, {values_text(figure.values)} "
                f"({figure.file}:{figure.line}), chosen by the rule ({why}); "
                "write preferred: ya on the row to show instead",
            )
        )
    return warnings


def figure_warnings(
    head: Dataset, code: str, snapshots: tuple[Snapshot, ...], figures: list[Figure]
) -> list[tuple[str, int, str]]:
    """What a reviewer must look at in a region's new or changed figures."""
    found: list[tuple[str, int, str]] = []
    dates = {f.as_of for f in figures}
    for index, s in enumerate(snapshots):
        if s.as_of not in dates:
            continue
        name = figure_name(head, code, s.as_of)
        here = (s.file, s.line)
        if s.over_100:
            found.append(
                (
                    *here,
                    M_("%(n)s: cakupan di atas 100 %% (%(p)s)")
                    % {"n": name, "p": pct_text(s.coverage_pct.amount, s.pct_decimals)},
                )
            )
        for other in neighbours(snapshots, index, lambda x: x.population.known):
            early, late = sorted((other, s), key=lambda x: x.as_of.sort_key())
            a, b = early.population.amount, late.population.amount
            if a and abs(b - a) / a > POPULATION_MOVE:
                found.append(
                    (
                        *here,
                        M_("%(n)s: jumlah penduduk berubah lebih dari 10 %% %(b)s")
                        % {
                            "n": name,
                            "b": between(
                                early,
                                late,
                                plain(angka(early.population)),
                                plain(angka(late.population)),
                            ),
                        },
                    )
                )
        for other in neighbours(snapshots, index, lambda x: x.coverage_pct.known):
            early, late = sorted((other, s), key=lambda x: x.as_of.sort_key())
            a, b = early.coverage_pct.amount, late.coverage_pct.amount
            if abs(b - a) > COVERAGE_JUMP:
                found.append(
                    (
                        *here,
                        (
                            M_("%(n)s: cakupan naik lebih dari 10 poin %(b)s")
                            if b > a
                            else M_("%(n)s: cakupan turun lebih dari 10 poin %(b)s")
                        )
                        % {
                            "n": name,
                            "b": between(
                                early,
                                late,
                                pct_text(a, early.pct_decimals),
                                pct_text(b, late.pct_decimals),
                            ),
                        },
                    )
                )
    return found


def between(early: Snapshot, late: Snapshot, before: str, after: str) -> str:
    said = M_("dari %(a)s (%(d)s) ke %(b)s (%(e)s)")
    return said % {
        "a": before,
        "d": tanggal_singkat(early.as_of),
        "b": after,
        "e": tanggal_singkat(late.as_of),
    }


def neighbours(snapshots: tuple[Snapshot, ...], index: int, counts) -> list[Snapshot]:
    """The nearest figure before and after `index` for which `counts` is true (if it is for
    the figure itself)."""
    if not counts(snapshots[index]):
        return []
    before = next((s for s in reversed(snapshots[:index]) if counts(s)), None)
    after = next((s for s in snapshots[index + 1 :] if counts(s)), None)
    return [s for s in (before, after) if s is not None]


def excerpt_warnings(head: Dataset, figures: list[Figure]) -> list[tuple[str, int, str]]:
    """Numbers a new or changed figure printed that its source's excerpt does not: validation
    lets them through only where an excerpt_note says where they stand, to be read there."""
    found = []
    for f in figures:
        source = head.sources[f.source_id]
        absent = absent_numbers(f.printed, source.excerpt)
        if absent:
            note = source.excerpt_note
            where = M_("; periksa di tempat yang disebut excerpt_note-nya: %(t)s") % {"t": note}
            where = where if note else ""
            found.append(
                (
                    f.file,
                    f.line,
                    M_("%(n)s: kutipan sumber '%(s)s' tidak memuat %(x)s")
                    % {
                        "n": figure_name(head, f.region_code, f.as_of),
                        "s": f.source_id,
                        "x": ", ".join(n.text for n in absent),
                    }
                    + where,
                )
            )
    return found
