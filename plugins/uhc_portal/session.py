"""What one process keeps from build to build: the build session.

The stages are pure functions of their inputs: `dataset.read_dataset(files, today)` (load and
validate), `verdicts.judge_region` (one region's verdicts) and `views.build_site(dataset, …)`
(the pages' model), `incremental.data_slices` (each page group's data digest). A
`BuildSession` runs them for the generator and keeps each result by what it was made from, so
that a build whose inputs did not change gets the very objects the last one made, and one
changed file is the only one read again. The preview server keeps one for its life; a build
without one makes its own, which its language runs share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .datacache import LoadCache, LoadKey
from .dataset import DataFiles, collector_paused, read_files
from .errors import DataError, DataErrors
from .histories import Histories
from .incremental import DataDigests, Manifest, SlicePart, data_slices, stat_of
from .model import Dataset
from .search_index import KeptRecords
from .verdicts import RegionVerdicts, VerdictInputs, judge_region, verdict_inputs
from .views import Site, build_site


@dataclass(frozen=True)
class KeptLoad:
    """The last load: what it read, and the Dataset or the errors it gave."""

    key: LoadKey
    """The day and every file's fingerprint, in reading order."""
    dataset: Dataset | None
    """What the load gave; None when it failed."""
    errors: tuple[DataError, ...] = ()
    """Every problem the failed load found (none when it gave a Dataset)."""


@dataclass(frozen=True)
class KeptVerdicts:
    """A region's verdicts with what they were made from."""

    inputs: VerdictInputs
    """The region's packed figures, the rules and its commitments."""
    verdicts: RegionVerdicts
    """What `verdicts.judge_region` made of them."""


@dataclass(frozen=True)
class KeptSite:
    """The pages' model with the Dataset it was made from (its stale months are its own)."""

    dataset: Dataset
    """The Dataset the pages' model was made from (compared by identity)."""
    site: Site
    """The pages' model."""


@dataclass(frozen=True)
class KeptSlices:
    """Each page group's data slice digest, with the Dataset and data digest it is of."""

    dataset: Dataset
    """The Dataset the slices were made from (compared by identity)."""
    data: str
    """The digest of the whole data folder (`DataDigests.whole`)."""
    parts: dict[str, str]
    """Each page group's data slice digest, by its unit name."""


@dataclass(frozen=True)
class KeptManifest:
    """The manifest this process last wrote, with its file's stat then."""

    path: Path
    """Where it was written."""
    stat: list[int]
    """The file's size, modification time and inode just after (`incremental.stat_of`)."""
    manifest: Manifest
    """The manifest itself."""


