"""Re-sealing every stored contact to the current key (``python -m notifier rotate-key``).

Works in batches, each its own transaction, so an interrupted run keeps what
it did and a second run goes on from there; a run with nothing left to do
changes nothing. Rows are locked while they are re-sealed (SELECT ... FOR
UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite), so a booking event
handled at the same moment is never overwritten with an older contact.
A contact that no configured key opens is left as it is and counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from notifier.contacts.keys import KeyRing
from notifier.recipients import repository as recipients
from shared.sealing import SealError
from shared.unit_of_work import UnitOfWork

__all__ = ["Rotation", "rotate", "remaining"]


@dataclass
class Rotation:
    """What a run did: re-sealed to ``key``, already on it before the run, unreadable."""

    key: str
    resealed: int = 0
    current: int = 0
    unreadable: int = 0


def remaining(db: Session, key: str, after: str = "") -> int:
    """Stored contacts not yet sealed to ``key`` (after booking code ``after``)."""
    return recipients.count_not_sealed_to(db, key, after)


def rotate(
    engine: Engine, keys: KeyRing, *, batch_size: int = 500, progress: Callable[[Rotation, int], None] | None = None
) -> Rotation:
    """Re-seal every contact not on the current key; ``progress(done, left)`` after each batch."""
    result = Rotation(keys.current)
    with UnitOfWork(engine, read_only=True) as db:
        result.current = recipients.count_sealed_to(db, keys.current)
    after = ""
    while True:
        with UnitOfWork(engine) as db:
            rows = recipients.not_sealed_to(db, keys.current, after, batch_size)
            for row in rows:
                assert row.sealed_contact is not None
                try:
                    row.sealed_contact, row.contact_key = keys.to_current(row.sealed_contact, row.contact_key)
                except SealError:
                    result.unreadable += 1
                    continue
                db.add(row)
                result.resealed += 1
            if rows:
                after = rows[-1].booking_code
            left = remaining(db, keys.current, after)
        if progress is not None and rows:
            progress(result, left)
        if len(rows) < batch_size:
            return result
