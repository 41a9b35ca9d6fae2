"""Idempotency-Key on booking POSTs: a retried request gets the first answer, not a second seat.

A phone on a weak connection often sends a registration twice. With an
``Idempotency-Key`` header the first answer (status and body, including the
manage token) is kept for a day, scoped to the session, and replayed to every
retry with the same body; the same key with a different body is refused.

Only a hash of the key is stored, and the answer is encrypted under a key
derived from the idempotency key (libsodium secretbox), so the table alone
reveals no booking's secret link. Call these with the session locked: that
is what makes two simultaneous retries see each other.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

from nacl.secret import SecretBox
from sqlmodel import Session

from scheduler.bookings import repository
from scheduler.bookings.models import IdempotentReply
from scheduler.bookings.schemas import BookingCreate, BookingCreated
from scheduler.errors import IdempotencyKeyReused
from shared.events import utcnow

__all__ = ["KEEP", "replay", "remember"]

#: how long a first answer is replayed; a retry after that is a new request.
KEEP = timedelta(days=1)


def _key_hash(session_id: str, key: str) -> str:
    return hashlib.sha256(f"{session_id}\n{key}".encode()).hexdigest()


def _request_hash(data: BookingCreate) -> str:
    """The registration's identity; the proof-of-work solution is not part of it (a retry may bring a new one)."""
    return hashlib.sha256(data.model_dump_json(exclude={"altcha"}).encode()).hexdigest()


def _box(key: str) -> SecretBox:
    return SecretBox(hashlib.blake2b(key.encode(), digest_size=32, person=b"brug-idem-box").digest())


def replay(db: Session, session_id: str, key: str, data: BookingCreate) -> tuple[int, BookingCreated] | None:
    """The first answer to this key, if it is still kept; IdempotencyKeyReused for another body."""
    repository.forget_replies(db, session_id, utcnow())
    row = db.get(IdempotentReply, _key_hash(session_id, key))
    if row is None:
        return None
    if row.request_hash != _request_hash(data):
        raise IdempotencyKeyReused(
            "This Idempotency-Key was already used for a different registration for this session; "
            "send a new key with a new registration."
        )
    body = _box(key).decrypt(base64.b64decode(row.sealed_response))
    return row.status_code, BookingCreated.model_validate_json(body)


def remember(
    db: Session, session_id: str, key: str, data: BookingCreate, status_code: int, answer: BookingCreated
) -> None:
    sealed = _box(key).encrypt(answer.model_dump_json().encode())
    db.add(
        IdempotentReply(
            key_hash=_key_hash(session_id, key),
            session_id=session_id,
            request_hash=_request_hash(data),
            status_code=status_code,
            sealed_response=base64.b64encode(bytes(sealed)).decode(),
            expires_at=utcnow() + KEEP,
        )
    )
    db.flush()
