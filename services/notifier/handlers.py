"""Every event the notifier consumes, bound to the planning settings.

Each handler is typed by its event (``event: SessionPublished``); the annotation is what
registers it (shared.consumer.payload_class), and the list must match shared/natsauth.py's
READS (shared.web checks it at start-up).
"""

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
from shared.events import BookingErased, Envelope

__all__ = ["handlers"]


def handlers(settings: NotifierSettings) -> list[Handler]:
    planner = Planner.from_settings(settings)
    keys = KeyRing.from_settings(settings)
    return [
        partial(sessions.on_session_published, planner),
        partial(sessions.on_session_rescheduled, planner),
        partial(sessions.on_session_cancelled, planner),
        partial(sessions.on_session_completed, planner),
        partial(bookings.on_booking_confirmed, planner, keys),
        partial(bookings.on_booking_waitlisted, planner, keys),
        partial(bookings.on_booking_cancelled, planner),
        _erasure(settings),
        partial(sessions.on_invitations_ready, planner),
    ]


def _erasure(settings: NotifierSettings) -> Handler:
    """Erasure, and with the development ``file`` gateway the erased booking's lines out of its file."""
    if "file" not in settings.sms_gateway:
        return on_booking_erased
    return partial(_erase_and_forget, settings.sms_file_path)


def _erase_and_forget(sms_file: Path, db: Session, event: BookingErased, envelope: Envelope) -> None:
    on_booking_erased(db, event, envelope)
    forget_bookings(sms_file, [event.booking_code])
