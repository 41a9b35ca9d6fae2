"""Cancelling a booking frees its seat for the first person on the waitlist, at once.

Everything happens under the session lock (sessions.repository.lock) in one
transaction: the cancellation, the promotion, and their events
(``scheduling.booking.cancelled``, then ``scheduling.booking.confirmed`` with
``promoted=true``). Nobody else on the waitlist needs an event: positions are
counted, not stored, so they move up by themselves.
"""

from __future__ import annotations

from sqlmodel import Session

from scheduler.bookings import events, repository
from scheduler.bookings.codes import normalise_code, token_matches
from scheduler.bookings.models import Booking, BookingStatus
from scheduler.bookings.schemas import BookingPublic, BookingSession
from scheduler.errors import BookingAlreadyCancelled, BookingNotFound, SessionNotOpen
from scheduler.sessions import repository as sessions
from scheduler.sessions.models import InfoSession, SessionStatus
from scheduler.sessions.seats import seats_taken
from scheduler.venues import repository as venues
from scheduler.venues.disclosure import place
from shared import outbox
from shared.events import BookingCancelled

__all__ = ["cancel_by_link", "cancel_by_staff", "public_view", "promote", "NO_SUCH_LINK"]

PRODUCER = "scheduler"
NO_SUCH_LINK = "No booking matches this link. Check that you copied the whole link."


def cancel_by_link(db: Session, code: str, token: str) -> BookingPublic:
    """The attendee's own cancellation; a wrong token looks exactly like an unknown code."""
    booking = repository.get(db, normalise_code(code))
    if booking is None or not token_matches(token, booking.manage_token_hash):
        raise BookingNotFound(NO_SUCH_LINK)
    return _cancel(db, booking.code)


def cancel_by_staff(db: Session, code: str) -> BookingPublic:
    """A coordinator's cancellation (e.g. the attendee asked the ambassador)."""
    booking = repository.get(db, normalise_code(code))
    if booking is None:
        raise BookingNotFound(f"No booking with code {normalise_code(code)}.")
    return _cancel(db, booking.code)


def public_view(db: Session, booking: Booking) -> BookingPublic:
    info = sessions.get(db, booking.session_id)
    assert info is not None
    venue = venues.get_venue(db, info.venue_id)
    assert venue is not None
    return BookingPublic(
        code=booking.code,
        session_id=booking.session_id,
        status=booking.status,
        waitlist_position=repository.waitlist_position(db, booking),
        locale=booking.locale,
        channels=booking.channels,
        checked_in=booking.checked_in_at is not None,
        created_at=booking.created_at,
        session=BookingSession(
            public_title=info.public_title,
            starts_at=info.starts_at,
            ends_at=info.ends_at,
            timezone=venue.timezone,
            status=info.status,
            place=place(venue, info.starts_at),
        ),
    )


def _cancel(db: Session, code: str) -> BookingPublic:
    booking = repository.get(db, code)
    assert booking is not None
    info = sessions.lock(db, booking.session_id)
    assert info is not None
    booking = repository.get_fresh(db, code)  # another request may have cancelled it while we waited
    assert booking is not None
    if booking.status == BookingStatus.CANCELLED:
        raise BookingAlreadyCancelled(f"Booking {booking.code} is already cancelled; nothing else to do.")
    if info.status == SessionStatus.COMPLETED:
        raise SessionNotOpen(f"This session is completed; booking {booking.code} can no longer be cancelled.")
    booking.status = BookingStatus.CANCELLED
    db.add(booking)
    db.flush()
    outbox.record(db, BookingCancelled(booking_code=booking.code, session_id=booking.session_id), producer=PRODUCER)
    promote(db, info)
    return public_view(db, booking)


def promote(db: Session, info: InfoSession) -> None:
    """Fill every free seat from the front of the waitlist (call with the session locked).

    Seats held by ambassadors' group bookings count as taken (sessions.seats)."""
    if info.status != SessionStatus.PUBLISHED:
        return
    confirmed = seats_taken(db, info.id)
    while confirmed < info.capacity:
        waiting = repository.first_waitlisted(db, info.id)
        if waiting is None:
            return
        waiting.status = BookingStatus.CONFIRMED
        db.add(waiting)
        db.flush()
        outbox.record(db, events.confirmed(events.seat_of(waiting), promoted=True), producer=PRODUCER)
        confirmed += 1
