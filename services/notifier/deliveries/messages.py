"""The words of each message; they never say what a session is about.

The English text is the gettext message id (catalogs in shared/locales);
only the session's discreet public title, the venue's public name, the day
and time in the venue's zone and the booking code are filled in. Every
rendered text passes the discretion guard before it may be sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.discretion import DiscretionError, sensitive_words_in
from shared.i18n import format_when, negotiate, translate

__all__ = ["MESSAGES", "MessageFacts", "render"]

#: kind → English source text (the gettext msgid). Short plain sentences for low literacy.
MESSAGES: dict[str, str] = {
    "confirmation": "You have a free place: {title}, {when}, {place}. Your code: {code}",
    "promoted": "A place opened up for you: {title}, {when}, {place}. Your code: {code}",
    "waitlisted": "You are number {position} on the waiting list for {title}, {when}. "
    "We will text you if a place opens.",
    "reminder": "Reminder: {title}, {when}, {place}. Your code: {code}",
    "rescheduled": "Changed: {title} is now on {when}, {place}. Your code: {code}",
    "cancelled": "Cancelled: {title} on {when} will not take place. We are sorry.",
    "booking_cancelled": "Your place is cancelled: {title}, {when}. Your code: {code}",
    "feedback": "Thank you for coming. Tell us what you think, anonymously: {link}",
}


@dataclass(frozen=True)
class MessageFacts:
    """What may appear in a message: public facts only, never the topic or a name."""

    title: str
    starts_at: datetime
    timezone: str
    place: str
    code: str
    position: int | None = None
    link: str | None = None


def render(kind: str, locale: str, facts: MessageFacts) -> str:
    """The text for ``kind`` in ``locale`` (falling back to its language, then English).

    Raises :class:`DiscretionError` naming the template and locale (never the
    text) when the result contains a sensitive word in any language.
    """
    chosen = negotiate(locale)
    text = translate(chosen, MESSAGES[kind]).format(
        title=facts.title,
        when=format_when(facts.starts_at, facts.timezone, chosen),
        place=facts.place,
        code=facts.code,
        position=facts.position,
        link=facts.link,
    )
    if hits := sensitive_words_in(text):
        raise DiscretionError(f"message {kind!r} in {chosen} names {len(hits)} sensitive word(s); not sent")
    return text
