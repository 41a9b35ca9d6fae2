"""Handlers for the scheduler's events: keep the public session facts, plan confirmations."""

from __future__ import annotations

from sqlmodel import Session

from notifier.deliveries import service as deliveries
from notifier.recipients.models import Recipient, SessionCopy
from shared.events import BookingConfirmed, Envelope, SessionPublished

__all__ = ["on_session_published", "on_booking_confirmed"]


def on_session_published(db: Session, envelope: Envelope) -> None:
    event = envelope.payload
    assert isinstance(event, SessionPublished)
    copy = db.get(SessionCopy, event.session_id) or SessionCopy(session_id=event.session_id)
    for field in ("public_title", "venue_public_name", "address", "starts_at", "ends_at", "timezone"):
        setattr(copy, field, getattr(event, field))
    db.add(copy)


def on_booking_confirmed(db: Session, envelope: Envelope) -> None:
    """Remember how to reach the attendee, and plan a confirmation on each allowed channel."""
    event = envelope.payload
    assert isinstance(event, BookingConfirmed)
    recipient = db.get(Recipient, event.booking_code) or Recipient(booking_code=event.booking_code)
    recipient.session_id = event.session_id
    recipient.locale = event.locale
    recipient.sealed_contact = event.sealed_contact
    recipient.channels = list(event.channels)
    recipient.feedback_consent = event.feedback_consent
    db.add(recipient)
    if event.sealed_contact and "sms" in event.channels:
        kind = "promoted" if event.promoted else "confirmation"
        deliveries.plan(db, booking_code=event.booking_code, session_id=event.session_id, channel="sms", kind=kind)


HANDLERS = {SessionPublished: on_session_published, BookingConfirmed: on_booking_confirmed}
