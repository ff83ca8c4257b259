"""The plugin's settings as data (name, default, help), checked up front with clear messages."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .schema import Problem, parse_date


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
    Setting("UHC_LANGUAGE", "id", "Language of interface strings ('id'; 'en' once translated)."),
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
        "Default: one per usable core (in-process for sites with few charts).",
    ),
    Setting(
        "UHC_REPOSITORY",
        None,
        "The GitHub repository of the site's data, 'owner/name'. When set, every figure and "
        "source on a region page links to 'Sunting data' and 'Laporkan kesalahan'; when unset, "
        "no such links.",
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
    if out["UHC_LANGUAGE"] not in ("id", "en"):
        raise SettingsError(
            f"uhc_portal: Invalid 'UHC_LANGUAGE' value: "
            f"{out['UHC_LANGUAGE']!r}; should be 'id' or 'en'"
        )
    workers = out["UHC_CHART_WORKERS"]
    if workers is not None and (type(workers) is not int or not 1 <= workers <= 64):
        raise SettingsError(
            f"uhc_portal: Invalid 'UHC_CHART_WORKERS' value: {workers!r}; "
            "should be a whole number from 1 to 64, or None for one per core"
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
