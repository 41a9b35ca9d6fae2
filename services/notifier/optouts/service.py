"""Opting out by SMS: STOP and its equivalents stop all texts to a number; START undoes it.

A number is stored only as HMAC-SHA256 under ``BRUG_OPTOUT_HASH_KEY`` (see
:class:`~notifier.optouts.models.OptOut`), after normalising it to E.164 so
that ``06 12345678`` and ``+31612345678`` are the same number.

Opting out is easy on purpose: a message that is a stop word or phrase in any language Brug
speaks, or starts with one ("stop please", "توقف لطفا"), is enough. Opting back in must be
deliberate: the whole message must be a start word (START, UNSTOP, شروع, СТАРТ...). The words are
in notifier.optouts.words; both they and the message are normalised first
(notifier.optouts.normalise), so case, accents, letter forms and invisible characters do not matter.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Literal

from sqlmodel import Session

from notifier.optouts import repository
from notifier.optouts.normalise import words
from notifier.optouts.words import start_phrases, stop_phrases
from shared import phones

__all__ = ["keyword", "number_hash", "is_opted_out", "opt_out", "opt_in"]

_STOPS = stop_phrases()
_STARTS = start_phrases()
#: each phrase also typed as one word or letter by letter ("opt-out", "S.T.O.P", "stop all").
_STOPS_JOINED = frozenset("".join(p) for p in _STOPS)
_STARTS_JOINED = frozenset("".join(p) for p in _STARTS)


def keyword(body: str) -> Literal["stop", "start"] | None:
    """What an inbound text asks for, if anything: a stop phrase starting it, or a start phrase as all of it."""
    said = tuple(words(body))
    if not said:
        return None
    if "".join(said) in _STOPS_JOINED or any(said[: len(phrase)] == phrase for phrase in _STOPS):
        return "stop"
    if said in _STARTS or "".join(said) in _STARTS_JOINED:
        return "start"
    return None


def _e164(number: str) -> str:
    """As the scheduler stores it (shared.phones); a sender's id that is no number, by its digits."""
    parsed = phones.read_number(number)
    return phones.e164(parsed) if parsed is not None else re.sub(r"[^\d+]", "", number)


def number_hash(key: str, number: str) -> str:
    """The keyed hash stored for ``number`` (hex); the number itself is never stored."""
    return hmac.new(key.encode(), _e164(number).encode(), hashlib.sha256).hexdigest()


def is_opted_out(db: Session, key: str, number: str) -> bool:
    return repository.get(db, number_hash(key, number)) is not None


def opt_out(db: Session, key: str, number: str) -> None:
    repository.add(db, number_hash(key, number))


def opt_in(db: Session, key: str, number: str) -> None:
    repository.remove(db, number_hash(key, number))
