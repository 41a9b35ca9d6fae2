"""Dead letters: the page coordinators read, and a replay that applies the event once.

A replay goes through the consumer's own apply path (:meth:`shared.consumer.Consumer.apply`)
in the caller's transaction, not back onto the bus: the original subject belongs to
another service's stream (this service's NATS user may not publish there), and
JetStream would drop a copy with the same ``Nats-Msg-Id`` inside its duplicate window
anyway. Through the apply path the inbox decides: an event it holds is a duplicate and
runs no handler, so replaying twice, or replaying an event that was redelivered and
applied meanwhile, applies it once. The letter is marked replayed, and its kept event
dropped, in the same transaction as the event's effects; the audit entry joins it.

An erasure forgets the kept events about the erased booking (:func:`forget_booking`): a
dead-lettered confirmation carries the sealed contact, and replaying it would bring it back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlmodel import Session

from shared import audit
from shared.auth import Principal
from shared.consumer import Consumer, Handler
from shared.dead_letters import repository
from shared.errors import Conflict, NotFound
from shared.events import Envelope, EventRejected, parse_event, utcnow
from shared.tables import DeadLetter

__all__ = [
    "LetterPage",
    "Replayed",
    "DeadLetterNotFound",
    "AlreadyReplayed",
    "NotReplayable",
    "ReplayFailed",
    "read_page",
    "replay",
    "forget_booking",
    "forget_old",
]


class DeadLetterNotFound(NotFound):
    pass


class AlreadyReplayed(Conflict):
    pass


class NotReplayable(Conflict):
    pass


class ReplayFailed(Conflict):
    pass


@dataclass(frozen=True)
class LetterPage:
    letters: list[DeadLetter]
    #: pass as ``before`` for the next (older) page; None on the last page
    next_before: int | None
    #: whether newer letters exist than the first on this page (a link back to the newest)
    has_newer: bool


@dataclass(frozen=True)
class Replayed:
    letter_id: int
    #: applied now, or found in the inbox (it had been applied already): either way applied once
    outcome: Literal["applied", "duplicate"]


def read_page(db: Session, *, before: int | None = None, limit: int = 50) -> LetterPage:
    """Letters newest first, ``limit`` a page."""
    rows = repository.page(db, before=before, limit=limit)
    letters = rows[:limit]
    more = len(rows) > limit and letters[-1].id is not None
    newer = bool(letters) and letters[0].id is not None and repository.newer_exists(db, letters[0].id)
    return LetterPage(letters, letters[-1].id if more else None, newer)


def replay(db: Session, consumers: Sequence[Consumer], letter_id: int, actor: Principal) -> Replayed:
    """Apply letter ``letter_id``'s event through its consumer, mark it replayed, audit it; raises
    (and changes nothing) when it cannot be applied."""
    letter = repository.locked(db, letter_id)
    if letter is None:
        raise DeadLetterNotFound(f"No dead letter {letter_id} in this service; it may be in another one.")
    if letter.replayed_at is not None:
        raise AlreadyReplayed(f"Dead letter {letter_id} was replayed at {letter.replayed_at:%Y-%m-%d %H:%M} UTC.")
    consumer, envelope, handler = _readable(letter, consumers)
    [outcome] = consumer.apply(db, [(envelope, handler)], isolate=True)
    if isinstance(outcome, Exception):
        raise ReplayFailed(f"{type(outcome).__name__}: {outcome}")
    letter.replayed_at, letter.body = utcnow(), None
    db.add(letter)
    audit.record(db, actor, "dead_letter.replayed", letter_id=letter_id, event_id=envelope.id, outcome=outcome)
    return Replayed(letter_id, outcome)


def forget_old(db: Session, *, now: datetime, days: int) -> int:
    """Delete the letters that arrived more than ``days`` before ``now`` (BRUG_DEAD_LETTER_RETENTION_DAYS),
    replayed or not; how many. A coordinator has had that long to fix the cause and replay them."""
    return repository.delete_created_before(db, now - timedelta(days=days))


def forget_booking(db: Session, code: str) -> int:
    """Drop the kept event of every letter about booking ``code`` (its attendee's data was erased):
    nothing of theirs stays here, and no replay can bring it back. Returns how many."""
    forgotten = 0
    for letter in repository.naming_booking(db, code):
        if _booking_of(letter.body) == code:
            letter.body = None
            db.add(letter)
            forgotten += 1
    return forgotten


def _booking_of(body: str | None) -> object:
    try:
        payload = json.loads(body or "{}").get("payload")
    except (ValueError, AttributeError):
        return None
    return payload.get("booking_code") if isinstance(payload, dict) else None


def _readable(letter: DeadLetter, consumers: Sequence[Consumer]) -> tuple[Consumer, Envelope, Handler]:
    """The consumer that gave the letter up, its event and the handler for it; else why not."""
    if letter.body is None:
        raise NotReplayable(
            "This letter kept no event to replay: it was not a readable event, or came before events were kept."
        )
    consumer = next((c for c in consumers if (c.name, c.stream) == (letter.consumer, letter.stream)), None)
    if consumer is None:
        raise NotReplayable(f"This service no longer reads {letter.stream} as {letter.consumer}.")
    try:
        envelope = parse_event(letter.body.encode())
    except EventRejected as error:
        raise NotReplayable(f"The kept event is not readable: {error}") from None
    handler = consumer.handlers.get((envelope.type, envelope.version))
    if handler is None:
        raise NotReplayable(f"This service does not read {envelope.type} version {envelope.version}.")
    return consumer, envelope, handler
