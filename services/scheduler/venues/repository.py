"""Queries on venues and rooms."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete
from sqlmodel import Session, col, select

from scheduler.venues.models import Closure, OpeningHours, Room, Venue
from shared.db import is_sqlite

__all__ = [
    "get_venue",
    "rooms_of",
    "get_room",
    "hold_venue",
    "lock_room",
    "list_venues",
    "hours_of",
    "closures_of",
    "is_closed_on",
    "replace_hours",
]


def get_venue(db: Session, venue_id: str) -> Venue | None:
    return db.get(Venue, venue_id)


def get_room(db: Session, room_id: str) -> Room | None:
    return db.get(Room, room_id)


def rooms_of(db: Session, venue_id: str) -> list[Room]:
    return list(db.exec(select(Room).where(Room.venue_id == venue_id).order_by(col(Room.name))).all())


def list_venues(db: Session) -> list[Venue]:
    return list(db.exec(select(Venue).order_by(col(Venue.name))).all())


def hold_venue(db: Session, venue_id: str) -> Venue | None:
    """The venue as last committed, share-locked until commit on PostgreSQL (sessions.planning.place)."""
    query = select(Venue).where(Venue.id == venue_id).execution_options(populate_existing=True)
    if not is_sqlite(db.get_bind()):
        query = query.with_for_update(read=True)
    return db.exec(query).first()


def lock_room(db: Session, room_id: str) -> Room | None:
    """The room, locked until commit on PostgreSQL, so two sessions cannot claim it at once.

    SQLite is already serialised by BEGIN IMMEDIATE (shared.db).
    """
    query = select(Room).where(Room.id == room_id)
    if not is_sqlite(db.get_bind()):
        query = query.with_for_update()
    return db.exec(query).first()


def hours_of(db: Session, venue_id: str) -> list[OpeningHours]:
    query = select(OpeningHours).where(OpeningHours.venue_id == venue_id).order_by(col(OpeningHours.weekday))
    return list(db.exec(query).all())


def closures_of(db: Session, venue_id: str) -> list[date]:
    query = select(col(Closure.day)).where(Closure.venue_id == venue_id).order_by(col(Closure.day))
    return list(db.exec(query).all())


def is_closed_on(db: Session, venue_id: str, day: date) -> bool:
    return db.get(Closure, (venue_id, day)) is not None


def replace_hours(db: Session, venue_id: str, hours: Iterable[OpeningHours], closed_on: Iterable[date]) -> None:
    """Set a venue's hours and closed days, dropping what was there."""
    db.exec(delete(OpeningHours).where(col(OpeningHours.venue_id) == venue_id))
    db.exec(delete(Closure).where(col(Closure.venue_id) == venue_id))
    db.add_all([*hours, *(Closure(venue_id=venue_id, day=day) for day in closed_on)])
    db.flush()
