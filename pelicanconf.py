"""Pelican settings for Pantau UHC (local build and preview)."""

from pathlib import Path

HERE = Path(__file__).parent

AUTHOR = "Pantau UHC"
SITENAME = "Pantau UHC"
SITEURL = ""
PATH = "content"
THEME = "theme"
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "id"
RELATIVE_URLS = True

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["uhc_portal"]
UHC_DATA_DIR = str(HERE / "data")
UHC_LANGUAGES = ["id", "en"]  # Indonesian at the root, English under /en/

# Our templates escape everything; Pelican's default environment does not.
JINJA_ENVIRONMENT = {
    "autoescape": True,
    "extensions": ["jinja2.ext.i18n"],
    "trim_blocks": True,
    "lstrip_blocks": True,
}

# The portal's pages come from the plugin; Pelican only renders content/pages.
ARTICLE_PATHS = []
PAGE_PATHS = ["pages"]
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DIRECT_TEMPLATES = []
ARCHIVES_SAVE_AS = AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = CATEGORY_SAVE_AS = TAG_SAVE_AS = ""
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
STATIC_PATHS = []
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
SLUGIFY_SOURCE = "basename"
READERS = {"rst": None}  # Markdown only; docutils has no Indonesian locale
# Pelican's Markdown without codehilite: the theme styles no highlighting, and guessing a
# language for each example block in the data guide cost more than the rest of reading it.
MARKDOWN = {
    "extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.meta": {}},
    "output_format": "html5",
}
