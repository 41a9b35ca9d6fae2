"""Handlers for the scheduler's booking events: remember how to reach the attendee, plan messages.

Each runs inside the consumer's transaction, so the messages it plans are
written together with the event's inbox record: a redelivered event plans
nothing twice.
"""

from __future__ import annotations

from sqlmodel import Session

from notifier.deliveries import service as deliveries
from notifier.recipients.models import Recipient, SessionCopy
from notifier.reminders.service import Planner, plan_message, plan_reminders
from shared.events import BookingCancelled, BookingConfirmed, BookingWaitlisted, Envelope

__all__ = ["on_booking_confirmed", "on_booking_waitlisted", "on_booking_cancelled"]


def on_booking_confirmed(planner: Planner, db: Session, envelope: Envelope) -> None:
    """A seat (or a promotion from the waiting list): confirm it on each allowed channel, plan reminders."""
    event = envelope.payload
    assert isinstance(event, BookingConfirmed)
    recipient = _remember(db, event.booking_code, event.session_id, event.locale, event.sealed_contact, event.channels)
    recipient.feedback_consent = event.feedback_consent
    recipient.status, recipient.waitlist_position = "confirmed", None
    db.add(recipient)
    deliveries.withdraw(db, booking_code=event.booking_code, kinds=("waitlisted",))  # a place beats the queue
    session = db.get(SessionCopy, event.session_id)
    if session is not None and session.status != "published":
        return  # cancelled or over: nothing to confirm or remind of
    plan_message(db, planner, recipient, "promoted" if event.promoted else "confirmation")
    if session is not None:
        plan_reminders(db, planner, recipient, session)


def on_booking_waitlisted(planner: Planner, db: Session, envelope: Envelope) -> None:
    """The session was full: tell the attendee their place on the waiting list."""
    event = envelope.payload
    assert isinstance(event, BookingWaitlisted)
    recipient = _remember(db, event.booking_code, event.session_id, event.locale, event.sealed_contact, event.channels)
    recipient.status, recipient.waitlist_position = "waitlisted", event.position
    db.add(recipient)
    plan_message(db, planner, recipient, "waitlisted")


def on_booking_cancelled(planner: Planner, db: Session, envelope: Envelope) -> None:
    """The attendee (or a coordinator) cancelled: nothing more is sent for this booking."""
    event = envelope.payload
    assert isinstance(event, BookingCancelled)
    recipient = db.get(Recipient, event.booking_code)
    if recipient is not None:
        recipient.status = "cancelled"
        db.add(recipient)
    deliveries.withdraw(db, booking_code=event.booking_code)


def _remember(
    db: Session, code: str, session_id: str, locale: str, sealed: str | None, channels: list[str]
) -> Recipient:
    recipient = db.get(Recipient, code) or Recipient(booking_code=code, session_id=session_id, locale=locale)
    recipient.session_id, recipient.locale = session_id, locale
    recipient.sealed_contact, recipient.channels = sealed, list(channels)
    db.add(recipient)
    db.flush()
    return recipient
