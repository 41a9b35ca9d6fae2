"""The seat rule, said once: confirmed single bookings and ambassadors' group seats share one capacity.

:func:`taken` and :func:`left` apply it to counts already read (the
registration path, bookings.seating, reads them in one statement under the
session's lock; sessions.service.public_view and the staff pages have them in
hand). :func:`seats_taken` and :func:`seats_left` read the counts first; call
them with the session locked (sessions.repository.lock) when the answer
decides whether a seat is given. Waitlisted bookings take no seat.
"""

from __future__ import annotations

from sqlmodel import Session

from scheduler.bookings import repository as bookings
from scheduler.bookings.models import BookingStatus
from scheduler.groups import repository as groups
from scheduler.sessions.models import InfoSession

__all__ = ["taken", "left", "seats_taken", "seats_left"]


def taken(confirmed: int, group_seats: int) -> int:
    """Seats taken: confirmed single bookings plus the seats of confirmed group bookings."""
    return confirmed + group_seats


def left(capacity: int, confirmed: int, group_seats: int) -> int:
    """Seats still free, never below 0; a session is full when this is 0."""
    return max(capacity - taken(confirmed, group_seats), 0)


def _counts(db: Session, session_id: str, counts: dict[str, int] | None) -> tuple[int, int]:
    """Confirmed single bookings and group seats, read now (``counts``: bookings.count_by_status, if read)."""
    counts = bookings.count_by_status(db, session_id) if counts is None else counts
    return counts.get(BookingStatus.CONFIRMED, 0), groups.seats_taken(db, session_id)


def seats_taken(db: Session, session_id: str, counts: dict[str, int] | None = None) -> int:
    """:func:`taken` for a session; ``counts`` (bookings.count_by_status) when already read."""
    return taken(*_counts(db, session_id, counts))


def seats_left(db: Session, info: InfoSession) -> int:
    """:func:`left` for a session."""
    return left(info.capacity, *_counts(db, info.id, None))
