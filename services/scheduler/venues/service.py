"""Rules for venues: rooms, the opening hours sessions must fit in, and changes attendees are told of."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from scheduler.errors import AddressNotHidden, VenueNotFound
from scheduler.sessions import changes
from scheduler.venues import repository
from scheduler.venues.models import OpeningHours, Room, Venue
from scheduler.venues.schemas import (
    WEEKDAYS,
    DayHours,
    HoursSet,
    RoomPublic,
    VenueCreate,
    VenuePublic,
    VenueUpdate,
    hidden_address_problem,
)

__all__ = ["create_venue", "update_venue", "get_venue", "list_venues", "set_hours", "SEEN_BY_ATTENDEES"]

#: the fields that reach attendees (venues.disclosure); a change to one re-announces upcoming sessions.
SEEN_BY_ATTENDEES = ("public_name", "address", "city", "neighbourhood", "address_hidden_until_hours")


def _public(db: Session, venue: Venue) -> VenuePublic:
    rooms = [RoomPublic(id=r.id, name=r.name, capacity=r.capacity) for r in repository.rooms_of(db, venue.id)]
    hours = [
        DayHours(weekday=WEEKDAYS[h.weekday], opens=h.opens, closes=h.closes) for h in repository.hours_of(db, venue.id)
    ]
    return VenuePublic(
        **venue.model_dump(exclude={"created_at"}),
        rooms=rooms,
        opening_hours=hours,
        closed_on=repository.closures_of(db, venue.id),
    )


def create_venue(db: Session, data: VenueCreate) -> VenuePublic:
    venue = Venue(**data.model_dump(exclude={"rooms", "opening_hours", "closed_on"}))
    db.add(venue)
    db.flush()
    db.add_all([Room(venue_id=venue.id, name=r.name, capacity=r.capacity) for r in data.rooms])
    _replace_hours(db, venue.id, data)
    return _public(db, venue)


def set_hours(db: Session, venue_id: str, data: HoursSet) -> VenuePublic:
    """Replace the hours; sessions already planned stay (they were checked when planned)."""
    venue = _existing(db, venue_id)
    _replace_hours(db, venue.id, data)
    return _public(db, venue)


def update_venue(db: Session, venue_id: str, data: VenueUpdate) -> VenuePublic:
    """Change the fields given; when attendees see the place differently, tell those of upcoming sessions.

    AddressNotHidden when the venue, as changed, would give away the address it hides.
    """
    venue = _existing(db, venue_id)
    given = data.changes()
    changed = {name for name, value in given.items() if getattr(venue, name) != value}
    # each as the venue's own field, given or kept (VenueUpdate has checked the given ones)
    after: dict[str, Any] = {name: given.get(name, getattr(venue, name)) for name in SEEN_BY_ATTENDEES}
    problem = hidden_address_problem(
        after["public_name"], after["address"], after["neighbourhood"], after["address_hidden_until_hours"]
    )
    if problem is not None:
        raise AddressNotHidden(f"{problem}.")
    for name, value in given.items():
        setattr(venue, name, value)
    db.add(venue)
    db.flush()
    if changed & set(SEEN_BY_ATTENDEES):
        changes.reannounce_at_venue(db, venue)
    return _public(db, venue)


def get_venue(db: Session, venue_id: str) -> VenuePublic:
    return _public(db, _existing(db, venue_id))


def list_venues(db: Session) -> list[VenuePublic]:
    return [_public(db, v) for v in repository.list_venues(db)]


def _existing(db: Session, venue_id: str) -> Venue:
    venue = repository.get_venue(db, venue_id)
    if venue is None:
        raise VenueNotFound(f"No venue with id {venue_id}.")
    return venue


def _replace_hours(db: Session, venue_id: str, data: HoursSet) -> None:
    hours = [
        OpeningHours(venue_id=venue_id, weekday=WEEKDAYS.index(h.weekday), opens=h.opens, closes=h.closes)
        for h in data.opening_hours
    ]
    repository.replace_hours(db, venue_id, hours, data.closed_on)
