"""A deterministic, clearly synthetic national dataset in the shape of data/, for benchmarks.

Every name says "Sintetis", every source is a "Sumber sintetis" on example.org, and the folder
gets a SYNTHETIC.md. Nothing here is a real figure; never write it into the repository's data/.

    from benchmarks.synthetic import Size, generate
    generate(tmp / "data", Size.national())          # 38 provinces, 514 regencies, 120 months
    generate(tmp / "data", Size.national(scale=10))  # 5,140 regencies, 20,000 forums

Same size and seed → byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SEED = 20261123
LAST_MONTH = (2025, 12)  # the newest monthly figure
TODAY = dt.date(2026, 1, 31)  # use as UHC_TODAY: every generated date lies before it
MARKER = "SYNTHETIC.md"
COVERAGE_HEADER = (
    "region_code,as_of,population,participants,active_participants,coverage_pct,not_enrolled,source"
)
FORUM_KINDS = ("forum-pku", "rapat", "sosialisasi", "penghargaan", "lainnya")
FIRST_PROVINCE = 11
MAX_PROVINCES = 89  # province codes 11–99
MAX_REGENCIES_PER_PROVINCE = 99  # regency codes NN.01–NN.99
WORDS = (
    "cakupan",
    "peserta",
    "jaminan",
    "kesehatan",
    "nasional",
    "daerah",
    "pemerintah",
    "penduduk",
    "pendaftaran",
    "iuran",
    "layanan",
    "puskesmas",
    "rumah",
    "sakit",
    "data",
    "validasi",
    "kependudukan",
    "anggaran",
    "target",
    "capaian",
    "koordinasi",
    "forum",
)


@dataclass(frozen=True)
class Size:
    """How much to generate. `national(1)` is the real country's shape."""

    provinces: int = 38
    regencies: int = 514
    months: int = 120
    forums: int = 2000
    correction_rate: float = 0.01  # share of monthly figures later corrected by a dated row
    sources: int = 60  # news sources forums cite (besides the yearly data sources)

    @classmethod
    def national(cls, scale: int = 1) -> Size:
        return cls(
            provinces=min(38 * scale, MAX_PROVINCES),
            regencies=514 * scale,
            forums=2000 * scale,
            sources=60 * scale,
        )

    def check(self) -> None:
        if not 1 <= self.provinces <= MAX_PROVINCES:
            raise ValueError(f"provinces must be 1–{MAX_PROVINCES}")
        if not self.provinces <= self.regencies <= self.provinces * MAX_REGENCIES_PER_PROVINCE:
            raise ValueError("regencies must fit 1–99 per province")
        if not 1 <= self.months <= 12 * (LAST_MONTH[0] - 1990):
            raise ValueError("months out of range")


@dataclass(frozen=True)
class Summary:
    provinces: int
    regencies: int
    monthly_rows: int
    corrections: int
    forums: int
    sources: int
    files: int


def province_codes(size: Size) -> list[str]:
    return [f"{FIRST_PROVINCE + i:02d}" for i in range(size.provinces)]


def regency_codes(size: Size) -> list[str]:
    """Regencies spread evenly over the provinces: 514 over 38 gives 13 or 14 each."""
    codes = []
    base, extra = divmod(size.regencies, size.provinces)
    for index, province in enumerate(province_codes(size)):
        for number in range(1, base + (1 if index < extra else 0) + 1):
            codes.append(f"{province}.{number:02d}")
    return codes


