"""The booking events a seat gives: ``scheduling.booking.confirmed`` and ``.waitlisted``, built here alone.

A registration takes a seat or a waiting-list place (bookings.service), and a cancellation promotes
the first waiting booking to a seat (bookings.cancellation): both build the confirmation with
:func:`confirmed`, so the two paths cannot come to say different things about a booking.
"""

from __future__ import annotations

from typing import TypedDict

from scheduler.bookings.models import Booking
from shared.events import BookingConfirmed, BookingWaitlisted, Channel

__all__ = ["Seat", "seat_of", "confirmed", "waitlisted"]


class Seat(TypedDict):
    """What the booking events say of a booking; a new booking's row (bookings.seating.NewBooking) is one."""

    code: str
    session_id: str
    locale: str
    sealed_contact: str | None
    channels: list[Channel]
    feedback_consent: bool


def seat_of(booking: Booking) -> Seat:
    """The stored booking's :class:`Seat`."""
    return {
        "code": booking.code,
        "session_id": booking.session_id,
        "locale": booking.locale,
        "sealed_contact": booking.sealed_contact,
        "channels": [Channel(c) for c in booking.channels],  # stored as strings, each checked as a Channel when booked
        "feedback_consent": booking.feedback_consent,
    }


def confirmed(seat: Seat, *, promoted: bool) -> BookingConfirmed:
    """``scheduling.booking.confirmed``: a seat taken, or (``promoted``) given from the waiting list."""
    return BookingConfirmed(
        booking_code=seat["code"],
        session_id=seat["session_id"],
        locale=seat["locale"],
        sealed_contact=seat["sealed_contact"],
        channels=seat["channels"],
        feedback_consent=seat["feedback_consent"],
        promoted=promoted,
    )


def waitlisted(seat: Seat, *, position: int) -> BookingWaitlisted:
    """``scheduling.booking.waitlisted``: the session was full; ``position`` on its waiting list."""
    return BookingWaitlisted(
        booking_code=seat["code"],
        session_id=seat["session_id"],
        locale=seat["locale"],
        sealed_contact=seat["sealed_contact"],
        channels=seat["channels"],
        position=position,
    )
