"""Rules for deliveries: plan once, claim under a lease, record the outcome with its event.

A delivery is written (``pending``) in the same transaction as the event that
caused it, claimed (``sending``) before the gateway is called, and marked
``sent`` or ``failed`` after. A claim older than the lease belongs to a
process that died mid-send: the gateway is asked whether it went out before
it is sent again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from notifier.deliveries import repository
from notifier.deliveries.messages import MessageFacts, render
from notifier.deliveries.models import Delivery, DeliveryStatus
from notifier.deliveries.sms import segments
from notifier.recipients.models import Recipient, SessionCopy
from shared import outbox
from shared.db import transaction
from shared.events import DeliveryUpdated, utcnow
from shared.sealing import unseal

__all__ = ["Claim", "Outgoing", "plan", "claim_due", "prepare", "mark_sent", "mark_failed"]

PRODUCER = "notifier"


@dataclass(frozen=True)
class Claim:
    delivery_id: str
    idempotency_key: str
    attempts: int
    stale: bool


@dataclass(frozen=True)
class Outgoing:
    to: str
    body: str
    segments: int


def plan(db: Session, *, booking_code: str, session_id: str, channel: str, kind: str) -> Delivery:
    """Plan one message; planning the same (kind, booking, channel) again changes nothing."""
    key = f"{kind}:{booking_code}:{channel}"
    existing = repository.by_key(db, key)
    if existing is not None:
        return existing
    delivery = Delivery(
        idempotency_key=key, booking_code=booking_code, session_id=session_id, channel=channel, kind=kind
    )
    db.add(delivery)
    db.flush()
    return delivery


def claim_due(engine: Engine, *, lease_seconds: float, limit: int) -> list[Claim]:
    now = utcnow()
    with transaction(engine) as db:
        rows = repository.due(db, now, now - timedelta(seconds=lease_seconds), limit)
        claims = [Claim(r.id, r.idempotency_key, r.attempts + 1, r.status == DeliveryStatus.SENDING) for r in rows]
        for row in rows:
            row.status, row.claimed_at, row.attempts = DeliveryStatus.SENDING, now, row.attempts + 1
            db.add(row)
    return claims


def prepare(engine: Engine, delivery_id: str, private_key: str) -> Outgoing | None:
    """The message to send, or None while the session's facts have not arrived yet."""
    with transaction(engine) as db:
        delivery = db.get(Delivery, delivery_id)
        assert delivery is not None
        recipient = db.get(Recipient, delivery.booking_code)
        session = db.get(SessionCopy, delivery.session_id)
        if recipient is None or session is None or recipient.sealed_contact is None:
            delivery.status, delivery.claimed_at = DeliveryStatus.PENDING, None
            delivery.due_at = utcnow() + timedelta(seconds=1)
            db.add(delivery)
            return None
        contact = unseal(private_key, recipient.sealed_contact)
        facts = MessageFacts(
            session.public_title, session.starts_at, session.timezone, session.venue_public_name, delivery.booking_code
        )
        body = render(delivery.kind, recipient.locale, facts)
        return Outgoing(to=contact["phone"], body=body, segments=segments(body))


def mark_sent(engine: Engine, delivery_id: str, gateway_ref: str, segment_count: int) -> None:
    with transaction(engine) as db:
        delivery = db.get(Delivery, delivery_id)
        assert delivery is not None
        delivery.status, delivery.gateway_ref, delivery.segments = DeliveryStatus.SENT, gateway_ref, segment_count
        delivery.last_error = None
        db.add(delivery)
        _announce(db, delivery)


def mark_failed(engine: Engine, delivery_id: str, error: str, *, permanent: bool, max_attempts: int) -> None:
    """Retry later with backoff, or give up after the last attempt."""
    with transaction(engine) as db:
        delivery = db.get(Delivery, delivery_id)
        assert delivery is not None
        delivery.last_error, delivery.claimed_at = error[:500], None
        if permanent or delivery.attempts >= max_attempts:
            delivery.status = DeliveryStatus.FAILED
            _announce(db, delivery)
        else:
            delivery.status = DeliveryStatus.PENDING
            delivery.due_at = utcnow() + timedelta(seconds=min(2**delivery.attempts, 300))
        db.add(delivery)


def _announce(db: Session, delivery: Delivery) -> None:
    outbox.record(
        db,
        DeliveryUpdated(
            delivery_id=delivery.id,
            booking_code=delivery.booking_code,
            channel=delivery.channel,
            kind=delivery.kind,
            status=delivery.status,
            segments=delivery.segments,
        ),
        producer=PRODUCER,
    )
