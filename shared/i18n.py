"""Languages: gettext catalogs in shared/locales, a fallback chain, text direction.

Catalogs are plain ``.po`` files (``shared/locales/<locale>/LC_MESSAGES/brug.po``),
compiled in memory when first used, so there is no build step and a
translator edits one text file. The English source text is the message id:
English needs no catalog, and any locale falls back to it.

Fallback: a regional variant falls back to its language, and every language
to English (``fa-AF`` → ``fa`` → ``en``; ``ar-SY`` → ``ar`` → ``en``).
"""

from __future__ import annotations

import gettext as _gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

__all__ = [
    "SUPPORTED",
    "DEFAULT",
    "ALIASES",
    "alias_of",
    "LOCALES_DIR",
    "negotiate",
    "fallback_chain",
    "translations",
    "translate",
    "text_direction",
    "catalog_path",
    "N_",
]


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    """Marks a message for the catalogs; it is translated where it is shown."""
    return message


LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT = "en"
#: every locale attendees can choose; a catalog exists for each but English.
SUPPORTED = ("nl", "en", "ar", "fa", "fa-AF", "ps", "ti", "so", "tr", "uk", "ru", "fr", "ku", "ckb", "am")


#: tags whose language alone would pick the wrong locale: Kurdish in Arabic script is Sorani, not
#: Kurmanji (``ku``, Latin script); any region after it is kept out of the way (``ku-Arab-IQ``).
ALIASES = {"ku-arab": "ckb"}


def alias_of(tag: str) -> str | None:
    """The locale an :data:`ALIASES` tag stands for (``ku-Arab-IQ`` → ``ckb``), else None."""
    wanted = tag.strip().replace("_", "-").lower()
    return next((to for alias, to in ALIASES.items() if wanted == alias or wanted.startswith(alias + "-")), None)


def negotiate(requested: str | None) -> str:
    """The supported locale closest to ``requested`` (``ar-SY`` → ``ar``, ``ku-Arab`` → ``ckb``,
    unknown → ``en``)."""
    if not requested:
        return DEFAULT
    if (aliased := alias_of(requested)) is not None:
        return aliased
    wanted = requested.replace("_", "-")
    for candidate in (wanted, wanted.split("-")[0]):
        for supported in SUPPORTED:
            if supported.lower() == candidate.lower():
                return supported
    return DEFAULT


def fallback_chain(locale: str) -> list[str]:
    """``fa-AF`` → ``["fa-AF", "fa", "en"]``."""
    chain = [negotiate(locale)]
    base = chain[0].split("-")[0]
    if base != chain[0]:
        chain.append(base)
    if DEFAULT not in chain:
        chain.append(DEFAULT)
    return chain


def catalog_path(locale: str) -> Path:
    return LOCALES_DIR / locale.replace("-", "_") / "LC_MESSAGES" / "brug.po"


def _compiled(locale: str) -> _gettext.NullTranslations:
    """``brug.po`` (every attendee-facing text) merged with any ``staff-*.po`` beside it.

    Staff pages (ambassadors, coordinators, providers) are in English and
    Dutch only; keeping their texts in their own files keeps the attendee
    catalog, which every locale must translate in full, free of them.
    """
    folder = catalog_path(locale).parent
    paths = [catalog_path(locale), *sorted(folder.glob("staff-*.po"))] if folder.exists() else []
    merged = None
    for path in paths:
        if not path.exists():
            continue
        with path.open("rb") as source:
            catalog = read_po(source, locale=locale.replace("-", "_"))
        if merged is None:
            merged = catalog
        else:
            for message in catalog:
                if message.id:
                    merged[message.id] = message
    if merged is None:
        return _gettext.NullTranslations()
    buffer = BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


@cache
def translations(locale: str) -> _gettext.NullTranslations:
    """The catalog for ``locale`` with its fallbacks chained behind it."""
    chain = [_compiled(name) for name in fallback_chain(locale) if name != DEFAULT]
    if not chain:
        return _gettext.NullTranslations()
    first = chain[0]
    for fallback in chain[1:]:
        first.add_fallback(fallback)
    return first


def translate(locale: str, message: str) -> str:
    return translations(negotiate(locale)).gettext(message)


def text_direction(locale: str) -> str:
    """``"rtl"`` for Arabic, Persian, Dari, Pashto, Sorani Kurdish; else ``"ltr"``."""
    return Locale.parse(negotiate(locale).replace("-", "_")).text_direction
