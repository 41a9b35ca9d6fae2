"""Changing a planned session's details: listing, capacity, titles for staff, languages and the like.

Attendees are not told: no event and no new revision, since nothing they
were sent changes (``public_title`` cannot change for that reason). The one
exception follows from the seats: a capacity raised seats the front of the
waitlist at once (bookings.cancellation.promote), each with its
``scheduling.booking.confirmed`` (``promoted=true``). A capacity may not go
above the room nor below the seats already taken (sessions.seats).

Call with the session locked (sessions.repository.lock), so the seats counted
are still the seats taken when the capacity is written.
"""

from __future__ import annotations

from sqlmodel import Session

from scheduler.bookings.cancellation import promote
from scheduler.errors import CapacityBelowSeatsTaken
from scheduler.providers import service as providers
from scheduler.sessions import planning
from scheduler.sessions.models import InfoSession
from scheduler.sessions.schemas import SessionUpdate
from scheduler.sessions.seats import seats_taken

__all__ = ["change_details"]


def change_details(db: Session, info: InfoSession, data: SessionUpdate) -> list[str]:
    """Write the details ``data`` gives that differ from ``info``'s; their names, sorted."""
    changed = {name: value for name, value in data.details.items() if value != getattr(info, name)}
    if "provider_id" in changed and data.provider_id is not None:
        providers.existing(db, data.provider_id)
    if "capacity" in changed and data.capacity is not None:
        _check_capacity(db, info, data.capacity)
    for name, value in changed.items():
        setattr(info, name, value)
    db.add(info)
    db.flush()
    if "capacity" in changed:
        promote(db, info)
    return sorted(changed)


def _check_capacity(db: Session, info: InfoSession, capacity: int) -> None:
    """No more than the room holds (as on planning), no fewer than the seats already taken."""
    _, room = planning.place(db, info.venue_id, info.room_id)
    planning.check_capacity(capacity, room)
    taken = seats_taken(db, info.id)
    if capacity < taken:
        raise CapacityBelowSeatsTaken(
            f"{taken} seats are already taken (confirmed bookings and group seats); the capacity cannot go "
            f"below {taken}. Cancel bookings first, or keep the capacity."
        )
