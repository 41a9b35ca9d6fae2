"""How many seats a session has left: single bookings and ambassadors' groups share one capacity.

Call with the session locked (sessions.repository.lock) when the answer
decides whether a seat is given.
"""

from __future__ import annotations

from sqlmodel import Session

from scheduler.bookings import repository as bookings
from scheduler.bookings.models import BookingStatus
from scheduler.groups import repository as groups
from scheduler.sessions.models import InfoSession

__all__ = ["seats_taken", "seats_left"]


def seats_taken(db: Session, session_id: str, counts: dict[str, int] | None = None) -> int:
    """Confirmed single bookings plus group seats; ``counts`` (bookings.count_by_status) when already read."""
    counts = bookings.count_by_status(db, session_id) if counts is None else counts
    return counts.get(BookingStatus.CONFIRMED, 0) + groups.seats_taken(db, session_id)


def seats_left(db: Session, info: InfoSession) -> int:
    return max(info.capacity - seats_taken(db, info.id), 0)
