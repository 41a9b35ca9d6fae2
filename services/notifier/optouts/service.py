"""Opting out by SMS: STOP and its equivalents stop all texts to a number; START undoes it.

A number is stored only as HMAC-SHA256 under ``BRUG_OPTOUT_HASH_KEY`` (see
:class:`~notifier.optouts.models.OptOut`), after normalising it to E.164 so
that ``06 12345678`` and ``+31612345678`` are the same number.

Opting out is easy on purpose: a message that is a stop word, or starts
with one ("stop please"), is enough. Opting back in must be deliberate: the
message must be exactly START or UNSTOP.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Literal

import phonenumbers
from sqlmodel import Session

from notifier.optouts import repository

__all__ = ["STOP_WORDS", "START_WORDS", "keyword", "number_hash", "is_opted_out", "opt_out", "opt_in"]

#: Twilio's and the carriers' English stop words, and Dutch ones.
STOP_WORDS = frozenset(
    {
        "STOP",
        "STOPALL",
        "UNSUBSCRIBE",
        "CANCEL",
        "END",
        "QUIT",
        "OPTOUT",
        "REVOKE",
        "AFMELDEN",
        "STOPPEN",
        "UITSCHRIJVEN",
    }
)
START_WORDS = frozenset({"START", "UNSTOP"})

#: numbers without a country code are read as Dutch, as the scheduler does.
DEFAULT_REGION = "NL"


def keyword(body: str) -> Literal["stop", "start"] | None:
    """What an inbound text asks for, if anything."""
    words = re.sub(r"[^\w\s]", " ", body).upper().split()
    if not words:
        return None
    if "".join(words) in STOP_WORDS or words[0] in STOP_WORDS:
        return "stop"
    if "".join(words) in START_WORDS:
        return "start"
    return None


def _e164(number: str) -> str:
    try:
        parsed = phonenumbers.parse(number, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return re.sub(r"[^\d+]", "", number)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def number_hash(key: str, number: str) -> str:
    """The keyed hash stored for ``number`` (hex); the number itself is never stored."""
    return hmac.new(key.encode(), _e164(number).encode(), hashlib.sha256).hexdigest()


def is_opted_out(db: Session, key: str, number: str) -> bool:
    return repository.get(db, number_hash(key, number)) is not None


def opt_out(db: Session, key: str, number: str) -> None:
    repository.add(db, number_hash(key, number))


def opt_in(db: Session, key: str, number: str) -> None:
    repository.remove(db, number_hash(key, number))
