"""Rules for venues."""

from __future__ import annotations

from sqlmodel import Session

from scheduler.errors import VenueNotFound
from scheduler.venues import repository
from scheduler.venues.models import Room, Venue
from scheduler.venues.schemas import RoomPublic, VenueCreate, VenuePublic

__all__ = ["create_venue", "get_venue", "list_venues"]


def _public(db: Session, venue: Venue) -> VenuePublic:
    rooms = [RoomPublic(id=r.id, name=r.name, capacity=r.capacity) for r in repository.rooms_of(db, venue.id)]
    return VenuePublic(**venue.model_dump(exclude={"created_at"}), rooms=rooms)


def create_venue(db: Session, data: VenueCreate) -> VenuePublic:
    venue = Venue(**data.model_dump(exclude={"rooms"}))
    db.add(venue)
    db.flush()
    db.add_all([Room(venue_id=venue.id, name=r.name, capacity=r.capacity) for r in data.rooms])
    db.flush()
    return _public(db, venue)


def get_venue(db: Session, venue_id: str) -> VenuePublic:
    venue = repository.get_venue(db, venue_id)
    if venue is None:
        raise VenueNotFound(f"No venue with id {venue_id}.")
    return _public(db, venue)


def list_venues(db: Session) -> list[VenuePublic]:
    return [_public(db, v) for v in repository.list_venues(db)]