def months(size: Size) -> list[tuple[int, int]]:
    year, month = LAST_MONTH
    out = []
    for _ in range(size.months):
        out.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def generate(target: Path, size: Size | None = None, seed: int = SEED) -> Summary:
    """Write a data folder (regions/, coverage/, forums/, sources.yaml, rules.yaml) at `target`."""
    size = size or Size.national()
    size.check()
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} is not empty; the generator only writes fresh folders")
    rng = random.Random(seed)
    provinces = province_codes(size)
    regencies = regency_codes(size)
    (target / "regions").mkdir(parents=True)
    (target / "coverage").mkdir()
    (target / "forums").mkdir()
    files = 0

    def write(rel: str, text: str) -> None:
        nonlocal files
        (target / rel).write_text(text, encoding="utf-8", newline="\n")
        files += 1

    write(MARKER, marker_text(size, seed))
    write(
        "regions/provinces.csv",
        csv_text(["code", "name"], [[c, f"Provinsi Sintetis {c}"] for c in provinces]),
    )
    write(
        "regions/regencies.csv",
        csv_text(
            ["code", "province_code", "name"], [[c, c[:2], regency_name(c)] for c in regencies]
        ),
    )
    write("regions/aliases.yaml", aliases_text(provinces, regencies))
    years = sorted({y for y, _ in months(size)})
    write("rules.yaml", RULES)
    write("sources.yaml", sources_text(years, size.sources))

    by_year: dict[int, list[list[str]]] = {y: [] for y in years}
    corrections: list[list[str]] = []
    latest: dict[str, float] = {}
    for code in regencies:
        for (year, month), figure in zip(months(size), region_series(rng, size), strict=True):
            by_year[year].append(
                row_cells(code, f"{year:04d}-{month:02d}", figure, f"sintetis-bpjs-{year}", rng)
            )
            if rng.random() < size.correction_rate:
                fixed = figure.corrected(rng)
                day = f"{year:04d}-{month:02d}-{last_day(year, month):02d}"
                corrections.append(
                    row_cells(code, day, fixed, f"sintetis-koreksi-{year}", rng, kind="full")
                )
            latest[code] = figure.coverage
    header = COVERAGE_HEADER.split(",")
    for year, rows in by_year.items():
        write(f"coverage/sintetis-{year}.csv", csv_text(header, rows))
    write("coverage/sintetis-koreksi.csv", csv_text(header, corrections))

    for slug, text in forums(rng, size, provinces, regencies, latest):
        write(f"forums/{slug}.yaml", text)
    return Summary(
        len(provinces),
        len(regencies),
        len(regencies) * size.months,
        len(corrections),
        size.forums,
        len(years) * 2 + size.sources,
        files,
    )


def regency_name(code: str) -> str:
    kind = "Kota" if int(code[3:]) % 7 == 0 else "Kabupaten"
    return f"{kind} Sintetis {code}"


def marker_text(size: Size, seed: int) -> str:
    return (
        "# SYNTHETIC DATA — NOT REAL FIGURES\n\n"
        "Generated by `benchmarks/synthetic.py` for `make bench`. Every region, figure, forum and\n"
        'source here is invented (names say "Sintetis", sources point to example.org). Never\n'
        "copy these files into the repository's data/.\n\n"
        f"- provinces: {size.provinces}\n- regencies: {size.regencies}\n"
        f"- monthly figures per regency: {size.months}\n- forums: {size.forums}\n"
        f"- seed: {seed}\n"
    )


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def aliases_text(provinces: list[str], regencies: list[str]) -> str:
    lines = ["# SYNTHETIC: other spellings of synthetic regions (benchmark data, not real).\n"]
    lines += [f'"Prov. Sintetis {c}": "{c}"\n' for c in provinces]
    lines += [f'"Kab. Sintetis {c}": "{c}"\n' for c in regencies[::5]]
    return "".join(lines)


def sources_text(years: list[int], news: int) -> str:
    out = ["# SYNTHETIC sources for benchmark data: invented, none of them exists.\n"]
    for year in years:
        out.append(
            f"sintetis-bpjs-{year}:\n"
            f"  title: Sumber sintetis — rekap bulanan kepesertaan {year}\n"
            f"  publisher: Penerbit Sintetis\n"
            f"  url: https://example.org/sintetis/bpjs-{year}\n"
            f'  published: "{year}-12-31"\n'
            f"  excerpt: >-\n"
            f"    Angka sintetis untuk uji kinerja: jumlah penduduk, peserta dan cakupan setiap\n"
            f"    wilayah per bulan selama {year}.\n"
            f"  excerpt_note: tabel sintetis, satu baris per wilayah dan bulan\n"
            f"sintetis-koreksi-{year}:\n"
            f"  title: Sumber sintetis — koreksi angka {year}\n"
            f"  publisher: Penerbit Sintetis\n"
            f"  excerpt: Koreksi sintetis atas angka bulanan {year}, bertanggal akhir bulan.\n"
            f"  excerpt_note: tabel koreksi sintetis, satu baris per angka\n"
            f"  note: Tidak ada alamat daring; data ini dibuat untuk uji kinerja.\n"
        )
    for i in range(news):
        out.append(
            f"sintetis-berita-{i:04d}:\n"
            f"  title: Berita sintetis nomor {i}\n"
            f"  publisher: Media Sintetis\n"
            f"  url: https://example.org/sintetis/berita-{i:04d}\n"
            f'  published: "{2016 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}"\n'
            f"  excerpt: Kalimat sintetis yang memuat angka cakupan untuk uji kinerja.\n"
        )
    return "".join(out)


