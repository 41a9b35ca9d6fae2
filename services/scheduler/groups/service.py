"""Rules for group bookings: an ambassador on the session (or a coordinator) takes seats for a group.

Seats are counted under the same session lock as single bookings
(sessions.repository.lock), so a group and a crowd of attendees can never
take more seats together than the session has. A group never waits: it
gets its seats or a 409 saying how many are left. Cancelling a group frees
its seats for the waitlist at once, as a cancelled booking does. Groups are
booked until the session starts (an attendee's cut-off does not apply to staff).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from scheduler.bookings.cancellation import promote
from scheduler.errors import GroupAlreadyCancelled, GroupBookingNotFound, NotEnoughSeats, TooManyPresent
from scheduler.groups import repository
from scheduler.groups.models import GroupBooking, GroupStatus
from scheduler.groups.schemas import GroupCheckIn, GroupCreate, GroupPublic
from scheduler.sessions import access, timing
from scheduler.sessions import repository as sessions
from scheduler.sessions.seats import seats_left
from scheduler.sessions.service import existing, runnable
from scheduler.venues import repository as venues
from shared.auth import Principal

__all__ = ["book_group", "list_groups", "cancel_group", "check_in_group"]


def _public(group: GroupBooking) -> GroupPublic:
    return GroupPublic.model_validate(group, from_attributes=True)


def book_group(db: Session, session_id: str, data: GroupCreate, user: Principal, now: datetime) -> GroupPublic:
    info = runnable(db, session_id, user, what="group bookings")
    venue = venues.get_venue(db, info.venue_id)
    timing.ensure_bookable(info.starts_at, 0, venue.timezone if venue else "UTC", now)
    left = seats_left(db, info)
    if data.headcount > left:
        raise NotEnoughSeats(
            f"Only {left} of {info.capacity} seats are left; book a group of {left} or fewer, "
            "or ask a coordinator about a larger room."
        )
    group = GroupBooking(session_id=info.id, booked_by=user.user_id, **data.model_dump())
    return _public(repository.add(db, group))


def list_groups(db: Session, session_id: str, user: Principal) -> list[GroupPublic]:
    info = existing(db, session_id)
    access.ensure_can_read(user, info, sessions.ambassadors_of(db, info.id))
    return [_public(g) for g in repository.of_session(db, info.id)]


def cancel_group(db: Session, session_id: str, group_id: str, user: Principal) -> GroupPublic:
    """Give the seats back; the first on the waitlist gets them at once."""
    info = runnable(db, session_id, user, what="changes")
    group = _of_session(db, info.id, group_id)
    if group.status == GroupStatus.CANCELLED:
        raise GroupAlreadyCancelled(f"Group booking {group.id} is already cancelled; nothing else to do.")
    group.status = GroupStatus.CANCELLED
    db.add(group)
    db.flush()
    promote(db, info)
    return _public(group)


def check_in_group(db: Session, session_id: str, group_id: str, data: GroupCheckIn, user: Principal) -> GroupPublic:
    """Count the group in at the door; a second count replaces the first (a recount, not more people)."""
    info = runnable(db, session_id, user)
    group = _of_session(db, info.id, group_id)
    if group.status == GroupStatus.CANCELLED:
        raise GroupAlreadyCancelled(f"Group booking {group.id} is cancelled; count its people as walk-ins.")
    present = group.headcount if data.present is None else data.present
    if present > group.headcount:
        raise TooManyPresent(
            f"present ({present}) is more than the group's headcount ({group.headcount}); count the others as walk-ins."
        )
    group.present = present
    db.add(group)
    db.flush()
    return _public(group)


def _of_session(db: Session, session_id: str, group_id: str) -> GroupBooking:
    group = repository.get(db, group_id)
    if group is None or group.session_id != session_id:
        raise GroupBookingNotFound(f"This session has no group booking {group_id}.")
    return group
