"""Pelican wiring: register the generator and give every template environment our filters."""

from __future__ import annotations

from jinja2 import FileSystemBytecodeCache
from pelican import signals

from . import urls
from .filters import FILTERS
from .generator import UhcGenerator
from .i18n import activate
from .languages import language_name, language_root, language_url
from .markup import HTML_FILTERS
from .render import cache_dir_for
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
    generator.env.bytecode_cache = template_cache(generator.settings)


def template_cache(settings: dict) -> FileSystemBytecodeCache | None:
    """The templates compiled once, in the cache beside the charts: each build (each language's
    run, each preview rebuild) made a new environment and compiled every template again. Jinja
    checks a cached template against its source and compiles it anew when the source changed."""
    folder = cache_dir_for(settings)
    if folder is None:
        return None
    folder = folder / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(prepare_environment)
