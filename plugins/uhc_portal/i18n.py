"""One gettext catalogue for templates and Python strings; Indonesian is the source language.

Each other language has a `.po` file under `locale/<lang>/LC_MESSAGES/`, compiled in memory
when a build activates it: no compiled `.mo` is kept in the repository or written anywhere.
"""

from __future__ import annotations

import functools
import io
import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE_LANGUAGE = "id"
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}  # each in its own language


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


def translations(language: str) -> NullTranslations:
    """The catalogue for `language`; Indonesian needs none because the msgids are Indonesian."""
    if language == SOURCE_LANGUAGE:
        return NullTranslations()
    with open(catalogue_path(language), "rb") as po:
        catalogue = read_po(po, locale=language, domain="messages")
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain="messages")


_current: NullTranslations = NullTranslations()
_language = SOURCE_LANGUAGE


def activate(language: str) -> NullTranslations:
    """Interface strings, numbers and dates in `language` from now on (one build run)."""
    global _current, _language
    _current, _language = translations(language), language
    return _current


def language() -> str:
    """The active language: the locale the filters format numbers and dates in."""
    return _language


def _(message: str) -> str:
    return _current.gettext(message)


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


# Data-error messages are for stewards, not readers: Indonesian, whatever the language of the
# pages being built, or English when asked (`--messages en`, or this variable).
MESSAGE_LANGUAGE = "UHC_MESSAGE_LANGUAGE"


def message_language() -> str:
    """The language data errors are told in: Indonesian unless English was asked for."""
    asked = os.environ.get(MESSAGE_LANGUAGE, "").strip().lower()
    return asked if asked in LANGUAGE_NAMES else SOURCE_LANGUAGE


@functools.lru_cache(maxsize=4)
def _message_catalogue(language: str) -> NullTranslations:
    return translations(language)


def M_(message: str) -> str:
    """A steward's message (an error's 'expected', a report's line) in `message_language()`."""
    return _message_catalogue(message_language()).gettext(message)


def Mn_(singular: str, plural: str, count: int) -> str:
    """`M_` for a message with a number: Indonesian has one form, English two."""
    return _message_catalogue(message_language()).ngettext(singular, plural, count)
