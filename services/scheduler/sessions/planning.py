"""The checks every plan for a session passes, on creation and on each reschedule.

The session must start ahead of now, within the planning horizon, and not
last too long (sessions.timing); the room must belong to the venue and hold
the session's capacity, the venue must be open (venues.hours), and neither the room nor an ambassador may be
taken then (sessions.clashes). The room is locked first, so two planners
cannot both take the same slot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from scheduler.errors import CapacityTooLarge, RoomNotFound, VenueNotFound
from scheduler.sessions.clashes import ensure_no_clash
from scheduler.sessions.timing import ensure_plannable
from scheduler.settings import SchedulerSettings
from scheduler.venues import repository as venues
from scheduler.venues.hours import ensure_open
from scheduler.venues.models import Room, Venue

__all__ = ["Plan", "place", "check_plan", "check_capacity"]


@dataclass(frozen=True)
class Plan:
    venue: Venue
    room: Room
    starts_at: datetime
    ends_at: datetime
    capacity: int
    ambassador_ids: Sequence[str]


def place(db: Session, venue_id: str, room_id: str, *, hold_venue: bool = False) -> tuple[Venue, Room]:
    """The venue and its room, the room locked until commit.

    ``hold_venue`` when a session comes to this venue (planned there, or moved there from another):
    the venue is read under a shared lock (PostgreSQL), so a change to it (PATCH /api/v1/venues/{id})
    either comes first, and this session is announced with the new place, or waits for this session,
    and then finds it there and re-announces it. Not for a session staying at its venue: that change
    finds it anyway, and would wait for the session's lock while holding the venue's."""
    venue = venues.hold_venue(db, venue_id) if hold_venue else venues.get_venue(db, venue_id)
    if venue is None:
        raise VenueNotFound(f"No venue with id {venue_id}.")
    room = venues.lock_room(db, room_id)
    if room is None or room.venue_id != venue.id:
        raise RoomNotFound(f"Venue {venue.name} has no room with id {room_id}.")
    return venue, room


def check_plan(db: Session, plan: Plan, settings: SchedulerSettings, *, exclude_id: str | None = None) -> None:
    """Raise the first rule ``plan`` breaks: its time, capacity, opening hours, then clashes."""
    ensure_plannable(plan.starts_at, plan.ends_at, plan.venue.timezone, settings.clock.now())
    check_capacity(plan.capacity, plan.room)
    ensure_open(db, plan.venue, plan.starts_at, plan.ends_at)
    ensure_no_clash(
        db,
        room=plan.room,
        ambassador_ids=plan.ambassador_ids,
        starts_at=plan.starts_at,
        ends_at=plan.ends_at,
        buffer=timedelta(minutes=settings.clash_buffer_minutes),
        exclude_id=exclude_id,
    )


def check_capacity(capacity: int, room: Room) -> None:
    """A session may seat no more than its room holds."""
    if capacity > room.capacity:
        raise CapacityTooLarge(f"capacity {capacity} is more than room {room.name} holds ({room.capacity}).")
