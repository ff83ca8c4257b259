"""Pelican wiring: register the generator and give every template environment our filters."""

from __future__ import annotations

from pelican import signals

from .filters import FILTERS
from .generator import UhcGenerator
from .i18n import activate
from .markup import HTML_FILTERS
from .sitemap import page_path


def get_generators(pelican_object):
    return UhcGenerator


def prepare_environment(generator) -> None:
    """Filters, figures and gettext for all templates, including Pelican's own content pages."""
    translations = activate(generator.settings.get("UHC_LANGUAGE", "id"))
    generator.env.filters.update(FILTERS)
    generator.env.filters.update(HTML_FILTERS)
    generator.env.filters["page_path"] = page_path
    # The site's own address, even where links are relative: canonical links name it.
    generator.env.globals["canonical_root"] = (generator.settings.get("SITEURL") or "").rstrip("/")
    if "jinja2.ext.InternationalizationExtension" in generator.env.extensions:
        generator.env.install_gettext_translations(translations, newstyle=True)


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(prepare_environment)
