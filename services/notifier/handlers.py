"""Every event the notifier consumes, bound to the planning settings."""

from __future__ import annotations

from functools import partial

from notifier.contacts.keys import KeyRing
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
        BookingErased: on_booking_erased,
        InvitationsReady: partial(sessions.on_invitations_ready, planner),
    }
