"""Queries for the retention worker: bookings of sessions long over that still hold personal data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from scheduler.bookings.models import Booking
from scheduler.sessions.models import InfoSession

__all__ = ["blank_bookings_ended_before"]


def blank_bookings_ended_before(db: Session, ended_before: datetime) -> int:
    """Blank the nicknames and sealed contacts of bookings for sessions that ended before
    ``ended_before``; how many bookings. One UPDATE, rows not objects."""
    ended = select(InfoSession.id).where(col(InfoSession.ends_at) < ended_before)
    result = db.exec(
        update(Booking)
        .where(
            or_(col(Booking.nickname).is_not(None), col(Booking.sealed_contact).is_not(None)),
            col(Booking.session_id).in_(ended),
        )
        .values(nickname=None, sealed_contact=None)
    )
    return int(result.rowcount or 0)
