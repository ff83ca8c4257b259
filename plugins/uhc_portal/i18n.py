"""One gettext catalogue for templates and Python strings; Indonesian is the source language."""

from __future__ import annotations

from pathlib import Path

from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"


def translations(language: str) -> NullTranslations:
    """The catalogue for `language`; Indonesian needs none because the msgids are Indonesian."""
    if language == "id":
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [language], domain="messages")


_current = NullTranslations()


def activate(language: str) -> NullTranslations:
    global _current
    _current = translations(language)
    return _current


def _(message: str) -> str:
    return _current.gettext(message)


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message
