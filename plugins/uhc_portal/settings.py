"""The plugin's settings as data (name, default, help), checked up front with clear messages."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .schema import Problem, parse_date

TRANSLATED = ("id", "en")  # languages with a complete catalogue and content pages


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS = (
    Setting(
        "UHC_DATA_DIR",
        None,
        "Folder with regions/, coverage/, forums/, sources.yaml and "
        "rules.yaml. Default: the folder 'data' beside the content folder.",
    ),
    Setting(
        "UHC_TODAY",
        None,
        "The date ('YYYY-MM-DD') against which future dates in the data "
        "are refused. Default: today. Never printed in the output.",
    ),
    Setting(
        "UHC_STALE_MONTHS",
        24,
        "Months after which a region's newest figure is old, counted at the data's date (the "
        "newest 'accessed' in sources.yaml, else the newest figure's; never the clock, so the "
        "same data gives the same pages): its status is then shown with 'angka lama' and its age "
        "(region page, lists, map, feeds, search), and the home ranking leaves it out.",
    ),
    Setting(
        "UHC_LANGUAGES",
        ["id"],
        "Languages of the site, each a whole copy of it: the first at the root, each other "
        "under /<language>/ ('id' and 'en' are translated; pelicanconf.py sets ['id', 'en']).",
    ),
    Setting(
        "UHC_LANGUAGE",
        None,
        "The language of one build run; the build sets it for each of UHC_LANGUAGES. "
        "Default: the first of UHC_LANGUAGES.",
    ),
    Setting(
        "UHC_CHART_CACHE",
        None,
        "Folder caching rendered charts by spec hash. Default: "
        "'.cache/charts' beside the settings file; False for no cache.",
    ),
    Setting(
        "UHC_CHART_WORKERS",
        None,
        "Processes rendering charts while pages are written. "
        "Default: one per usable core (sites with fewer than 16 charts render in the build's "
        "own process).",
    ),
    Setting(
        "UHC_SEARCH_SHARD_PAGES",
        1000,
        "Pages at most in one search bundle: a language with more gets several (pagefind/, "
        "pagefind-2/, …), each indexed by its own Pagefind run and merged by the search script, "
        "so that indexing a large site needs about 0.1 MB per page of one bundle, not of all.",
    ),
    Setting(
        "UHC_REPOSITORY",
        None,
        "The GitHub repository of the site's data, 'owner/name'. When set, every figure and "
        "source on a region page links to 'Sunting data' (the file's edit page at its line) and "
        "'Laporkan kesalahan' (a new issue from the form laporan-angka.yml, pre-filled); when "
        "unset, no such links.",
    ),
    Setting("UHC_BRANCH", "main", "The branch those 'Sunting data' links edit."),
)

REPOSITORY = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}", re.ASCII)
BRANCH = re.compile(r"(?!-)(?!.*\.\.)(?!.*//)[A-Za-z0-9._/-]{1,200}(?<![/.])", re.ASCII)


class SettingsError(Exception):
    pass


def check_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """Fill defaults and refuse a bad value, naming the key and what it should be."""
    out = {s.name: settings.get(s.name, s.default) for s in SETTINGS}
    data_dir = out["UHC_DATA_DIR"] or os.path.join(settings["PATH"], os.pardir, "data")
    out["UHC_DATA_DIR"] = Path(data_dir).resolve()
    if not out["UHC_DATA_DIR"].is_dir():
        raise SettingsError(
            f"uhc_portal: Invalid 'UHC_DATA_DIR' value: {str(data_dir)!r}; "
            "should be a folder holding the portal's data files"
        )
    today = out["UHC_TODAY"]
    try:
        out["UHC_TODAY"] = parse_date(today, dt.date.max).start if today else dt.date.today()
    except Problem:
        raise SettingsError(
            f"uhc_portal: Invalid 'UHC_TODAY' value: {today!r}; should be a date 'YYYY-MM-DD'"
        ) from None
    languages = out["UHC_LANGUAGES"]
    if (
        not isinstance(languages, list | tuple)
        or not languages
        or not set(languages) <= set(TRANSLATED)
        or len(set(languages)) != len(languages)
    ):
        raise SettingsError(
            f"uhc_portal: Invalid 'UHC_LANGUAGES' value: {languages!r}; should be a list of "
            f"languages without repeats, the first at the site's root, from {list(TRANSLATED)}"
        )
    out["UHC_LANGUAGES"] = list(languages)
    out["UHC_LANGUAGE"] = out["UHC_LANGUAGE"] or languages[0]
    if out["UHC_LANGUAGE"] not in languages:
        raise SettingsError(
            f"uhc_portal: Invalid 'UHC_LANGUAGE' value: {out['UHC_LANGUAGE']!r}; "
            f"should be one of UHC_LANGUAGES {list(languages)}"
        )
    stale = out["UHC_STALE_MONTHS"]
    if type(stale) is not int or not 1 <= stale <= 600:
        raise SettingsError(
            f"uhc_portal: Invalid 'UHC_STALE_MONTHS' value: {stale!r}; "
            "should be a whole number of months from 1 to 600 (e.g. 24)"
        )
    workers = out["UHC_CHART_WORKERS"]
    if workers is not None and (type(workers) is not int or not 1 <= workers <= 64):
        raise SettingsError(
            f"uhc_portal: Invalid 'UHC_CHART_WORKERS' value: {workers!r}; "
            "should be a whole number from 1 to 64, or None for one per core"
        )
    shard = out["UHC_SEARCH_SHARD_PAGES"]
    if type(shard) is not int or not 1 <= shard <= 1_000_000:
        raise SettingsError(
            f"uhc_portal: Invalid 'UHC_SEARCH_SHARD_PAGES' value: {shard!r}; "
            "should be a whole number of pages from 1 to 1000000 (e.g. 1000)"
        )
    repository = out["UHC_REPOSITORY"]
    if repository is not None and not (
        isinstance(repository, str) and REPOSITORY.fullmatch(repository)
    ):
        raise SettingsError(
            f"uhc_portal: Invalid 'UHC_REPOSITORY' value: {repository!r}; should be a GitHub "
            "repository 'owner/name' (e.g. 'pantau-uhc/portal'), or None for no edit links"
        )
    branch = out["UHC_BRANCH"]
    if not (isinstance(branch, str) and BRANCH.fullmatch(branch)):
        raise SettingsError(
            f"uhc_portal: Invalid 'UHC_BRANCH' value: {branch!r}; should be a branch name "
            "such as 'main' (letters, digits, '.', '_', '-' and '/')"
        )
    if not settings.get("JINJA_ENVIRONMENT", {}).get("autoescape"):
        raise SettingsError(
            "uhc_portal: Invalid 'JINJA_ENVIRONMENT' value: autoescape must be "
            "True so that data is printed as text, never as markup"
        )
    return out


def run_language(settings: dict[str, Any]) -> str:
    """The language of this build run: UHC_LANGUAGE as the build set it, else the first."""
    return settings.get("UHC_LANGUAGE") or language_runs(settings)[0][0]


def language_runs(settings: dict[str, Any]) -> list[tuple[str, str]]:
    """(language, folder below the site's root) for each build run: '' for the first."""
    languages = list(settings.get("UHC_LANGUAGES") or ["id"])
    return [(lang, "" if i == 0 else lang) for i, lang in enumerate(languages)]
