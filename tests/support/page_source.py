"""What an attendee page's HTML source tells anyone who reads it, not only what it shows.

A shared phone's browser keeps the page's source (history, "view source",
a screenshot of developer tools, a cached copy), so every attribute value
(value, id, class, name, for, data-*, aria-*, title, placeholder...), the
paths and query names of every link, form action and resource, the text,
and inline scripts and styles go through the discretion guard, and none
may carry an internal topic id or the internal title. Parts of a URL that
are capabilities or ids (a session's uuid, a booking code, a card's code,
a token) and the CSRF token are left out: they are random, not words, and
a random string may by chance hold three letters of the catalogue.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from shared.discretion import sensitive_words_in
from shared.topics import TOPICS

__all__ = ["exposed_in", "indiscretions"]

#: tests.support.factories.make_session's internal title: it must never reach a page.
INTERNAL_TITLE = "Sexual violence: where to find help"
_URL_ATTRIBUTES = {"href", "action", "src", "formaction", "poster", "cite"}
#: hidden fields whose value is a random capability, not a word
_SECRET_FIELDS = {"csrf", "token", "key"}


class _Source(HTMLParser):
    """Every string of a page a reader of its source sees, with where it was found."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        secret = attributes.get("type") == "hidden" and attributes.get("name") in _SECRET_FIELDS
        for name, value in attrs:
            if value is None or (secret and name == "value"):
                continue
            if name in _URL_ATTRIBUTES or (tag == "meta" and name == "content" and "url=" in value.lower()):
                value = _url_words(value)
            self.found.append((f"<{tag} {name}>", value))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.found.append(("text", data))


def _looks_random(part: str) -> bool:
    """A uuid, a booking or card code, a token: digits in it, mixed case, or long."""
    return bool(re.search(r"\d", part)) or (part.lower() != part and part.upper() != part) or len(part) >= 16


def _url_words(url: str) -> str:
    """A URL's path without its random parts, and its query's names (and the language asked for)."""
    parts = urlsplit(url)
    path = "/".join(segment for segment in parts.path.split("/") if not _looks_random(segment))
    query = [name if name != "lang" else f"{name}={value}" for name, value in parse_qsl(parts.query)]
    return " ".join([path, *query])


def exposed_in(html: str) -> list[tuple[str, str]]:
    """(where, string) for every attribute value and text of ``html``."""
    source = _Source()
    source.feed(html)
    source.close()
    return source.found


def indiscretions(html: str) -> list[str]:
    """What in ``html``'s source names what a session is about: catalogue words, a topic id, the
    internal title; each with where it was found. Empty for a discreet page."""
    problems = []
    for where, text in exposed_in(html):
        words = sensitive_words_in(text)
        topics = [topic for topic in TOPICS if topic in text]
        if words or topics or INTERNAL_TITLE.casefold() in text.casefold():
            problems.append(f"{where} {text.strip()[:80]!r}: {words + topics}")
    return problems
