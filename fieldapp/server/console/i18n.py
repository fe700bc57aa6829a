"""The console's languages: Thai first, English second, from gettext catalogues read with
Babel (``resources/translations/console/th.po``; English is the message ids themselves).

The catalogue is read once per process; a missing or unreadable one is a broken install and
fails at start-up, not as English text on a Thai page.
"""

from __future__ import annotations

from functools import cache

from babel.messages.pofile import read_po

from fieldapp.core.resources import resource_path

LANGUAGES = ("th", "en")
DEFAULT = "th"


def catalogue_path(lang: str = "th"):
    return resource_path("translations", "console", f"{lang}.po")


@cache
def _messages(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    with open(catalogue_path(lang), "rb") as f:
        catalog = read_po(f, locale=lang)
    return {m.id: m.string for m in catalog if m.id and isinstance(m.id, str)
            and m.string and not m.fuzzy}


def gettext_for(lang: str):
    """``_(text)`` for one language: the translation, or the text itself (English)."""
    messages = _messages(lang if lang in LANGUAGES else DEFAULT)

    def _(text: str, **values) -> str:
        out = messages.get(text, text)
        return out.format(**values) if values else out
    return _


def language_of(cookie: str | None) -> str:
    return cookie if cookie in LANGUAGES else DEFAULT


def N_(text: str) -> str:  # noqa: N802 - the gettext convention, found by the extractor
    """Mark text for translation where it is defined; ``_`` translates it where shown."""
    return text
