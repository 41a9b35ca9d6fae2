"""Every event the notifier consumes, bound to the planning settings."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from sqlmodel import Session

from notifier.contacts.keys import KeyRing
from notifier.gateways.file import forget_bookings
from notifier.recipients import handlers as bookings
from notifier.recipients import sessions
from notifier.recipients.erasure import on_booking_erased
from notifier.reminders.service import Planner
from notifier.settings import NotifierSettings
from shared.consumer import Handler
from shared.events import (
    BookingCancelled,
    BookingConfirmed,
    BookingErased,
    BookingWaitlisted,
    Envelope,
    InvitationsReady,
    Payload,
    SessionCancelled,
    SessionCompleted,
    SessionPublished,
    SessionRescheduled,
)

__all__ = ["handlers"]


def handlers(settings: NotifierSettings) -> dict[type[Payload], Handler]:
    planner = Planner.from_settings(settings)
    keys = KeyRing.from_settings(settings)
    return {
        SessionPublished: partial(sessions.on_session_published, planner),
        SessionRescheduled: partial(sessions.on_session_rescheduled, planner),
        SessionCancelled: partial(sessions.on_session_cancelled, planner),
        SessionCompleted: partial(sessions.on_session_completed, planner),
        BookingConfirmed: partial(bookings.on_booking_confirmed, planner, keys),
        BookingWaitlisted: partial(bookings.on_booking_waitlisted, planner, keys),
        BookingCancelled: partial(bookings.on_booking_cancelled, planner),
        BookingErased: _erasure(settings),
        InvitationsReady: partial(sessions.on_invitations_ready, planner),
    }


def _erasure(settings: NotifierSettings) -> Handler:
    """Erasure, and with the development ``file`` gateway the erased booking's lines out of its file."""
    if "file" not in settings.sms_gateway:
        return on_booking_erased
    return partial(_erase_and_forget, settings.sms_file_path)


def _erase_and_forget(sms_file: Path, db: Session, envelope: Envelope) -> None:
    on_booking_erased(db, envelope)
    assert isinstance(envelope.payload, BookingErased)
    forget_bookings(sms_file, [envelope.payload.booking_code])
