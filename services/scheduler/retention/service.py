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

from sqlmodel import Session

from scheduler.retention import repository

__all__ = ["blank_nicknames"]


def blank_nicknames(db: Session, *, now: datetime, days: int) -> int:
    """Blank the nicknames and sealed contacts of bookings for sessions that ended more than ``days``
    before ``now``; how many bookings."""
    return repository.blank_bookings_ended_before(db, now - timedelta(days=days))
