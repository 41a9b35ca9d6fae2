"""Nicknames are kept only as long as they help at the door: deleted some days after the session.

A nickname is optional and need not be a real name, but it is still
something a person typed about themself; ``BRUG_NICKNAME_RETENTION_DAYS``
after a session ends (cancelled sessions too), it is blanked. The booking
itself (code, status, check-in) stays for the counts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from scheduler.bookings.models import Booking
from scheduler.sessions.models import InfoSession

__all__ = ["blank_nicknames"]


def blank_nicknames(db: Session, *, now: datetime, days: int) -> int:
    """Blank the nicknames of bookings for sessions that ended more than ``days`` before ``now``; how many."""
    ended = select(InfoSession.id).where(col(InfoSession.ends_at) < now - timedelta(days=days))
    result = db.exec(  # type: ignore[call-overload]
        update(Booking)
        .where(col(Booking.nickname).is_not(None), col(Booking.session_id).in_(ended))
        .values(nickname=None)
    )
    return int(result.rowcount or 0)