@dataclass(frozen=True)
class Figure:
    population: int
    participants: int
    active: int

    @property
    def coverage(self) -> float:
        return 100 * self.participants / self.population

    def corrected(self, rng: random.Random) -> Figure:
        participants = max(1, self.participants + rng.randint(-500, 500))
        return Figure(self.population, participants, min(self.active, participants))


def region_series(rng: random.Random, size: Size) -> Iterator[Figure]:
    """A plausible monthly path: population grows slowly, coverage climbs towards 90–101 %."""
    population = rng.randint(25_000, 3_000_000)
    start = rng.uniform(0.55, 0.9)
    goal = rng.uniform(0.9, 1.01)
    growth = rng.uniform(0.0005, 0.0015)
    for month in range(size.months):
        progress = month / max(1, size.months - 1)
        share = start + (goal - start) * progress + rng.uniform(-0.004, 0.004)
        participants = max(1, round(population * share))
        active = round(participants * rng.uniform(0.7, 0.9))
        yield Figure(population, participants, active)
        population = round(population * (1 + growth))


def row_cells(
    code: str, as_of: str, f: Figure, source: str, rng: random.Random, kind: str | None = None
) -> list[str]:
    """One CSV row printing a mix of figures, as real sources do; all consistent within rounding."""
    if kind is None:
        roll = rng.random()
        kind = (
            "counts+pct"
            if roll < 0.5
            else "full"
            if roll < 0.7
            else "not-enrolled"
            if roll < 0.85
            else "participants+pct"
            if roll < 0.95
            else "counts"
        )
    if f.participants > f.population and kind in ("full", "not-enrolled"):
        kind = "counts+pct"  # over 100 %: sources print no negative "not enrolled"
    decimals = 1 if kind == "not-enrolled" and rng.random() < 0.5 else 2
    pct = f"{f.coverage:.{decimals}f}"
    pop, part, active = str(f.population), str(f.participants), str(f.active)
    not_enrolled = str(f.population - f.participants)
    cells = {
        "counts+pct": [pop, part, "", pct, ""],
        "full": [pop, part, active, pct, not_enrolled],
        "not-enrolled": [pop, "", "", pct, not_enrolled],
        "participants+pct": ["", part, "", pct, ""],
        "counts": [pop, part, "", "", ""],
    }[kind]
    return [code, as_of, *cells, source]


def last_day(year: int, month: int) -> int:
    return ((dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)).day


def forums(
    rng: random.Random,
    size: Size,
    provinces: list[str],
    regencies: list[str],
    latest: dict[str, float],
) -> Iterator[tuple[str, str]]:
    first = dt.date(LAST_MONTH[0] - math.ceil(size.months / 12) + 1, 1, 1)
    span = (dt.date(*LAST_MONTH, 1) - first).days
    for i in range(size.forums):
        date = first + dt.timedelta(days=rng.randrange(span))
        slug = f"{date.isoformat()}-sintetis-{i:05d}"
        count = 1 if rng.random() < 0.7 else rng.randint(2, 3)
        regions = sorted(set(rng.sample(regencies, count)))
        if rng.random() < 0.1:
            regions.append(rng.choice(provinces))
        names = ", ".join(f"Sintetis {c}" for c in regions)
        lines = [
            "# SYNTHETIC forum for benchmarks: invented, not a real event.",
            f'date: "{date.isoformat()}"',
            f"date_basis: {'reported' if rng.random() < 0.2 else 'event'}",
            "regions: [" + ", ".join(f'"{c}"' for c in regions) + "]",
            f"title: Forum sintetis {i:05d} tentang cakupan JKN di {names}",
            f"kind: {rng.choice(FORUM_KINDS)}",
            "summary: |",
            *(("  " + line).rstrip() for line in summary(rng, regions, latest)),
        ]
        attendees = rng.randint(0, 6)
        if attendees:
            lines.append("attendees:")
            lines += [f"  - Peserta sintetis {n + 1}, Dinas Sintetis" for n in range(attendees)]
        commitments = rng.choice((0, 0, 1, 1, 2))
        if commitments:
            lines.append("commitments:")
            for n in range(commitments):
                region = rng.choice(regions)
                deadline = date.replace(day=1) + dt.timedelta(days=rng.randint(180, 900))
                lines.append(f'  - region: "{region}"')
                if rng.random() < 0.6:
                    lines.append(f"    target_pct: {rng.choice((95, 98, 99))}")
                lines += [
                    f'    deadline: "{deadline.strftime("%Y-%m")}"',
                    "    committed_by: Pemerintah Daerah Sintetis",
                    f"    text: Komitmen sintetis nomor {n + 1} untuk mencapai UHC.",
                ]
        if rng.random() < 0.2:
            lines += [
                "agreements:",
                f"  - number: {i}/SINT/{date.year}",
                "    parties: [Pemerintah Daerah Sintetis, BPJS Kesehatan Sintetis]",
                "    title: Kesepakatan sintetis tentang optimalisasi kepesertaan",
            ]
        picked = sorted(rng.sample(range(size.sources), min(size.sources, rng.randint(1, 2))))
        lines.append("sources: [" + ", ".join(f"sintetis-berita-{s:04d}" for s in picked) + "]")
        yield slug, "\n".join(lines) + "\n"


