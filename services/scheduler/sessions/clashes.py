"""Clash detection: one room, or one ambassador, cannot hold two sessions at once.

Sessions must also lie ``BRUG_CLASH_BUFFER_MINUTES`` apart (setting up,
travelling between venues). Cancelled sessions never clash. The error names
the other session as staff know it (internal title, room or ambassador, the
local time range), so the planner can see at once what to move.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session

from scheduler.accounts import repository as accounts
from scheduler.errors import SessionClash
from scheduler.sessions import repository
from scheduler.sessions.models import InfoSession
from scheduler.venues import repository as venues
from scheduler.venues.hours import local_range
from scheduler.venues.models import Room

__all__ = ["ensure_no_clash"]


def ensure_no_clash(
    db: Session,
    *,
    room: Room,
    ambassador_ids: Sequence[str],
    starts_at: datetime,
    ends_at: datetime,
    buffer: timedelta,
    exclude_id: str | None = None,
) -> None:
    """SessionClash naming the first session in the way, if any (call with the room locked)."""
    accounts.lock_users(db, ambassador_ids)
    other = repository.first_overlapping(
        db,
        room_id=room.id,
        ambassador_ids=ambassador_ids,
        starts_at=starts_at - buffer,
        ends_at=ends_at + buffer,
        exclude_id=exclude_id,
    )
    if other is None:
        return
    detail = _describe(db, other, room, ambassador_ids)
    if other.starts_at >= ends_at or other.ends_at <= starts_at:
        minutes = int(buffer.total_seconds() // 60)
        detail += f"; sessions in one room or with one ambassador need {minutes} minutes between them"
    raise SessionClash(detail + ".")


def _describe(db: Session, other: InfoSession, room: Room, ambassador_ids: Sequence[str]) -> str:
    venue = venues.get_venue(db, other.venue_id)
    assert venue is not None
    when = local_range(other.starts_at, other.ends_at, venue.timezone)
    if other.room_id == room.id:
        return f"{room.name} is booked {when} by '{other.internal_title}'"
    shared = [a for a in repository.ambassadors_of(db, other.id) if a in ambassador_ids]
    user = accounts.get(db, shared[0])
    name = user.display_name if user is not None else shared[0]
    return f"{name} runs '{other.internal_title}' {when} at {venue.name}"
