"""Rules for deliveries: plan once, claim under a lease, prepare the text, announce changes.

A delivery is written (``pending``) in the same transaction as the event that
caused it and claimed (``sending``) before any gateway is called; what
happened next is recorded by notifier.deliveries.outcomes. A claim older than
the lease belongs to a process that died; if it had begun a gateway call
(``in_doubt``), that gateway is asked whether the message went out before it
is sent again.

Every write made on behalf of a claim checks that the claim still holds
(same status ``sending``, same attempt number): a status callback or another
notifier that moved the delivery on wins, and the stale claim backs off
(:class:`LeaseLost`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from notifier.deliveries import repository
from notifier.deliveries.messages import MessageFacts, render
from notifier.deliveries.models import Delivery, DeliveryStatus
from notifier.deliveries.sms import segments
from notifier.optouts.service import is_opted_out
from notifier.recipients.models import Recipient, SessionCopy
from shared import outbox
from shared.db import transaction
from shared.events import DeliveryUpdated, utcnow
from shared.sealing import unseal

__all__ = ["Claim", "Outgoing", "LeaseLost", "plan", "claim_due", "prepare", "held", "announce"]

PRODUCER = "notifier"


class LeaseLost(Exception):
    """The delivery moved on without this claim (a callback, or another notifier after the lease)."""


@dataclass(frozen=True)
class Claim:
    delivery_id: str
    idempotency_key: str
    attempts: int
    stale: bool
    #: the last gateway call may have been accepted: reconcile at ``gateway`` first.
    in_doubt: bool = False
    gateway: str | None = None
    attempted_at: datetime | None = None


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
        claims = [
            Claim(
                r.id,
                r.idempotency_key,
                r.attempts + 1,
                r.status == DeliveryStatus.SENDING,
                in_doubt=r.in_doubt,
                gateway=r.gateway,
                attempted_at=r.attempted_at,
            )
            for r in rows
        ]
        for row in rows:
            row.status, row.claimed_at, row.attempts = DeliveryStatus.SENDING, now, row.attempts + 1
            db.add(row)
    return claims


def held(db: Session, claim: Claim) -> Delivery:
    """The claimed delivery, locked, if this claim still holds it; else :class:`LeaseLost`."""
    delivery = db.get(Delivery, claim.delivery_id, with_for_update=True)
    if delivery is None or delivery.status != DeliveryStatus.SENDING or delivery.attempts != claim.attempts:
        raise LeaseLost(claim.delivery_id)
    return delivery


def prepare(engine: Engine, claim: Claim, private_key: str, optout_key: str) -> Outgoing | None:
    """The message to send; None while the session's facts are missing, or when the number opted out.

    An opted-out number is never texted: the delivery becomes ``skipped``,
    even if an earlier call is in doubt.
    """
    with transaction(engine) as db:
        delivery = held(db, claim)
        recipient = db.get(Recipient, delivery.booking_code)
        session = db.get(SessionCopy, delivery.session_id)
        if recipient is None or session is None or recipient.sealed_contact is None:
            delivery.status, delivery.claimed_at = DeliveryStatus.PENDING, None
            delivery.due_at = utcnow() + timedelta(seconds=1)
            db.add(delivery)
            return None
        contact = unseal(private_key, recipient.sealed_contact)
        if is_opted_out(db, optout_key, contact["phone"]):
            delivery.status, delivery.claimed_at, delivery.in_doubt = DeliveryStatus.SKIPPED, None, False
            delivery.last_error = "the number opted out (STOP); not sent"
            db.add(delivery)
            announce(db, delivery)
            return None
        facts = MessageFacts(
            session.public_title, session.starts_at, session.timezone, session.venue_public_name, delivery.booking_code
        )
        body = render(delivery.kind, recipient.locale, facts)
        return Outgoing(to=contact["phone"], body=body, segments=segments(body))


def announce(db: Session, delivery: Delivery) -> None:
    """Record ``notify.delivery.updated`` in the same transaction as the change."""
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
