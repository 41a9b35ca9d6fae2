"""When a venue's address may be shown: some venues name only their neighbourhood until shortly before.

A venue with ``address_hidden_until_hours`` set shows its street address
only from that many hours before a session; until then every page, booking
link and event names its neighbourhood instead. Who sees a listing or a
message on a shared phone days ahead learns the part of town, not the door
(the door of a sexual-violence centre alone can tell the topic).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TypedDict

from pydantic import BaseModel, Field

from scheduler.venues.models import Venue
from shared.events import utcnow

__all__ = ["Place", "EventPlace", "released_at", "place", "event_fields"]


class Place(BaseModel):
    """Where a session is, as far as it may be shown now."""

    venue_public_name: str
    city: str
    neighbourhood: str | None
    address: str | None = Field(description="The street address; null while the venue still hides it.")
    address_released_at: datetime | None = Field(
        description="When the address is shown, for a venue that hides it until shortly before; null otherwise."
    )


def released_at(venue: Venue, starts_at: datetime) -> datetime | None:
    """From when the address of a session starting at ``starts_at`` may be shown; None: always."""
    if venue.address_hidden_until_hours is None:
        return None
    return starts_at - timedelta(hours=venue.address_hidden_until_hours)


def _shown(venue: Venue, starts_at: datetime, now: datetime) -> bool:
    release = released_at(venue, starts_at)
    return release is None or now >= release


def place(venue: Venue, starts_at: datetime, now: datetime | None = None) -> Place:
    """The venue as an attendee may see it at ``now`` (default: the present)."""
    shown = _shown(venue, starts_at, now or utcnow())
    return Place(
        venue_public_name=venue.public_name,
        city=venue.city,
        neighbourhood=venue.neighbourhood,
        address=venue.address if shown else None,
        address_released_at=released_at(venue, starts_at),
    )


class EventPlace(TypedDict):
    """The place and time fields of ``SessionPublished`` and ``SessionRescheduled``."""

    venue_public_name: str
    address: str
    neighbourhood: str | None
    address_released_at: datetime | None
    starts_at: datetime
    ends_at: datetime
    timezone: str


def event_fields(venue: Venue, starts_at: datetime, ends_at: datetime, now: datetime | None = None) -> EventPlace:
    """The place and time fields of a session event, built here alone: ``address`` is the neighbourhood
    (with the city) while the address is hidden.

    Consumers (the notifier's invites) use ``address`` as the location as it
    stands, so the street address is put in an event only once it may be shown.
    """
    shown = place(venue, starts_at, now)
    return {
        "venue_public_name": shown.venue_public_name,
        "address": shown.address if shown.address is not None else f"{shown.neighbourhood}, {shown.city}",
        "neighbourhood": shown.neighbourhood,
        "address_released_at": shown.address_released_at,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "timezone": venue.timezone,
    }
