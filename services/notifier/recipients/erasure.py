"""The attendee asked to be forgotten: delete what the notifier holds to reach them.

On ``scheduling.booking.erased`` (the scheduler wiped its own copy in the
same transaction that wrote the event), in the consumer's transaction:

- the recipient (sealed contact, locale, channels) is deleted;
- the booking's deliveries are blanked as the retention worker blanks them
  (notifier.retention.service): no booking code, no idempotency key that
  holds one, no gateway reference; one still waiting is ``skipped``, so
  nothing more is sent;
- the code leaves the session's list of attended codes;
- a dead-lettered event about the booking loses its kept copy
  (shared.dead_letters.forget_booking): it may carry the sealed contact, and
  a replay would bring the recipient back.

Delivery rows stay, without anything that points at the person, so the
counts coordinators see stay right. A late booking event for the code can
carry no contact: the scheduler blanked it in its outbox before it wrote
this event.
"""

from __future__ import annotations

import structlog
from sqlmodel import Session

from notifier.recipients.models import Recipient, SessionCopy
from notifier.retention import repository
from notifier.retention.service import blank_deliveries
from shared.db import forget_on_commit
from shared.dead_letters import service as dead_letters
from shared.events import BookingErased, Envelope

__all__ = ["on_booking_erased", "ERASED_REASON"]

log = structlog.get_logger("notifier.recipients")

#: the reason recorded on a delivery that was still waiting when its booking was erased.
ERASED_REASON = "the attendee's data was erased on request; not sent"


def on_booking_erased(db: Session, event: BookingErased, envelope: Envelope) -> None:
    recipient = db.get(Recipient, event.booking_code, with_for_update=True)
    if recipient is not None:
        db.delete(recipient)
    blanked = blank_deliveries(db, repository.deliveries_of(db, booking_code=event.booking_code), ERASED_REASON)
    session = db.get(SessionCopy, event.session_id, with_for_update=True)
    if session is not None and session.attended_codes and event.booking_code in session.attended_codes:
        session.attended_codes = [c for c in session.attended_codes if c != event.booking_code]
        db.add(session)
    letters = dead_letters.forget_booking(db, event.booking_code)
    db.flush()
    forget_on_commit(db)
    log.info("notifier.booking_erased", session_id=event.session_id, deliveries=blanked, dead_letters=letters)
