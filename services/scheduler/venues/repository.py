"""Queries on venues and rooms."""

from __future__ import annotations

from sqlmodel import Session, col, select

from scheduler.venues.models import Room, Venue

__all__ = ["get_venue", "rooms_of", "get_room", "list_venues"]


def get_venue(db: Session, venue_id: str) -> Venue | None:
    return db.get(Venue, venue_id)


def get_room(db: Session, room_id: str) -> Room | None:
    return db.get(Room, room_id)


def rooms_of(db: Session, venue_id: str) -> list[Room]:
    return list(db.exec(select(Room).where(Room.venue_id == venue_id).order_by(col(Room.name))).all())


def list_venues(db: Session) -> list[Venue]:
    return list(db.exec(select(Venue).order_by(col(Venue.name))).all())
