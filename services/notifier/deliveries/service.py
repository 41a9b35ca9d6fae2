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

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy import Engine
from sqlmodel import Session

from notifier.contacts.keys import KeyRing
from notifier.deliveries import repository
from notifier.deliveries.messages import MessageFacts, sms_text
from notifier.deliveries.models import Delivery, DeliveryKind, DeliveryStatus
from notifier.deliveries.sms import segments
from notifier.optouts.service import is_opted_out
from notifier.recipients.models import Recipient, RecipientStatus, SessionCopy, SessionStatus
from notifier.reminders.schedule import quiet_end
from notifier.settings import NotifierSettings
from notifier.textcaps import service as textcaps
from shared import outbox
from shared.events import Channel, DeliveryUpdated, utcnow
from shared.phones import sms_refusal
from shared.unit_of_work import UnitOfWork

__all__ = [
    "refs_since",
    "Claim",
    "Outgoing",
    "Round",
    "LeaseLost",
    "QUIET_KINDS",
    "plan",
    "withdraw",
    "invite_went_out",
    "claim_due",
    "claim_round",
    "release",
    "prepare",
    "prepare_in",
    "load",
    "facts_of",
    "held",
    "OPTED_OUT",
    "callable_since",
    "CALL_MARGIN",
    "put_back",
    "skip",
    "announce",
    "announce_sent",
]

PRODUCER = "notifier"

log = structlog.get_logger("notifier.deliveries")

#: messages nobody asked for at that moment: they wait while the venue's quiet hours last.
#: A confirmation or a waiting-list place answers the attendee's own request and goes at once.
QUIET_KINDS = frozenset(
    {
        DeliveryKind.REMINDER,
        DeliveryKind.RESCHEDULED,
        DeliveryKind.CANCELLED,
        DeliveryKind.BOOKING_CANCELLED,
        DeliveryKind.PROMOTED,
        DeliveryKind.FEEDBACK,
    }
)


#: why a delivery to a number that texted STOP was skipped.
OPTED_OUT = "the number opted out (STOP); not sent"

#: the messages that announce a cancellation, sent although (because) something was cancelled.
_CANCELLATIONS = frozenset({DeliveryKind.CANCELLED, DeliveryKind.BOOKING_CANCELLED})


#: seconds of its lease a claim must have left for a check to let a gateway call go ahead (a quarter
#: of the lease at most); see :func:`callable_since`.
CALL_MARGIN = 10.0


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
    channel: str = Channel.SMS
    booking_code: str = ""
    kind: str = ""


@dataclass(frozen=True)
class Outgoing:
    to: str
    body: str
    segments: int


@dataclass(frozen=True)
class Round:
    """One round of claims; ``sms_held`` when SMS were due but the daily cap kept them back."""

    claims: list[Claim]
    sms_held: bool = False


def plan(
    db: Session,
    *,
    booking_code: str,
    session_id: str,
    channel: str,
    kind: str,
    tag: str | None = None,
    due_at: datetime | None = None,
) -> str:
    """Plan one message and return its delivery's id; planning the same (kind, booking, channel, tag)
    again changes nothing and returns the first one's.

    ``tag`` tells apart messages of one kind that may each be sent once, such
    as the 24 h and the 2 h reminder of a session's second revision. One
    prepared INSERT that skips a key already planned: a booking event plans
    three or more messages, and looking each key up and flushing an ORM object
    cost more than the rest of its handling (py-spy on bench/fanout.py).
    """
    key = f"{kind}:{booking_code}:{channel}" + (f":{tag}" if tag else "")
    now = utcnow()
    values: dict[str, object] = {"id": uuid.uuid4().hex, "key": key, "code": booking_code, "session_id": session_id}
    values |= {"channel": channel, "kind": kind, "status": DeliveryStatus.PENDING, "due_at": due_at or now, "now": now}
    planned = repository.insert_planned(db, values)
    return planned if planned is not None else repository.id_of_key(db, key)


def invite_went_out(db: Session, booking_code: str) -> bool:
    """Whether an e-mail with a calendar request was sent to this booking, or may have been."""
    return repository.invite_sent(
        db, booking_code, kinds=(DeliveryKind.CONFIRMATION, DeliveryKind.PROMOTED, DeliveryKind.RESCHEDULED)
    )


def withdraw(
    db: Session, *, session_id: str | None = None, booking_code: str | None = None, kinds: Iterable[str] | None = None
) -> int:
    """Delete pending deliveries that are no longer wanted; how many.

    One whose earlier gateway call is in doubt stays: it may already be on
    its way, and it is reconciled like any other.
    """
    return repository.delete_pending(db, session_id=session_id, booking_code=booking_code, kinds=kinds)


def refs_since(engine: Engine, gateway: str, since: datetime) -> set[str]:
    """The references ``gateway`` gave for messages attempted since ``since`` (see the dispatcher)."""
    with UnitOfWork(engine, read_only=True) as db:
        return repository.refs_since(db, gateway, since)


