"""Request and response bodies for venues."""

from __future__ import annotations

from typing import Literal
from zoneinfo import available_timezones

from pydantic import BaseModel, Field, field_validator

__all__ = ["VenueKind", "RoomCreate", "RoomPublic", "VenueCreate", "VenuePublic"]

VenueKind = Literal[
    "sexual_violence_centre",
    "municipal",
    "reception_centre",
    "library",
    "language_cafe",
    "community_centre",
    "school",
    "other",
]


class RoomCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    capacity: int = Field(gt=0, le=10_000)


class RoomPublic(RoomCreate):
    id: str


class VenueCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="The real name; never leaves the system.")
    public_name: str = Field(min_length=1, max_length=200, description="Safe to show, e.g. street and number.")
    kind: VenueKind
    address: str = Field(min_length=1, max_length=300)
    city: str = Field(min_length=1, max_length=100)
    timezone: str = "Europe/Amsterdam"
    rooms: list[RoomCreate] = Field(min_length=1)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in available_timezones():
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/Amsterdam")
        return value


class VenuePublic(BaseModel):
    id: str
    name: str
    public_name: str
    kind: str
    address: str
    city: str
    timezone: str
    rooms: list[RoomPublic]
