"""Where each language's copy of a page lives: the first language at the site's root, each
other in a folder named after it (`/en/wilayah/73.13/` is the twin of `/wilayah/73.13/`)."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any

from jinja2 import pass_context

from .i18n import LANGUAGE_NAMES
from .settings import language_runs, run_language


def folder(language: str, settings: Mapping[str, Any]) -> str:
    return dict(language_runs(dict(settings)))[language]


def site_root(siteurl: str, language: str, settings: Mapping[str, Any]) -> str:
    """The whole site's root, from SITEURL as a page in `language` sees it."""
    own = folder(language, settings)
    if not own:
        return siteurl
    if settings.get("RELATIVE_URLS"):  # SITEURL leads to this language's root: one step more
        return posixpath.normpath(f"{siteurl or '.'}/..")
    return siteurl.removesuffix(f"/{own}")


def language_root(settings: Mapping[str, Any]) -> str:
    """This language's public root (SITEURL, or '' with relative links), for canonical links:
    `https://…/en` or `/en` for English, whether or not links are relative."""
    root = (settings.get("SITEURL") or "").rstrip("/")
    own = folder(run_language(settings), settings)
    if own and settings.get("RELATIVE_URLS"):  # the build set no SITEURL for this language
        return f"{root}/{own}"
    return root


def twin_url(siteurl: str, path: str, target: str, settings: Mapping[str, Any]) -> str:
    """The address of the page at `path` (relative to a language's root) in `target`."""
    root = site_root(siteurl, run_language(settings), settings)
    other = folder(target, settings)
    return f"{root}/{other}/{path}" if other else f"{root}/{path}"


@pass_context
def language_url(context: Mapping[str, Any], target: str, path: str = "") -> str:
    """Template function: this page (`path`) in `target`, from the page's own SITEURL."""
    return twin_url(context.get("SITEURL", ""), path, target, context)


def language_name(language: str) -> str:
    """The language's name in itself: what a reader of it looks for in a switch."""
    return LANGUAGE_NAMES[language]