def claim_due(engine: Engine, *, lease_seconds: float, limit: int) -> list[Claim]:
    return claim_round(engine, lease_seconds=lease_seconds, limit=limit).claims


def claim_round(engine: Engine, *, lease_seconds: float, limit: int, sms_cap: int | None = None) -> Round:
    """Claim due deliveries; with ``sms_cap``, no more SMS than are left of today's cap.

    The cap counts SMS attempted since midnight UTC. On PostgreSQL the count
    and the claim run under one advisory lock, so two notifiers cannot both
    take the last places; SQLite's BEGIN IMMEDIATE already serialises them.
    """
    now = utcnow()
    stale_before = now - timedelta(seconds=lease_seconds)
    held_back = False
    with UnitOfWork(engine) as db:
        if sms_cap is None:
            rows = repository.due(db, now, stale_before, limit)
        else:
            repository.lock_sms_cap(db)
            room = max(sms_cap - repository.sms_attempted_since(db, start_of_day(now)), 0)
            rows = repository.due(db, now, stale_before, limit, sms=False)
            rows += repository.due(db, now, stale_before, min(limit, room), sms=True) if room else []
            held_back = room == 0 and bool(repository.due(db, now, stale_before, 1, sms=True, lock=False))
        claims = [
            Claim(
                r.id,
                r.idempotency_key,
                r.attempts + 1,
                r.status == DeliveryStatus.SENDING,
                in_doubt=r.in_doubt,
                gateway=r.gateway,
                attempted_at=r.attempted_at,
                channel=r.channel,
                booking_code=r.booking_code,
                kind=r.kind,
            )
            for r in rows
        ]
        for row in rows:
            row.status, row.claimed_at, row.attempts = DeliveryStatus.SENDING, now, row.attempts + 1
            db.add(row)
    return Round(claims, held_back)


