"""The words of each message, per locale; they never name what a session is about.

Only the session's discreet public title, the venue's public name, the time
in the venue's zone and the booking code are filled in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

__all__ = ["MessageFacts", "render", "TEMPLATES"]

TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "confirmation": "You have a place: {title}, {when}, {place}. Your code: {code}.",
        "promoted": "A place opened up for you: {title}, {when}, {place}. Your code: {code}.",
    },
    "nl": {
        "confirmation": "Je hebt een plek: {title}, {when}, {place}. Je code: {code}.",
        "promoted": "Er is een plek vrij voor jou: {title}, {when}, {place}. Je code: {code}.",
    },
}
FALLBACK = "en"


@dataclass(frozen=True)
class MessageFacts:
    title: str
    starts_at: datetime
    timezone: str
    place: str
    code: str


def render(kind: str, locale: str, facts: MessageFacts) -> str:
    """The text for ``kind`` in ``locale`` (or its base language, or English)."""
    catalog = TEMPLATES.get(locale) or TEMPLATES.get(locale.split("-")[0]) or TEMPLATES[FALLBACK]
    local = facts.starts_at.astimezone(ZoneInfo(facts.timezone))
    when = f"{local:%d-%m-%Y %H:%M}"
    return catalog[kind].format(title=facts.title, when=when, place=facts.place, code=facts.code)
