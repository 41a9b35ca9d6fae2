"""Handlers for session events and the feedback service's invitations.

A reschedule re-plans the reminders for the new time and tells each booking
once per revision; a cancellation withdraws everything still pending and
tells each booking once; a completed session keeps which bookings attended,
so that the feedback link goes to them alone (and only to those who agreed),
whichever of ``scheduling.session.completed`` and
``feedback.invitations.ready`` arrives first: they travel on different
streams.
"""

from __future__ import annotations

import secrets

from sqlmodel import Session

from notifier.deliveries import service as deliveries
from notifier.deliveries.models import DeliveryKind
from notifier.recipients import repository
from notifier.recipients.models import Recipient, RecipientStatus, SessionCopy, SessionStatus
from notifier.reminders.service import Planner, plan_message, plan_reminders, withdraw_reminders
from shared.events import (
    Channel,
    Envelope,
    InvitationsReady,
    SessionCancelled,
    SessionCompleted,
    SessionPublished,
    SessionRescheduled,
)

__all__ = [
    "on_session_published",
    "on_session_rescheduled",
    "on_session_cancelled",
    "on_session_completed",
    "on_invitations_ready",
]

_FACTS = ("venue_public_name", "address", "starts_at", "ends_at", "timezone")

_random = secrets.SystemRandom()


def on_session_published(planner: Planner, db: Session, event: SessionPublished, envelope: Envelope) -> None:
    """Keep the public facts; plan reminders for bookings that arrived before them."""
    facts = {field: getattr(event, field) for field in ("public_title", *_FACTS)}
    copy = db.get(SessionCopy, event.session_id) or SessionCopy(session_id=event.session_id, **facts)
    for field, value in facts.items():
        setattr(copy, field, value)
    copy.public_titles, copy.languages = event.public_titles, list(event.languages)
    db.add(copy)
    db.flush()
    for recipient in _booked(db, event.session_id):
        plan_reminders(db, planner, recipient, copy)


def on_session_rescheduled(planner: Planner, db: Session, event: SessionRescheduled, envelope: Envelope) -> None:
    copy = db.get(SessionCopy, event.session_id)
    if copy is None or event.revision <= copy.revision or copy.status != SessionStatus.PUBLISHED:
        return  # unknown, an older revision arriving late, or no longer on
    for field in _FACTS:
        setattr(copy, field, getattr(event, field))
    copy.revision, copy.sequence = event.revision, copy.sequence + 1
    db.add(copy)
    withdraw_reminders(db, event.session_id)
    for recipient in _booked(db, event.session_id):
        plan_message(db, planner, recipient, DeliveryKind.RESCHEDULED, tag=f"r{event.revision}")
        plan_reminders(db, planner, recipient, copy)


def on_session_cancelled(planner: Planner, db: Session, event: SessionCancelled, envelope: Envelope) -> None:
    copy = db.get(SessionCopy, event.session_id)
    if copy is None or copy.status == SessionStatus.CANCELLED:
        return
    copy.status, copy.sequence = SessionStatus.CANCELLED, copy.sequence + 1
    db.add(copy)
    deliveries.withdraw(db, session_id=event.session_id)
    for recipient in _booked(db, event.session_id):
        plan_message(db, planner, recipient, DeliveryKind.CANCELLED)


def on_session_completed(planner: Planner, db: Session, event: SessionCompleted, envelope: Envelope) -> None:
    copy = db.get(SessionCopy, event.session_id)
    if copy is None:
        return
    copy.status, copy.attended_codes = SessionStatus.COMPLETED, sorted(set(event.attended_booking_codes))
    db.add(copy)
    withdraw_reminders(db, event.session_id)
    _invite_to_feedback(db, planner, copy)


def on_invitations_ready(planner: Planner, db: Session, event: InvitationsReady, envelope: Envelope) -> None:
    copy = db.get(SessionCopy, event.session_id)
    if copy is None:
        return
    if copy.feedback_link is not None or copy.feedback_links is not None:
        return  # a redelivery: the links were given out already, or wait for the completion
    copy.feedback_links = list(event.feedback_links)
    copy.feedback_link = event.feedback_link or None
    db.add(copy)
    _invite_to_feedback(db, planner, copy)


def _invite_to_feedback(db: Session, planner: Planner, copy: SessionCopy) -> None:
    """A personal link, by SMS, to each booking that attended and agreed to be asked (the session's one
    shared link, from a feedback service before personal links). Which link goes to whom is chosen
    here at random; the feedback service never learns it."""
    if (copy.feedback_link is None and copy.feedback_links is None) or copy.attended_codes is None:
        return
    links = list(copy.feedback_links or [])
    _random.shuffle(links)
    for recipient in repository.of_session(db, copy.session_id):
        attended = recipient.booking_code in copy.attended_codes and recipient.feedback_consent
        if not (attended and Channel.SMS in recipient.channels and recipient.sealed_contact is not None):
            continue
        if copy.feedback_link is None and recipient.feedback_link is None:
            if not links:
                break  # more attended bookings than counted attendees: the count is the limit
            recipient.feedback_link = links.pop()
            db.add(recipient)
        deliveries.plan(
            db,
            booking_code=recipient.booking_code,
            session_id=copy.session_id,
            channel=Channel.SMS,
            kind=DeliveryKind.FEEDBACK,
        )
    copy.feedback_links = links  # the ones nobody was given
    db.add(copy)


def _booked(db: Session, session_id: str) -> list[Recipient]:
    return [r for r in repository.of_session(db, session_id) if r.status == RecipientStatus.CONFIRMED]
