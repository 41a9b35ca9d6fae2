"""A booking's personal data is kept only while the session needs it: deleted some days after it.

A nickname is optional and need not be a real name, but it is still
something a person typed about themself; the sealed contact (phone, e-mail,
sealed to the notifier's key) is needed only to tell the attendee about a
promotion or a change. ``BRUG_NICKNAME_RETENTION_DAYS`` after a session ends
(cancelled sessions too), both are blanked. The booking itself (code,
status, check-in) stays for the counts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from scheduler.bookings.models import Booking
from scheduler.sessions.models import InfoSession

__all__ = ["blank_nicknames"]


def blank_nicknames(db: Session, *, now: datetime, days: int) -> int:
    """Blank the nicknames and sealed contacts of bookings for sessions that ended more than ``days``
    before ``now``; how many bookings."""
    ended = select(InfoSession.id).where(col(InfoSession.ends_at) < now - timedelta(days=days))
    result = db.exec(
        update(Booking)
        .where(
            or_(col(Booking.nickname).is_not(None), col(Booking.sealed_contact).is_not(None)),
            col(Booking.session_id).in_(ended),
        )
        .values(nickname=None, sealed_contact=None)
    )
    return int(result.rowcount or 0)
