"""The only module that drives Pelican: data read in generate_context, pages written in
generate_output."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import escape
from pelican.generators import Generator

from . import (
    citation,
    data_page,
    data_tables,
    datapackage,
    downloads,
    feeds,
    schema_org,
    share,
    urls,
)
from .citation import Citations
from .figure_downloads import FigureDownloads, KeptParts, parts_record
from .files import atomic_write, kept, unlinked, write_new
from .fixlinks import FixLinks
from .i18n import _
from .incremental import (
    NATIONAL,
    DataDigests,
    RunReuse,
    current_run,
    digest,
    manifest_path,
    running_code,
    unit_keys,
)
from .markup import FigureExtras, render_markdown, values_words
from .render import cache_dir_for, finish_charts, render_charts
from .session import BuildSession
from .settings import check_settings, run_language
from .views import (
    FORUM_KIND_WORDS,
    OUTCOME_WORDS,
    RegionPage,
    Site,
    status_words,
)

JAKARTA = dt.timezone(dt.timedelta(hours=7))
EARLY_PAGES = 8  # a preview puts at most this many changed regencies' pages up first


class UhcGenerator(Generator):
    """Turns data/ into the national, directory, province, region and forum pages."""

    def generate_context(self) -> None:
        # Load inputs.
        options = check_settings(self.settings)
        # What the last build wrote from the same inputs is linked, not rendered again; what
        # was read in this process (the other language's run, the preview's last build) is
        # not read or worked out again.
        self.reuse = current_run() or RunReuse("", "", Path(self.output_path))
        session = self.reuse.session or BuildSession()
        cache = cache_dir_for(self.settings)
        data = self.reuse.data or DataDigests.of(options["UHC_DATA_DIR"])
        kept_in = cache / "data" if cache else None
        dataset = session.dataset(options["UHC_DATA_DIR"], options["UHC_TODAY"], kept_in, data)
        # Process data.
        self.site: Site = session.pages(dataset, options["UHC_STALE_MONTHS"])
        # What is read is kept until the build ends: the collector need not scan it again and
        # again while pages are written.
        gc.freeze()
        self.keys = unit_keys(self.site, self.reuse, data)
        # Save outputs.
        self.context["uhc"] = self.site
        self.context["uhc_words"] = {"outcome": OUTCOME_WORDS, "forum_kind": FORUM_KIND_WORDS}
        # The site's public address for citations and share cards (SITEURL in templates is
        # relative when RELATIVE_URLS is on); empty for a local build.
        siteurl = absolute_siteurl(self.settings.get("SITEURL") or "")
        self.citations = Citations(siteurl, dataset.sources)
        self.context["uhc_siteurl"] = siteurl
        self.context["uhc_cite"] = self.citations
        self.context["uhc_share"] = share.IMAGE
        repository = options["UHC_REPOSITORY"]
        self.fix_links = FixLinks(repository, options["UHC_BRANCH"]) if repository else None
        self.env.globals.update(
            status_words=status_words,
            markdown=render_markdown,
            figure_extras=self.figure_extras,
            values_words=values_words,
        )

    def figure_extras(self, region: Any, siteurl: str) -> FigureExtras:
        """A region page's corrections and fix links, for its figure rows and sources;
        `siteurl` is the page's own (relative) SITEURL, for links within the site."""
        return FigureExtras(
            region.code,
            region.name,
            region.corrections,
            self.fix_links,
            siteurl,
            self.settings.get("SITEURL") or "",
        )

    def generate_output(self, writer: Any) -> None:
        started = time.perf_counter()
        reuse = self.reuse
        pelican_pages = [*self.context.get("pages", []), *self.context.get("hidden_pages", [])]
        reuse.pelican_files.update(page.save_as for page in pelican_pages)
        reuse.pelican_prefix = f"{self.settings['THEME_STATIC_DIR']}/"
        reuse.choose(self.keys)
        fresh = reuse.fresh
        store = self.site.dataset.snapshots_by_region
        if not fresh(NATIONAL) and any(
            fresh(urls.region_unit(code)) for code in self.site.regions if code not in store
        ):
            reuse.release(NATIONAL)  # their feeds are dated by the national feed's newest entry
        national = fresh(NATIONAL)
        # The preview serves the site while it is built: regencies whose own data changed first.
        live = reuse.session.early if reuse.session and reuse.reused else None
        early = [
            code
            for code in store
            if code in self.site.regions and fresh(urls.region_unit(code)) and live is not None
        ][:EARLY_PAGES]
        self.written_early: set[str] = set()
        chart_set = render_charts(
            self.site,
            self.settings,
            self.output_path,
            wanted=lambda group, code: fresh(urls.region_unit(code) if code else NATIONAL),
            first=early,
        )
        self.context["uhc_charts"] = chart_set
        try:
            if live is not None:
                self.pages_early(writer, early, live)
            reuse.link()  # after: the preview's changed pages first
            # Pages without charts first, the workers rendering charts meanwhile.
            self.forum_pages(writer, between=chart_set.pipeline.keep_busy)
            if national:
                self.write_feed()
                self.page(writer, "corrections.html", urls.corrections())
                self.write_corrections_feed()
            # Each region's figures are judged once for its chart, its page and its downloads:
            # the downloads are written as the region pages reach them.
            with FigureDownloads(
                self.site,
                Path(self.output_path),
                self.write_bytes,
                self.siteurl,
                fresh,
                reuse.staging if reuse.folder else None,
                self.kept_parts(),
                self.keys,
            ) as figures:
                self.chart_pages(writer, before_region=figures.upto)
            self.write_summary_downloads()
            if national:
                self.write_bytes(
                    share.PATH,
                    share.share_png(self.settings["SITENAME"], cache_dir_for(self.settings)),
                )
            self.write_reuse(writer, figures)
            finish_charts(chart_set, started)
        finally:
            chart_set.pipeline.close()  # after an error too: no worker outlives the build
            gc.unfreeze()

    def kept_parts(self) -> KeptParts | None:
        """For the first language's run: where each region's part of the last build's national
        files is (the other runs link the first's files)."""
        reuse = self.reuse
        if reuse.folder or reuse.output is None:
            return None
        record = manifest_path(cache_dir_for(self.settings), reuse.output)
        return KeptParts(parts_record(record), reuse.output)

    def chart_pages(
        self, writer: Any, before_region: Callable[[str], None] = lambda code: None
    ) -> None:
        site, fresh = self.site, self.reuse.fresh
        if fresh(NATIONAL):
            self.page(writer, "grafik.html", urls.charts())
            self.page(writer, "index.html", urls.home())
            self.page(writer, "directory.html", urls.directory())
        for code, page in site.provinces.items():
            if not fresh(urls.region_unit(code)):
                continue
            self.page(writer, "province.html", urls.region(code), region=page)
        for code, page in site.regions.items():
            before_region(code)
            if not fresh(urls.region_unit(code)):
                continue
            if code not in self.written_early:
                self.region_page(writer, code)
            if page.latest is not None:
                self.page(writer, "embed.html", urls.region_embed(code), region=page)
                self.write_citations(page)

    def region_page(self, writer: Any, code: str) -> str:
        page = self.site.regions[code]
        address = urls.region(code)
        self.page(
            writer,
            "region.html",
            address,
            region=page,
            dataset_record=schema_org.region_record(page, self.siteurl),
        )
        return urls.save_as(address)

    def pages_early(self, writer: Any, codes: list[str], live: Path) -> None:
        """The preview's first concern: the pages of the regencies whose data changed, written
        before anything else and put straight into the site being served (each file replaced
        whole); the build then goes on and swaps in the whole site as usual."""
        for code in codes:
            save_as = self.region_page(writer, code)
            self.written_early.add(code)
            target = live / self.reuse.folder / save_as
            if target.parent.is_dir():
                atomic_write(target, Path(self.output_path, save_as).read_bytes())

    def write_citations(self, page: RegionPage) -> None:
        """Every figure of a region cited at once, for reference managers: BibTeX and CSL-JSON."""
        cite, sources = self.citations, page.sources
        figures = [(a.snapshot, sources[a.snapshot.source_id]) for a in page.history]
        bib = "\n".join(cite.bibtex(page.name, s, source) for s, source in figures)
        items = [citation.csl(page.name, s, source, cite.siteurl) for s, source in figures]
        self.write_bytes(urls.region_bibtex(page.code), bib.encode("utf-8"))
        self.write_bytes(urls.region_csl(page.code), citation.csl_json(items).encode("utf-8"))

    def forum_pages(self, writer: Any, between: Callable[[], None] = lambda: None) -> None:
        site, fresh = self.site, self.reuse.fresh
        if fresh(NATIONAL):
            self.page(writer, "forums.html", urls.forums())
        for forum in site.dataset.forums:
            if not fresh(urls.forum_unit(forum.slug)):
                continue
            between()
            self.page(
                writer,
                "forum.html",
                urls.forum(forum.slug),
                forum=forum,
                outcomes=site.forum_outcomes[forum.slug],
            )

    def page(self, writer: Any, template: str, url: str, **extra: Any) -> None:
        """The page at address `url` (urls.py), written to its save_as."""
        save_as = urls.save_as(url)
        unlinked(Path(self.output_path, save_as))  # Pelican's writer creates it anew
        writer.write_file(
            save_as,
            self.env.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=url,
            page_url=url,
            **extra,
        )

    def write_summary_downloads(self) -> None:
        """The latest figure of every region, and each province's table, as CSV."""
        site, dataset, fresh = self.site, self.site.dataset, self.reuse.fresh
        if fresh(NATIONAL):
            latest = [row.latest or row.code for row in site.rows]
            self.write_bytes(urls.latest_csv(), downloads.to_csv(latest, dataset))
        for code, page in site.provinces.items():
            if not fresh(urls.region_unit(code)):
                continue
            rows = [row.latest or row.code for row in page.regions] + list(page.history)
            self.write_bytes(urls.region_csv(code), downloads.to_csv(rows, dataset))

    @property
    def siteurl(self) -> str:
        """The site's address for feeds, the data package and JSON-LD: absolute when SITEURL
        is set, else empty (addresses from the site's root)."""
        return (self.settings.get("SITEURL") or "").rstrip("/")

    def write_reuse(self, writer: Any, figures: FigureDownloads) -> None:
        """After every figure is written: the reference tables, the national feed, the feeds
        of regions without figures, the data package and the page listing every download with
        the size it was written at."""
        site, dataset, siteurl = self.site, self.site.dataset, self.siteurl
        output, fresh = Path(self.output_path), self.reuse.fresh
        if not fresh(NATIONAL):
            return
        for name, content in data_tables.reference_tables(dataset).items():
            self.write_bytes(f"{datapackage.DATA_FOLDER}/{name}", content)
        newest = figures.newest_figures()
        national = feeds.atom(
            feeds.national_feed(siteurl), newest, dataset, siteurl, freshness=site.freshness
        )
        self.write_bytes(urls.national_feed(), national)
        checked = newest[0][0][0] if newest else feeds.EPOCH  # the newest entry's date
        for code, page in site.regions.items():
            if code not in dataset.snapshots_by_region and fresh(urls.region_unit(code)):
                # none, or withdrawn: corrections only
                feed = feeds.region_feed(code, page.name, siteurl)
                corrections = feeds.newest(
                    feeds.keyed_corrections(page.corrections), feeds.REGION_ENTRIES
                )
                self.write_bytes(
                    urls.region_feed(code),
                    feeds.atom(feed, corrections, dataset, siteurl, checked),
                )
        described = datapackage.package(output / datapackage.DATA_FOLDER, siteurl)
        self.write_bytes(
            f"{datapackage.DATA_FOLDER}/datapackage.json",
            (json.dumps(described, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
        )
        listed = data_page.catalogue(
            output, list(site.provinces), figures.region_csvs, list(site.regions)
        )
        self.page(
            writer,
            "data.html",
            urls.data(),
            downloads=listed,
            dataset_record=schema_org.site_record(figures.first, figures.last, siteurl),
            national_entries=feeds.NATIONAL_ENTRIES,
            region_entries=feeds.REGION_ENTRIES,
        )

    def site_feed(self, page: str, address: str, title: str, description: str) -> feeds.Feed:
        """The forum or the correction feed at `address` (urls.py) of the page at `page`: its
        id is the page's address, as feedgenerator made it when the feeds began."""
        siteurl = self.siteurl
        return feeds.Feed(
            f"{siteurl}/{page}",
            title,
            description,
            f"{siteurl}/{address}",
            f"{siteurl}/{page}",
            language=run_language(self.settings),
            typed=False,
        )

    def write_feed(self) -> None:
        """Every forum, newest first. Its entries' HTML (each summary's Markdown) is the costly
        part: the feed is kept in the chart cache, named by its words and the running code, and
        a build whose forums and region names did not change takes it back."""
        siteurl = self.settings.get("SITEURL") or ""
        feed = self.site_feed(
            urls.forums(),
            urls.forums_feed(),
            _("Pantau UHC: berita forum"),
            _("Forum, komitmen dan kesepakatan menuju UHC"),
        )
        entries = []
        for forum in self.site.dataset.forums:
            names = ", ".join(self.site.region_name(code) for code in forum.regions)
            day = feeds.stamp(forum.date.start)
            entries.append(
                feeds.Entry(
                    forum.title,
                    f"{siteurl}/{urls.forum(forum.slug)}",
                    f"tag:pantau-uhc,{forum.slug}",
                    day,
                    str(escape(f"{names}. {forum.summary}")),
                    html=True,
                    published=day,
                    content=forum.summary,  # its HTML below, if the feed is not kept
                )
            )

        def made() -> bytes:
            if file is not None:
                for older in file.parent.glob(f"{prefix}*.xml"):
                    older.unlink(missing_ok=True)  # other forums' or other code's
            whole = [
                dataclasses.replace(e, content=str(render_markdown(e.content))) for e in entries
            ]
            return feeds.write(feed, whole, newest(whole))

        cache = cache_dir_for(self.settings)
        prefix = f"forum-feed-{feed.language}-"
        name = digest(running_code(), repr(feed), repr(entries))
        file = cache / "feeds" / f"{prefix}{name}.xml" if cache is not None else None
        self.write_bytes(urls.forums_feed(), kept(file, made))

    def write_corrections_feed(self) -> None:
        """Every correction, newest first: a journalist who cited the old number can follow."""
        siteurl = self.settings.get("SITEURL") or ""
        feed = self.site_feed(
            urls.corrections(),
            urls.corrections_feed(),
            _("Pantau UHC: koreksi angka"),
            _("Angka yang pernah tayang lalu dikoreksi atau ditarik, dan alasannya"),
        )
        entries = []
        for c in self.site.dataset.corrections:
            day = feeds.stamp(c.date.start)
            entries.append(
                feeds.Entry(
                    feeds.correction_title(c, self.site.dataset),
                    f"{siteurl}/{urls.corrections()}#{c.anchor}",
                    f"tag:pantau-uhc,koreksi/{c.anchor}",
                    day,
                    str(escape(feeds.correction_summary(c))),
                    html=True,
                    published=day,
                )
            )
        self.write_bytes(urls.corrections_feed(), feeds.write(feed, entries, newest(entries)))

    def write_bytes(self, name: str, content: bytes) -> None:
        write_new(Path(self.output_path, name), content)


def newest(entries: list[feeds.Entry]) -> str:
    """A feed's <updated>: its newest entry's; with none, the epoch (never the build's clock)."""
    return max((e.updated for e in entries), default="1970-01-01T00:00:00+00:00")


def absolute_siteurl(siteurl: str) -> str:
    """SITEURL when it is an absolute http(s) address (what citations and Open Graph need)."""
    return siteurl.rstrip("/") if siteurl.startswith(("https://", "http://")) else ""