def start_of_day(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def held(db: Session, claim: Claim, *, claimed_since: datetime | None = None) -> Delivery:
    """The claimed delivery, locked, if this claim still holds it (and was made since ``claimed_since``);
    else :class:`LeaseLost`."""
    delivery = db.get(Delivery, claim.delivery_id, with_for_update=True)
    if delivery is None or delivery.status != DeliveryStatus.SENDING or delivery.attempts != claim.attempts:
        raise LeaseLost(claim.delivery_id)
    if claimed_since is not None and (delivery.claimed_at is None or delivery.claimed_at < claimed_since):
        raise LeaseLost(claim.delivery_id)
    return delivery


def release(engine: Engine, claims: Iterable[Claim]) -> int:
    """Hand back claims a stopping process made no gateway call under: each delivery as it was when
    claimed (a doubt from an earlier attempt stays; an attempt recorded under this claim but never
    called is forgotten), due again at once for any notifier, the attempt refunded. The caller waits
    for the claims' own writes first, so none lands on the next notifier's claim. Returns how many."""
    count = 0
    with UnitOfWork(engine) as db:
        for claim in claims:
            try:
                delivery = held(db, claim)
            except LeaseLost:
                continue  # sent, retried or skipped already, or taken over
            delivery.in_doubt, delivery.gateway, delivery.attempted_at = (
                claim.in_doubt,
                claim.gateway,
                claim.attempted_at,
            )
            put_back(db, delivery, delivery.due_at, refund=True)
            count += 1
    return count


def callable_since(settings: NotifierSettings) -> datetime:
    """Claims made before this may no longer begin a gateway call.

    A STOP waits for the SMS under way, but not for claims older than the
    lease: their process died, or another notifier takes them over
    (notifier.optouts.settling). So the opt-out check that lets a call go
    ahead also requires its claim to have :data:`CALL_MARGIN` of its lease
    left, and the call follows the check at once: a live sender calls well
    before a STOP stops waiting for it.
    """
    lease = settings.delivery_lease_seconds
    return utcnow() - timedelta(seconds=lease - min(CALL_MARGIN, lease / 4))


def prepare(
    engine: Engine, claim: Claim, settings: NotifierSettings, *, attempt_at: str | None = None
) -> Outgoing | None:
    """:func:`prepare_in` in a transaction of its own."""
    with UnitOfWork(engine) as db:
        return prepare_in(db, claim, settings, attempt_at=attempt_at)


def prepare_in(
    db: Session, claim: Claim, settings: NotifierSettings, *, attempt_at: str | None = None
) -> Outgoing | None:
    """The SMS to send; None when it must wait (facts missing, quiet hours) or not go at all.

    An opted-out number is never texted: the delivery becomes ``skipped``,
    even if an earlier call is in doubt. Nor is a number the scheduler should
    have refused (shared.phones: not mobile, or not of ``BRUG_SMS_COUNTRIES``),
    which only a forged event or a narrowed setting can bring here. Nor a number that had its share of
    texts (notifier.textcaps: per day, per session); a text that goes is counted here. With ``attempt_at`` (a gateway's
    name), the attempt at that gateway is recorded in the same transaction
    (see outcomes.record_attempt), saving a commit per message.
    """
    loaded = load(db, claim, settings, claimed_since=callable_since(settings))
    if loaded is None:
        return None
    delivery, recipient, session, contact = loaded
    phone = contact.get("phone")
    if not phone:
        skip(db, delivery, "no phone number with this booking; not sent")
        return None
    if is_opted_out(db, settings.optout_hash_key, phone):
        skip(db, delivery, OPTED_OUT)
        return None
    if refused := sms_refusal(phone, settings.sms_countries):
        skip(db, delivery, f"{refused}; not sent (BRUG_SMS_COUNTRIES takes mobile numbers only)")
        return None
    now = utcnow()
    place = textcaps.place_for(
        db, settings, phone=phone, delivery_id=delivery.id, session_id=session.session_id, now=now
    )
    if isinstance(place, str):
        skip(db, delivery, place)
        log.warning("notifier.sms.capped", delivery_id=delivery.id, kind=delivery.kind, reason=place)
        return None
    body = sms_text(delivery.kind, recipient.locale, facts_of(delivery, recipient, session))
    place.take(db, now)
    if attempt_at is not None:
        delivery.gateway, delivery.attempted_at, delivery.in_doubt = attempt_at, now, True
        db.add(delivery)
    return Outgoing(to=phone, body=body, segments=segments(body))


def load(
    db: Session, claim: Claim, settings: NotifierSettings, *, claimed_since: datetime | None = None
) -> tuple[Delivery, Recipient, SessionCopy, dict[str, str]] | None:
    """The claimed delivery with what it needs, if it is to go out now.

    Otherwise it is put back (facts not here yet; quiet hours: until they
    end) or skipped (a reminder for a session that has begun or was called
    off, a booking that was cancelled), and None is returned.
    """
    delivery = held(db, claim, claimed_since=claimed_since)
    recipient = db.get(Recipient, delivery.booking_code)
    session = db.get(SessionCopy, delivery.session_id)
    if recipient is None or session is None or recipient.sealed_contact is None:
        put_back(db, delivery, utcnow() + timedelta(seconds=1))
        return None
    now = utcnow()
    if reason := _stale(delivery, recipient, session, now):
        skip(db, delivery, reason)
        return None
    if delivery.kind in QUIET_KINDS and (ends := quiet_end(now, session.timezone, settings.quiet_hours)):
        put_back(db, delivery, ends, refund=True)
        return None
    opened = KeyRing.from_settings(settings).open(recipient.sealed_contact, recipient.contact_key)
    return delivery, recipient, session, opened.contact


def _stale(delivery: Delivery, recipient: Recipient, session: SessionCopy, now: datetime) -> str | None:
    if delivery.kind == DeliveryKind.REMINDER and session.starts_at <= now:
        return "the session had begun by the time this reminder was due; not sent"
    if delivery.kind == DeliveryKind.BOOKING_CANCELLED and session.status == SessionStatus.CANCELLED:
        return "the whole session was called off, and that cancellation said so; not sent"
    cancelled = session.status == SessionStatus.CANCELLED or recipient.status == RecipientStatus.CANCELLED
    if delivery.kind not in _CANCELLATIONS and cancelled:
        return "the session or the booking was cancelled; not sent"
    return None


def facts_of(delivery: Delivery, recipient: Recipient, session: SessionCopy) -> MessageFacts:
    return MessageFacts(
        session.title_in(recipient.locale),
        session.starts_at,
        session.timezone,
        session.venue_public_name,
        delivery.booking_code,
        position=recipient.waitlist_position,
        link=recipient.feedback_link or session.feedback_link,
    )


def put_back(db: Session, delivery: Delivery, due_at: datetime, *, refund: bool = False) -> None:
    """Pending again until ``due_at``; ``refund`` when waiting was no failed try."""
    delivery.status, delivery.claimed_at, delivery.due_at = DeliveryStatus.PENDING, None, due_at
    if refund:
        delivery.attempts = max(delivery.attempts - 1, 0)
    db.add(delivery)


def skip(db: Session, delivery: Delivery, reason: str) -> None:
    delivery.status, delivery.claimed_at, delivery.in_doubt = DeliveryStatus.SKIPPED, None, False
    delivery.last_error = reason
    db.add(delivery)
    announce(db, delivery)


def announce(db: Session, delivery: Delivery) -> None:
    """Record ``notify.delivery.updated`` in the same transaction as the change."""
    _announce(db, delivery.id, delivery, delivery.status, delivery.segments)


def announce_sent(db: Session, claim: Claim, segments: int) -> None:
    """:func:`announce` for a claimed delivery marked sent without loading its row (outcomes.sent_in)."""
    _announce(db, claim.delivery_id, claim, DeliveryStatus.SENT, segments)


def _announce(db: Session, delivery_id: str, of: Delivery | Claim, status: str, segments: int) -> None:
    """The one place ``notify.delivery.updated`` is built, from the row or from a claim on it."""
    event = DeliveryUpdated(
        delivery_id=delivery_id,
        booking_code=of.booking_code,
        channel=of.channel,
        kind=of.kind,
        status=status,
        segments=segments,
    )
    outbox.record(db, event, producer=PRODUCER)
