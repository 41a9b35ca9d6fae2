"""Retention: what names an attendee is deleted ``BRUG_RETENTION_DAYS`` after their session ends.

For each session past that point, in its own transaction:

- its bookings' recipients (the sealed contact, locale, channels) are deleted;
- its deliveries are kept for the counts coordinators see, but blanked: no
  booking code, no idempotency key that contains one, no gateway reference
  (a gateway can look the number up by it); one still waiting is ``skipped``;
- the list of attended booking codes and the feedback links nobody was given
  are dropped, and the session is marked purged, so a late or replayed
  booking event stores no contact again.

With the development ``file`` gateway, the purged bookings' lines leave its file too
(``sms_file``), as an erased booking's do.

The counts of texts per number (notifier.textcaps) are deleted a day after the text once the
session's own retention has run. A contact for a session this notifier never heard of is deleted the same
number of days after it arrived. Status callbacks for a blanked delivery
find nothing and are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from notifier.deliveries.models import Delivery, DeliveryStatus
from notifier.gateways.file import forget_bookings
from notifier.recipients.models import SessionCopy
from notifier.retention import repository
from notifier.textcaps import service as textcaps
from shared.db import forget_on_commit
from shared.unit_of_work import UnitOfWork

__all__ = ["Purged", "purge", "blank_deliveries", "PURGED_REASON"]

#: the reason recorded on a delivery that was still waiting when its recipient was deleted.
PURGED_REASON = "contact details deleted after the retention period; not sent"
#: sessions handled per transaction-sized step.
BATCH = 100


@dataclass
class Purged:
    """How much one run deleted or blanked."""

    sessions: int = 0
    recipients: int = 0
    deliveries: int = 0
    orphans: int = 0
    #: texts no longer counted against their number's caps (notifier.textcaps).
    text_counts: int = 0
    session_ids: list[str] = field(default_factory=list)
    #: the booking codes whose deliveries were blanked (for the development SMS file).
    booking_codes: set[str] = field(default_factory=set)

    @property
    def anything(self) -> bool:
        return bool(self.sessions or self.orphans)


def purge(engine: Engine, *, days: float, now: datetime, sms_file: Path | None = None) -> Purged:
    """Delete and blank everything past ``days`` after its session ended, as of ``now``; and the
    purged bookings' lines in the development gateway's ``sms_file`` when there is one."""
    cutoff = now - timedelta(days=days)
    result = Purged()
    while True:
        with UnitOfWork(engine, read_only=True) as db:
            due = repository.sessions_past(db, cutoff, BATCH)
        for session_id in due:
            with UnitOfWork(engine) as db:
                _purge_session(db, session_id, now, result)
        if len(due) < BATCH:
            break
    while True:
        with UnitOfWork(engine) as db:
            orphans = repository.orphans_past(db, cutoff, BATCH)
            for recipient in orphans:
                result.deliveries += _blank(
                    db, repository.deliveries_of(db, booking_code=recipient.booking_code), result
                )
                result.booking_codes.add(recipient.booking_code)
                db.delete(recipient)
            if orphans:
                forget_on_commit(db)
            result.orphans += len(orphans)
        if len(orphans) < BATCH:
            break
    with UnitOfWork(engine) as db:
        result.text_counts = textcaps.forget(db, now)
    if sms_file is not None:
        forget_bookings(sms_file, result.booking_codes)
    return result


def _purge_session(db: Session, session_id: str, now: datetime, result: Purged) -> None:
    session = db.get(SessionCopy, session_id, with_for_update=True)
    if session is None or session.purged_at is not None:
        return  # another notifier got there first
    recipients = repository.recipients_of(db, session_id)
    for recipient in recipients:
        db.delete(recipient)
        result.booking_codes.add(recipient.booking_code)
    result.deliveries += _blank(db, repository.deliveries_of(db, session_id=session_id), result)
    forget_on_commit(db)
    session.attended_codes, session.feedback_links, session.purged_at = None, None, now
    db.add(session)
    result.sessions += 1
    result.recipients += len(recipients)
    result.session_ids.append(session_id)


def _blank(db: Session, deliveries: list[Delivery], result: Purged) -> int:
    result.booking_codes.update(delivery.booking_code for delivery in deliveries)
    return blank_deliveries(db, deliveries)


def blank_deliveries(db: Session, deliveries: list[Delivery], reason: str = PURGED_REASON) -> int:
    """Keep ``deliveries`` for the counts, without what points at a person; unsent ones are skipped."""
    for delivery in deliveries:
        if delivery.status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING):
            delivery.status, delivery.claimed_at, delivery.last_error = DeliveryStatus.SKIPPED, None, reason
        delivery.booking_code, delivery.idempotency_key = "", f"purged:{delivery.id}"
        delivery.gateway_ref, delivery.in_doubt = None, False
        db.add(delivery)
    return len(deliveries)
