"""A session's public title in the attendee's language (the ambassador may give one per session language).

``public_title`` is the session's default title; ``public_titles`` holds the
titles given per language (supported locales among the session's languages).
An attendee reads their own language's title; one whose language the session
has without a title of its own reads ``public_title``; anyone else (a visitor
in a language the session is not held in) reads the session's first
language's title, never English by default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from shared.i18n import DEFAULT, negotiate

__all__ = ["title_for", "locales_of"]


def _locale_of(tag: str) -> str | None:
    """The supported locale a language tag is (``ar-SY`` → ``ar``), None for one we do not support."""
    chosen = negotiate(tag)
    return chosen if chosen != DEFAULT or tag.lower().split("-")[0] == DEFAULT else None


def locales_of(languages: Sequence[str]) -> list[str]:
    """The supported locales of a session's languages, in their order: the keys ``public_titles`` may have."""
    found = (_locale_of(language) for language in languages)
    return list(dict.fromkeys(locale for locale in found if locale is not None))


def title_for(
    locale: str | None, public_title: str, public_titles: Mapping[str, str] | None, languages: Sequence[str]
) -> str:
    """The title for an attendee reading ``locale``: its own, else the first language's, else ``public_title``."""
    titles = public_titles or {}
    chosen = _locale_of(locale) if locale else None
    if chosen is not None and chosen in titles:
        return titles[chosen]
    if chosen is not None and chosen in locales_of(languages):
        return public_title
    first = _locale_of(languages[0]) if languages else None
    return titles.get(first, public_title) if first is not None else public_title
