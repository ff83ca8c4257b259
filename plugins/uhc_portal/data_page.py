"""The data page's list of every download of the site, each with its size measured from the
written files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import urls
from .data_tables import FIGURES_LICENCE, TABLES
from .i18n import _


@dataclass(frozen=True)
class Download:
    """A line of the data page: one file, or a kind of file written once per region."""

    title: str
    address: str
    """Below the site's root; for a kind of file, an example."""
    description: str
    licence: str
    format: str
    size: int
    """Bytes as written; for a kind of file, all of them together."""
    files: int = 1


def catalogue(
    output: Path, provinces: list[str], region_csvs: list[str], regions: list[str]
) -> list[Download]:
    """Every download of the site with its size measured from the written files."""

    def size(address: str) -> int:
        return (output / address).stat().st_size

    def per_page(title: str, files: list[str], description: str, form: str) -> None:
        """A kind of file, one beside each of some pages: the first as the example, the sizes
        of all together; nothing when no page has one."""
        if files:
            total = sum(size(address) for address in files)
            listed.append(
                Download(title, files[0], description, _(FIGURES_LICENCE), form, total, len(files))
            )

    tables = {t.name: t for t in TABLES}
    figures = tables["cakupan"]
    listed = [
        Download(
            _(figures.title),
            "data/cakupan.csv",
            _(figures.description),
            _(FIGURES_LICENCE),
            "CSV",
            size("data/cakupan.csv"),
        ),
        Download(
            _("Semua angka cakupan (JSON)"),
            "data/cakupan.json",
            _("Baris yang sama dengan cakupan.csv, sebagai larik objek JSON."),
            _(FIGURES_LICENCE),
            "JSON",
            size("data/cakupan.json"),
        ),
    ]
    for name in ("wilayah", "sumber", "aturan"):
        table = tables[name]
        address = f"data/{table.file}"
        listed.append(
            Download(
                _(table.title),
                address,
                _(table.description),
                _(table.licence),
                "CSV",
                size(address),
            )
        )
    listed.append(
        Download(
            _("Paket data (Frictionless Data Package)"),
            "data/datapackage.json",
            _(
                "Skema setiap CSV di atas: kolom, jenis, satuan, batasan, dan kunci ke "
                "daftar wilayah, sumber dan aturan. Dapat diperiksa dengan perintah "
                "frictionless validate."
            ),
            _(FIGURES_LICENCE),
            "JSON",
            size("data/datapackage.json"),
        )
    )
    latest = urls.latest_csv()
    listed.append(
        Download(
            _("Angka terbaru tiap kabupaten/kota"),
            latest,
            _(
                "Satu baris per kabupaten/kota: angka terbarunya, atau status no-data. "
                "Kolomnya sama dengan cakupan.csv."
            ),
            _(FIGURES_LICENCE),
            "CSV",
            size(latest),
        )
    )
    province_files = [urls.region_csv(code) for code in provinces]
    region_files = [urls.region_csv(code) for code in region_csvs]
    feed_files = [urls.region_feed(code) for code in regions]
    per_page(
        _("Tabel tiap provinsi"),
        province_files,
        _(
            "Di halaman tiap provinsi: angka terbaru kabupaten/kotanya, lalu angka "
            "tingkat provinsi. Kolomnya sama dengan cakupan.csv."
        ),
        "CSV",
    )
    per_page(
        _("Semua angka tiap kabupaten/kota"),
        region_files,
        _(
            "Di halaman tiap kabupaten/kota yang punya angka: semua angkanya. "
            "Kolomnya sama dengan cakupan.csv."
        ),
        "CSV",
    )
    bibtex = [urls.region_bibtex(code) for code in region_csvs]
    csl = [urls.region_csl(code) for code in region_csvs]
    per_page(
        _("Kutipan tiap kabupaten/kota (BibTeX)"),
        bibtex,
        _(
            "Di halaman tiap kabupaten/kota yang punya angka: setiap angkanya sebagai "
            "rujukan untuk pengelola pustaka."
        ),
        "BibTeX",
    )
    per_page(
        _("Kutipan tiap kabupaten/kota (CSL-JSON)"),
        csl,
        _("Rujukan yang sama dalam CSL-JSON, untuk Zotero dan pengelola pustaka lain."),
        "CSL-JSON",
    )
    listed.append(
        Download(
            _("Umpan angka baru (Atom)"),
            urls.national_feed(),
            _(
                "Satu entri per angka baru, terbaru dulu, berisi angka, status dan sumbernya, "
                "dengan tautan ke baris angka itu."
            ),
            _(FIGURES_LICENCE),
            "Atom",
            size(urls.national_feed()),
        )
    )
    listed.append(
        Download(
            _("Umpan koreksi (Atom)"),
            urls.corrections_feed(),
            _("Setiap angka yang pernah tayang lalu dikoreksi atau ditarik, dengan alasannya."),
            _(FIGURES_LICENCE),
            "Atom",
            size(urls.corrections_feed()),
        )
    )
    per_page(
        _("Umpan tiap kabupaten/kota (Atom)"),
        feed_files,
        _(
            "Di halaman tiap kabupaten/kota: angka barunya saja. Umpan wilayah yang "
            "belum punya angka kosong sampai angka pertamanya masuk."
        ),
        "Atom",
    )
    return listed
