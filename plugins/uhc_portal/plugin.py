"""Pelican wiring: register the generator and give every template environment our filters."""

from __future__ import annotations

from pelican import signals

from . import urls
from .filters import FILTERS
from .generator import UhcGenerator
from .i18n import activate
from .languages import language_name, language_root, language_url
from .markup import HTML_FILTERS
from .settings import run_language


def get_generators(pelican_object):
    return UhcGenerator


def prepare_environment(generator) -> None:
    """Filters, figures and gettext for all templates, including Pelican's own content pages."""
    translations = activate(run_language(generator.settings))
    generator.env.filters.update(FILTERS)
    generator.env.filters.update(HTML_FILTERS)
    generator.env.globals.update(language_url=language_url, language_name=language_name)
    generator.env.filters["page_path"] = urls.page_path
    generator.env.globals["urls"] = urls  # the site's layout: urls.region(code) and the rest
    # The site's own address, even where links are relative: canonical links name it.
    generator.env.globals["canonical_root"] = language_root(generator.settings)
    if "jinja2.ext.InternationalizationExtension" in generator.env.extensions:
        generator.env.install_gettext_translations(translations, newstyle=True)


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(prepare_environment)