@dataclass
class BuildSession:
    """The stages' results kept between builds in one process, each by its inputs."""

    reads: LoadCache = field(default_factory=LoadCache)
    """Each data file's reading (values and errors), by its bytes (BLAKE2 digest) and what it
    was read against (region codes, source ids, today): an edit re-reads only that file."""
    load: KeptLoad | None = None
    """The last load, by every file's fingerprint and the day: when none changed, the same
    Dataset comes back (or the same errors are raised)."""
    verdicts: dict[str, KeptVerdicts] = field(default_factory=dict)
    """Each region's verdicts, by its packed figures, the rules and its commitments: only the
    regions whose figures changed are judged again."""
    site: KeptSite | None = None
    """The last pages' model (the same in every language run, and in the next build when the
    data did not change)."""
    slice_parts: dict[str, SlicePart] = field(default_factory=dict)
    """Each page group's data slice digest, by what it was made from (`data_slices`)."""
    slices: KeptSlices | None = None
    """The last build's page groups' data slices (the other language's run takes them)."""
    manifest: KeptManifest | None = None
    """The manifest it last wrote, read back without parsing while the file is as written."""
    search_records: KeptRecords | None = None
    """The search index's page records it last saved, read back without parsing while the
    file is as written."""
    early: Path | None = None
    """The output folder being served (the preview): the pages of regencies whose data
    changed are put there as soon as they are rendered, before the whole site is swapped in."""

    def dataset(
        self,
        data_dir: Path,
        today: dt.date,
        kept_in: Path | None = None,
        data: DataDigests | None = None,
    ) -> Dataset:
        """`read_dataset(DataFiles.of(data_dir), today)`, reading only the files that changed;
        the previous Dataset itself when none did. `kept_in`: a folder where the files'
        readings are kept for the next process (`LoadCache.stored`); `data`: the files'
        fingerprints as the build just took them (`DataDigests.prints`)."""
        files = DataFiles.of(data_dir)
        known = data.prints if data is not None else None
        key = self.reads.start(data_dir, today, files.all(), kept_in, known)
        kept = self.load
        if kept is not None and kept.key == key:
            if kept.dataset is not None:
                return kept.dataset
            raise DataErrors(list(kept.errors))
        try:
            dataset = read_files(files, today, self.reads)
        except DataErrors as failed:
            self.remember(key, None, tuple(failed.errors))
            raise
        self.remember(key, dataset, ())
        return dataset

    def remember(
        self, key: LoadKey, dataset: Dataset | None, errors: tuple[DataError, ...]
    ) -> None:
        """A load's result, kept unless a file changed while it was read."""
        settled = self.reads.finish()
        self.load = KeptLoad(key, dataset, errors) if settled else None

    def pages(self, dataset: Dataset, stale_months: int | None) -> Site:
        """`views.build_site(dataset, stale_months)`, judging only the regions whose inputs
        changed; the previous Site itself when neither did."""
        kept = self.site
        if kept is not None and kept.dataset is dataset and kept.site.stale_months == stale_months:
            return kept.site
        with collector_paused():  # no cycles here, and each region's figures come and go
            site = build_site(dataset, stale_months, self.judged(dataset))
        self.site = KeptSite(dataset, site)
        return site

    def judged(self, dataset: Dataset) -> Mapping[str, RegionVerdicts]:
        """Every judged region's verdicts, in code order: those kept for the same inputs, the
        others made now."""
        histories = Histories(dataset)
        verdicts = {}
        for code, inputs in verdict_inputs(dataset).items():
            kept = self.verdicts.get(code)
            if kept is None or kept.inputs != inputs:
                made = judge_region(dataset, histories, code, inputs.commitments)
                kept = self.verdicts[code] = KeptVerdicts(inputs, made)
            verdicts[code] = kept.verdicts
        return verdicts

    def data_slices(self, site: Site, data: DataDigests) -> dict[str, str]:
        """`incremental.data_slices(site, data)`, each part digested again only when what it is
        made from changed; the last parts themselves for the same Dataset and data."""
        kept = self.slices
        if kept is not None and kept.dataset is site.dataset and kept.data == data.whole:
            return kept.parts
        parts = data_slices(site, data, self.slice_parts)
        self.slices = KeptSlices(site.dataset, data.whole, parts)
        return parts

    def last_manifest(self, record: Path | None) -> Manifest | None:
        """The manifest at `record` if this process wrote it and it is still the file there."""
        kept = self.manifest
        if record is None or kept is None or kept.path != record:
            return None
        try:
            return kept.manifest if stat_of(record) == kept.stat else None
        except OSError:
            return None

    def wrote(self, record: Path, manifest: Manifest) -> None:
        """The build wrote `manifest` at `record`."""
        self.manifest = KeptManifest(record, stat_of(record), manifest)

    def warm_up(self, options: Mapping[str, Any]) -> None:
        """Read the data and make the pages' model and slices now, for checked settings
        (`settings.check_settings`), and load the chart renderer: a preview's first build may
        have found the whole site unchanged and read nothing, and its first rebuild should cost
        what the later ones do: the chart templates are made too (Altair imported)."""
        from .charts.templates import LAYOUTS, template
        from .renderer import bundled_fonts_only

        dataset = self.dataset(options["UHC_DATA_DIR"], options["UHC_TODAY"])
        site = self.pages(dataset, options["UHC_STALE_MONTHS"])
        self.data_slices(site, DataDigests.of(options["UHC_DATA_DIR"]))
        bundled_fonts_only()
        for language in options["UHC_LANGUAGES"]:
            for kind in LAYOUTS:
                template(kind, language)
