"""Venues and their rooms."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel

from shared.events import utcnow

__all__ = ["Venue", "Room", "OpeningHours", "Closure"]


def new_id() -> str:
    return uuid.uuid4().hex


class Venue(SQLModel, table=True):
    """A place sessions happen; ``public_name`` is the only name that leaves the system."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    public_name: str = Field(max_length=200)
    kind: str = Field(max_length=40)
    address: str = Field(max_length=300)
    city: str = Field(max_length=100)
    timezone: str = Field(default="Europe/Amsterdam", max_length=64)
    #: named instead of the address while it is hidden, e.g. "Oud-West".
    neighbourhood: str | None = Field(default=None, max_length=100)
    #: the address is shown only this many hours before a session (venues.disclosure); None: always.
    address_hidden_until_hours: int | None = None
    #: for staff only, e.g. "step-free entrance on the side; lift to floor 2".
    accessibility_notes: str | None = Field(default=None, max_length=1000)
    #: there is an entrance where attendees are not seen going in (staff only).
    private_entrance: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    created_at: datetime = Field(default_factory=utcnow)


class Room(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    venue_id: str = Field(foreign_key="venue.id", index=True, max_length=32)
    name: str = Field(max_length=100)
    capacity: int = Field(gt=0)


class OpeningHours(SQLModel, table=True):
    """When a venue is open on one weekday (0 = Monday), in its own time zone.

    A venue with no rows accepts sessions at any time; a venue with rows is
    closed on the weekdays it has no row for.
    """

    __tablename__ = "venue_opening_hours"

    venue_id: str = Field(foreign_key="venue.id", primary_key=True, max_length=32)
    weekday: int = Field(primary_key=True, ge=0, le=6)
    opens: time
    closes: time


class Closure(SQLModel, table=True):
    """A day the venue is closed although its weekday has hours (a holiday, a renovation)."""

    __tablename__ = "venue_closure"

    venue_id: str = Field(foreign_key="venue.id", primary_key=True, max_length=32)
    day: date = Field(primary_key=True)
