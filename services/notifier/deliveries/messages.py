"""The words of each message; they never say what a session is about.

The English text is the gettext message id (catalogs in shared/locales);
only the session's discreet public title, the venue's public name, the day
and time in the venue's zone and the booking code are filled in. Every
rendered text passes the discretion guard before it may be sent.

An SMS isolates a title or place written against the text's direction (a
Latin title or a Dutch address in Arabic, Persian, Dari or Pashto) between
U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE, as the pages
do with ``<bdi>``, so its words and numbers keep their order. Both are UCS-2
characters: they are added only to a text that is UCS-2 already, and only
when they add no segment (tests/notifier/test_messages.py).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from notifier.deliveries.models import DeliveryKind
from notifier.deliveries.sms import encoding, segments
from shared.discretion import DiscretionError, sensitive_words_in
from shared.formats import format_when
from shared.i18n import negotiate, text_direction, translate

__all__ = ["MESSAGES", "MessageFacts", "render", "sms_text", "FSI", "PDI"]

FSI, PDI = "\u2068", "\u2069"

#: kind → English source text (the gettext msgid). Short plain sentences for low literacy.
MESSAGES: dict[str, str] = {
    DeliveryKind.CONFIRMATION: "You have a free place: {title}, {when}, {place}. Your code: {code}",
    DeliveryKind.PROMOTED: "A place opened up for you: {title}, {when}, {place}. Your code: {code}",
    DeliveryKind.WAITLISTED: "You are number {position} on the waiting list for {title}, {when}. "
    "We will text you if a place opens.",
    DeliveryKind.REMINDER: "Reminder: {title}, {when}, {place}. Your code: {code}",
    DeliveryKind.RESCHEDULED: "Changed: {title} is now on {when}, {place}. Your code: {code}",
    DeliveryKind.CANCELLED: "Cancelled: {title} on {when} will not take place. We are sorry.",
    DeliveryKind.BOOKING_CANCELLED: "Your place is cancelled: {title}, {when}. Your code: {code}",
    DeliveryKind.FEEDBACK: "Thank you for coming. Tell us what you think, anonymously: {link}",
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
    return _guarded(kind, chosen, _filled(kind, chosen, facts, facts.title, facts.place))


def sms_text(kind: str, locale: str, facts: MessageFacts) -> str:
    """:func:`render`'s text, its title and place isolated where they run against the text's
    direction, if the text is UCS-2 anyway and the isolates cost no segment."""
    plain = render(kind, locale, facts)
    if encoding(plain) != "UCS-2":
        return plain
    chosen = negotiate(locale)
    direction = text_direction(chosen)
    title, place = (_isolated(value, direction) for value in (facts.title, facts.place))
    if (title, place) == (facts.title, facts.place):
        return plain
    isolated = _guarded(kind, chosen, _filled(kind, chosen, facts, title, place))
    return isolated if segments(isolated) == segments(plain) else plain


def _filled(kind: str, chosen: str, facts: MessageFacts, title: str, place: str) -> str:
    return translate(chosen, MESSAGES[kind]).format(
        title=title,
        when=format_when(facts.starts_at, facts.timezone, chosen),
        place=place,
        code=facts.code,
        position=facts.position,
        link=facts.link,
    )


def _guarded(kind: str, chosen: str, text: str) -> str:
    if hits := sensitive_words_in(text):
        raise DiscretionError(f"message {kind!r} in {chosen} names {len(hits)} sensitive word(s); not sent")
    return text


def _isolated(value: str, direction: str) -> str:
    """``value`` between FSI and PDI when its first strong letter runs against ``direction``."""
    for character in value:
        strong = unicodedata.bidirectional(character)
        if strong in ("L", "R", "AL"):
            against = (strong == "L") == (direction == "rtl")
            return f"{FSI}{value}{PDI}" if against else value
    return value