def summary(rng: random.Random, regions: list[str], latest: dict[str, float]) -> list[str]:
    code = regions[0]
    pct = latest.get(code, 90.0)
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90)))
    return [
        f"Ringkasan sintetis: cakupan di wilayah {code} sekitar **{pct:.2f} persen**. "
        "Teks ini dibuat",
        "untuk uji kinerja dan tidak menggambarkan peristiwa nyata.",
        "",
        words,
    ]


def change_one_row(data: Path, code: str) -> str:
    """Raise one region's newest monthly participants by 1 % in place; return the changed line.

    The row is rewritten with consistent figures (population, participants, coverage and, when the
    row printed them, not-enrolled and active counts), so the data stays valid.
    """
    year = max(int(p.stem.rsplit("-", 1)[1]) for p in (data / "coverage").glob("sintetis-2*.csv"))
    path = data / "coverage" / f"sintetis-{year}.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = max(i for i, line in enumerate(lines) if line.startswith(code + ","))
    cells = next(csv.reader([lines[index]]))
    _, as_of, pop, part, active, pct, not_enrolled, source = cells
    # Without a printed population: the one that participants and coverage stand for.
    population = int(pop) if pop else round(int(part) * 100 / float(pct))
    participants = int(part) if part else population - int(not_enrolled)
    step = max(1, participants // 100)
    participants = participants + step if participants + step <= population else participants - step
    new = [
        code,
        as_of,
        str(population),
        str(participants),
        active,
        f"{100 * participants / population:.2f}",
        str(population - participants) if not_enrolled else "",
        source,
    ]
    lines[index] = ",".join(new) + "\n"
    path.write_text("".join(lines), encoding="utf-8", newline="\n")
    return lines[index].strip()


RULES = """\
# SYNTHETIC copy of the portal's UHC rules, for benchmark data only.
status_rules:
  - id: uhc-95
    name: "UHC: cakupan kepesertaan minimal 95 %"
    tier: uhc
    valid_from: "2014-01-01"
    valid_to: "2024-12-31"
    min_coverage_pct: 95
    coverage_comparison: ">="
    basis: Aturan sintetis untuk uji kinerja (meniru RPJMN 2015–2019).
  - id: uhc-98
    name: "UHC: cakupan kepesertaan minimal 98 %"
    tier: uhc
    valid_from: "2025-01-01"
    min_coverage_pct: 98
    coverage_comparison: ">="
    basis: Aturan sintetis untuk uji kinerja (meniru UHC Award sejak 2025).
  - id: prioritas-2023
    name: "UHC Prioritas: cakupan minimal 95 % dan peserta aktif minimal 75 %"
    tier: prioritas
    valid_from: "2023-01-01"
    valid_to: "2024-12-31"
    min_coverage_pct: 95
    coverage_comparison: ">="
    min_active_pct: 75
    active_comparison: ">="
    basis: Aturan sintetis untuk uji kinerja.
  - id: prioritas-2025
    name: "UHC Prioritas: cakupan lebih dari 98 % dan peserta aktif lebih dari 80 %"
    tier: prioritas
    valid_from: "2025-01-01"
    min_coverage_pct: 98
    coverage_comparison: ">"
    min_active_pct: 80
    active_comparison: ">"
    basis: Aturan sintetis untuk uji kinerja.
national_targets:
  - pct: 95
    by: "2019-01-01"
    basis: Target sintetis
  - pct: 98
    by: "2024"
    basis: Target sintetis
  - pct: 99
    by: "2029"
    basis: Target sintetis
"""
