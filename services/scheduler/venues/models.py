"""Venues and their rooms."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from shared.events import utcnow

__all__ = ["Venue", "Room"]


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
    created_at: datetime = Field(default_factory=utcnow)


class Room(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    venue_id: str = Field(foreign_key="venue.id", index=True, max_length=32)
    name: str = Field(max_length=100)
    capacity: int = Field(gt=0)
