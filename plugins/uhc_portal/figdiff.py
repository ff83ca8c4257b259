"""The figure diff: what the public site would show differently between a git ref and the working
tree, grouped for a reviewer (`python -m uhc_portal diff`). Both versions of data/ go through the
normal validation. It fails when a published figure changes or goes without a correction entry.

Same input, same bytes: everything is sorted, and nothing depends on the clock but the refusal
of future dates that validation makes anyway.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import subprocess
import tarfile
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .corrections import flow
from .coverage import Figure
from .dataset import load_dataset
from .errors import DataErrors
from .figwords import (
    FIELDS,
    disagreement_warnings,
    excerpt_warnings,
    figure_name,
    figure_warnings,
    other_values,
    short_name,
    status_text,
    value_text,
    values_text,
)
from .filters import tanggal_singkat
from .i18n import M_, Mn_
from .model import (
    Commitment,
    Correction,
    Dataset,
    Forum,
    PartialDate,
    Source,
)
from .status import Assessment, CommitmentOutcome, judge_commitment
from .views import OUTCOME_WORDS, Histories


class DiffError(Exception):
    """The diff could not be made (a git ref that does not resolve, no data/ at the ref)."""


def git(repo: Path, *args: str) -> bytes:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise DiffError(f"git {' '.join(args)}: {message}")
    return done.stdout


def default_base(repo: Path) -> str:
    """The merge base with main (or origin/main, as in a CI checkout)."""
    for branch in ("main", "origin/main"):
        try:
            return git(repo, "merge-base", "HEAD", branch).decode().strip()
        except DiffError:
            continue
    raise DiffError(M_("tidak ada merge base dengan main atau origin/main; beri --base REF"))


def dataset_at(ref: str, data_dir: Path, today: dt.date) -> tuple[str, Dataset]:
    """The data folder as it was at `ref`, read through the normal validation; and the commit."""
    data_dir = data_dir.resolve()
    repo = Path(git(data_dir, "rev-parse", "--show-toplevel").decode().strip())
    commit = git(repo, "rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}")
    commit_id = commit.decode().strip()
    inside = data_dir.relative_to(repo).as_posix()
    archive = git(repo, "archive", "--format=tar", commit_id, "--", inside)
    with tempfile.TemporaryDirectory(prefix="uhc-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        # the same display names as the working tree: data/coverage/x.csv
        folder = Path(tmp, inside)
        holder = Path(tmp, "root", data_dir.name)
        holder.parent.mkdir()
        folder.rename(holder)
        try:
            return commit_id, load_dataset(holder, today)
        except DataErrors as exc:
            said = M_("data pada %(r)s tidak sah:") % {"r": ref}
            raise DiffError(f"{said}\n{exc.report()}") from None


@dataclass
class MissingCorrection:
    where: str
    what: str
    entry: str


@dataclass
class Report:
    base: str
    status: list[str] = field(default_factory=list)
    new_figures: list[str] = field(default_factory=list)
    changed_figures: list[str] = field(default_factory=list)
    removed_figures: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    forums: list[str] = field(default_factory=list)
    commitments: list[str] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing: list[MissingCorrection] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.missing)

    def sections(self) -> list[tuple[str, list[str]]]:
        return [
            (M_("Status berubah"), self.status),
            (M_("Angka baru"), self.new_figures),
            (M_("Angka diubah"), self.changed_figures),
            (M_("Angka dihapus"), self.removed_figures),
            (M_("Sumber-sumber"), self.sources),
            (M_("Forum-forum"), self.forums),
            (M_("Komitmen"), self.commitments),
            (M_("Koreksi baru"), self.corrections),
            (M_("Peringatan (periksa ini)"), self.warnings),
        ]


def compare(base: Dataset, head: Dataset, base_name: str) -> Report:
    """Everything a reviewer should see, from the two validated datasets."""
    report = Report(base_name)
    changed = compare_figures(base, head, report)
    old_forums = {f.slug: f for f in base.forums}
    new_forums = {f.slug: f for f in head.forums}
    rules_changed = base.rules != head.rules

    def may_change(others: dict[str, Forum]) -> Callable[[Forum, Commitment], bool]:
        """A commitment's outcome can differ only if its forum, its region's figures or the
        rules did: only those are judged (judging means making all of a region's figures)."""
        return lambda forum, c: (
            rules_changed or c.region_code in changed or others.get(forum.slug) != forum
        )

    old, new = version(base, may_change(new_forums)), version(head, may_change(old_forums))
    report.status = status_changes(old, new)
    report.sources = compare_sources(base.sources, head.sources)
    report.forums, report.commitments = compare_forums(old, new)
    known = {c.anchor for c in base.corrections}
    report.corrections = [
        f"{figure_name(head, c.region_code, c.as_of)}: {correction_text(c)} ({c.file}:{c.line})"
        for c in head.corrections
        if c.anchor not in known
    ]
    return report


@dataclass
class Version:
    """One version of the data with what the status lines rest on: each region's newest figure
    judged, and the outcomes of the commitments that may have changed, by (forum, index)."""

    dataset: Dataset
    latest: dict[str, Assessment]
    outcomes: dict[tuple[str, int], CommitmentOutcome]

    def regions_meeting(self) -> dict[str, int]:
        """Per province, how many of its regencies and cities are at UHC; and 'all'."""
        counts: dict[str, int] = {"all": 0}
        for code, regency in self.dataset.regencies.items():
            if verdict(self.latest.get(code)) == "meets":
                counts[regency.province_code] = counts.get(regency.province_code, 0) + 1
                counts["all"] += 1
        return counts


def version(dataset: Dataset, judge: Callable[[Forum, Commitment], bool]) -> Version:
    histories = Histories(dataset)
    store = dataset.snapshots_by_region
    latest = {}
    for code in store:
        newest = store.newest(code)
        if newest is not None:
            latest[code] = histories.judged(newest)
    outcomes = {
        (forum.slug, index): judge_commitment(c, forum, store.get(c.region_code, ()), dataset.rules)
        for forum in dataset.forums
        for index, c in enumerate(forum.commitments)
        if judge(forum, c)
    }
    return Version(dataset, latest, outcomes)


def correction_text(c: Correction) -> str:
    now = M_("ditarik") if c.now is None else values_text(c.now)
    said = M_("dikoreksi %(d)s: semula %(w)s; kini %(n)s")
    return said % {"d": tanggal_singkat(c.date), "w": values_text(c.was), "n": now}


def status_changes(base: Version, head: Version) -> list[str]:
    """Regencies and cities first, then provinces (own figure, and how many of their regions
    are at UHC), then the country."""
    lines: list[str] = []
    for code, regency in sorted(head.dataset.regencies.items()):
        before, after = base.latest.get(code), head.latest.get(code)
        if verdict(before) != verdict(after):
            lines.append(
                f"{short_name(regency.name)}: {status_text(before)} → {status_text(after)}"
            )
    was, now = base.regions_meeting(), head.regions_meeting()
    sizes = Counter(r.province_code for r in head.dataset.regencies.values())
    for code, province in sorted(head.dataset.provinces.items()):
        before, after = base.latest.get(code), head.latest.get(code)
        if verdict(before) != verdict(after):
            lines.append(f"{province.name}: {status_text(before)} → {status_text(after)}")
        if was.get(code, 0) != now.get(code, 0):
            lines.append(at_uhc(province.name, was.get(code, 0), now.get(code, 0), sizes[code]))
    with_data = [sum(1 for c in v.latest if c in v.dataset.regencies) for v in (base, head)]
    if was["all"] != now["all"] or with_data[0] != with_data[1]:
        counted = at_uhc("Indonesia", was["all"], now["all"], len(head.dataset.regencies))
        if with_data[0] != with_data[1]:
            counted += M_("; %(a)s → %(b)s punya angka") % {"a": with_data[0], "b": with_data[1]}
        lines.append(counted)
    return lines


def at_uhc(place: str, before: int, after: int, of: int) -> str:
    said = M_("%(p)s: %(a)s → %(b)s dari %(n)s kabupaten/kota sudah UHC")
    return said % {"p": place, "a": before, "b": after, "n": of}


def verdict(a: Assessment | None) -> str | None:
    return None if a is None else a.verdict


def by_date(figures: Iterable[Figure]) -> dict[PartialDate, Figure]:
    return {f.as_of: f for f in figures}


def compare_figures(base: Dataset, head: Dataset, report: Report) -> set[str]:
    """New, changed and removed figures; warnings on what is new or changed; and the published
    figures changed or removed without a correction. Returns the regions whose figures differ."""
    old_store, new_store = base.snapshots_by_region, head.snapshots_by_region
    corrected = {(c.region_code, c.as_of, c.was) for c in head.corrections}
    touched: dict[str, list[Figure]] = {}  # per region, its new and changed figures
    warnings: list[tuple[str, int, str]] = []
    changed_sources = {i for i, s in head.sources.items() if base.sources.get(i) != s}
    changed: set[str] = set()
    for code in sorted(set(old_store) | set(new_store)):
        old = by_date(old_store.figures(code)) if code in old_store else {}
        new = by_date(new_store.figures(code)) if code in new_store else {}
        old_others = other_values(old_store, code)
        new_others = other_values(new_store, code)
        warnings += disagreement_warnings(head, code, new, old_others, new_others)
        if (
            old_others == new_others
            and old.keys() == new.keys()
            and all(old[d].values == new[d].values for d in old)
            and not any(f.source_id in changed_sources for f in new.values())
        ):
            continue
        changed.add(code)
        newest_before = max((d.sort_key() for d in old), default=None)
        for as_of, f in sorted(new.items(), key=lambda item: item[0].sort_key()):
            name = figure_name(head, code, as_of)
            was = old.get(as_of)
            if was is None:
                report.new_figures.append(f"{name}: {values_text(f.values)} ({f.file}:{f.line})")
                touched.setdefault(code, []).append(f)
                if newest_before is not None and as_of.sort_key() < newest_before:
                    warnings.append(
                        (
                            f.file,
                            f.line,
                            M_(
                                "%(n)s: bertanggal sebelum angka terbaru wilayah ini (%(d)s): "
                                "mengisi ke belakang"
                            )
                            % {"n": name, "d": tanggal_singkat(max(old, key=PartialDate.sort_key))},
                        )
                    )
            elif was.values != f.values:
                changes = "; ".join(
                    f"{n} {value_text(was.values, n)} → {value_text(f.values, n)}"
                    for n in (*FIELDS, "source")
                    if value_text(was.values, n) != value_text(f.values, n)
                )
                report.changed_figures.append(f"{name}: {changes} ({f.file}:{f.line})")
                touched.setdefault(code, []).append(f)
                if (code, as_of, was.values) not in corrected:
                    report.missing.append(missing(head, was, f))
            elif f.source_id in changed_sources:
                touched.setdefault(code, []).append(f)
        for as_of, was in sorted(old.items(), key=lambda item: item[0].sort_key()):
            if as_of not in new:
                name = figure_name(head, code, as_of)
                said = M_("%(n)s: %(v)s (semula %(w)s)")
                report.removed_figures.append(
                    said % {"n": name, "v": values_text(was.values), "w": f"{was.file}:{was.line}"}
                )
                if (code, as_of, was.values) not in corrected:
                    report.missing.append(missing(head, was, None))
    for code, figures in touched.items():
        warnings += figure_warnings(head, code, new_store[code], figures)
        warnings += excerpt_warnings(head, figures)
    report.warnings = [f"{file}:{line}: {text}" for file, line, text in sorted(set(warnings))]
    return changed


def missing(head: Dataset, was: Figure, now: Figure | None) -> MissingCorrection:
    """A published figure changed or removed without a correction, and the entry to add."""
    name = figure_name(head, was.region_code, was.as_of)
    what = (
        M_("%(n)s: angka yang sudah terbit diubah")
        if now is not None
        else M_("%(n)s: angka yang sudah terbit dihapus")
    ) % {"n": name}
    at_base = M_("(di basis)")
    where = f"{now.file}:{now.line}" if now is not None else f"{was.file}:{was.line} {at_base}"
    change = f"now: {flow(now.values)}" if now is not None else "withdrawn: true"
    entry = "\n".join(
        [
            f'  - region: "{was.region_code}"',
            f'    as_of: "{was.as_of.iso}"',
            f"    was: {flow(was.values)}",
            f"    {change}",
            '    date: "YYYY-MM-DD"  # ' + M_("hari koreksi diumumkan"),
            "    reason: …  # " + M_("mengapa angkanya berubah, dalam bahasa Indonesia yang jelas"),
            "    source: …  # " + M_("id di data/sources.yaml tempat koreksi ini bersandar"),
        ]
    )
    return MissingCorrection(where, what, entry)


def compare_sources(base: dict[str, Source], head: dict[str, Source]) -> list[str]:
    lines = []
    for source_id in sorted(set(base) | set(head)):
        old, new = base.get(source_id), head.get(source_id)
        if old is None:
            said = M_("sumber baru '%(i)s': %(t)s (%(w)s)")
            lines.append(
                said % {"i": source_id, "t": new.title, "w": f"data/sources.yaml:{new.line}"}
            )
        elif new is None:
            lines.append(M_("sumber dihapus '%(i)s': %(t)s") % {"i": source_id, "t": old.title})
        else:
            fields = [
                f.name
                for f in dataclasses.fields(Source)
                if f.name != "line" and getattr(old, f.name) != getattr(new, f.name)
            ]
            if fields:
                said = M_("sumber diubah '%(i)s': %(f)s (%(w)s)")
                where = f"data/sources.yaml:{new.line}"
                lines.append(said % {"i": source_id, "f": ", ".join(fields), "w": where})
    return lines


def compare_forums(base: Version, head: Version) -> tuple[list[str], list[str]]:
    old = {f.slug: f for f in base.dataset.forums}
    new = {f.slug: f for f in head.dataset.forums}
    forums, commitments = [], []
    for slug in sorted(set(old) | set(new)):
        was, now = old.get(slug), new.get(slug)
        if was is None:
            forums.append(
                M_("forum baru '%(s)s': %(t)s (%(f)s)") % {"s": slug, "t": now.title, "f": now.file}
            )
        elif now is None:
            said = M_("forum dihapus '%(s)s': %(t)s (%(f)s)")
            forums.append(said % {"s": slug, "t": was.title, "f": was.file})
        elif was != now:
            fields = [
                f.name
                for f in dataclasses.fields(now)
                if getattr(was, f.name) != getattr(now, f.name)
            ]
            said = M_("forum diubah '%(s)s': %(c)s (%(f)s)")
            forums.append(said % {"s": slug, "c": ", ".join(fields), "f": now.file})
        if now is None:
            continue
        for index, c in enumerate(now.commitments):
            outcome = head.outcomes.get((slug, index))
            if outcome is None:  # neither it, its forum, its region's figures nor the rules changed
                continue
            label = M_("%(r)s, komitmen %(i)s dari '%(s)s' (tenggat %(d)s)") % {
                "r": short_name(head.dataset.region_name(c.region_code)),
                "i": index + 1,
                "s": slug,
                "d": tanggal_singkat(c.deadline),
            }
            earlier = base.outcomes.get((slug, index))
            if earlier is None:
                said = M_("baru: %(l)s: %(o)s (%(f)s)")
                commitments.append(said % {"l": label, "o": outcome.outcome, "f": now.file})
                continue
            if earlier.commitment != c:
                commitments.append(M_("diubah: %(l)s (%(f)s)") % {"l": label, "f": now.file})
            if earlier.outcome != outcome.outcome:
                commitments.append(
                    M_("hasil: %(l)s: %(a)s → %(b)s ")
                    % {"l": label, "a": earlier.outcome, "b": outcome.outcome}
                    + f"({OUTCOME_WORDS[earlier.outcome]} → {OUTCOME_WORDS[outcome.outcome]})"
                )
    return forums, commitments


def text_report(report: Report) -> str:
    out = [M_("Perbedaan angka: %(b)s → salinan kerja") % {"b": report.base}, ""]
    if report.missing:
        out += failure_lines(report)
    if not any(lines for _, lines in report.sections()):
        out.append(M_("Tidak ada perubahan pada yang ditampilkan situs."))
    for title, lines in report.sections():
        if lines:
            out += [f"{title} ({len(lines)})", *(f"  {line}" for line in lines), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def failure_lines(report: Report) -> list[str]:
    count = len(report.missing)
    said = Mn_(
        "GAGAL: %(n)s angka yang sudah terbit diubah atau dihapus tanpa entri di "
        "data/corrections.yaml. Tambahkan di bawah 'corrections:':",
        "GAGAL: %(n)s angka yang sudah terbit diubah atau dihapus tanpa entri di "
        "data/corrections.yaml. Tambahkan di bawah 'corrections:':",
        count,
    )
    out = [said % {"n": count}, ""]
    for m in report.missing:
        out += [f"  {m.where}: {m.what}", "", m.entry, ""]
    return out


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md(text: str) -> str:
    """Data written into the job summary as text, never as markup or links."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;")).replace("\n", " ")


def markdown_report(report: Report) -> str:
    out = ["## " + M_("Perbedaan angka: %(b)s → salinan kerja") % {"b": md(report.base)}, ""]
    if report.missing:
        count = len(report.missing)
        said = Mn_(
            "**GAGAL: %(n)s angka yang sudah terbit diubah atau dihapus tanpa entri di "
            "`data/corrections.yaml`.** Tambahkan di bawah `corrections:`:",
            "**GAGAL: %(n)s angka yang sudah terbit diubah atau dihapus tanpa entri di "
            "`data/corrections.yaml`.** Tambahkan di bawah `corrections:`:",
            count,
        )
        out += [said % {"n": count}, ""]
        for m in report.missing:
            out += [f"- {md(m.where)}: {md(m.what)}", "", "```yaml", m.entry, "```", ""]
    if not any(lines for _, lines in report.sections()):
        out.append(M_("Tidak ada perubahan pada yang ditampilkan situs."))
    for title, lines in report.sections():
        if lines:
            out += [f"### {title} ({len(lines)})", "", *(f"- {md(line)}" for line in lines), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def run_diff(data_dir: Path, base: str | None, today: dt.date) -> tuple[Report, str]:
    """Load both versions and compare; DataErrors from either propagate."""
    repo = Path(git(data_dir.resolve(), "rev-parse", "--show-toplevel").decode().strip())
    ref = base or default_base(repo)
    commit, old = dataset_at(ref, data_dir, today)
    new = load_dataset(data_dir.resolve(), today)
    name = ref if ref == commit else f"{ref} ({commit[:12]})"
    return compare(old, new, name), commit
