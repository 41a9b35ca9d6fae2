"""HTTP routes for venues: coordinators add them; all staff may look them up."""

from __future__ import annotations

from fastapi import APIRouter, status

from scheduler.deps import Coordinator, Planner, Staff
from scheduler.venues import service
from scheduler.venues.schemas import HoursSet, VenueCreate, VenuePublic
from shared import audit
from shared.web import DbDep

router = APIRouter(prefix="/api/v1/venues", tags=["venues"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_venue(data: VenueCreate, db: DbDep, user: Planner) -> VenuePublic:
    venue = service.create_venue(db, data)
    audit.record(db, user, "venue.created", venue_id=venue.id)
    return venue


@router.get("")
def list_venues(db: DbDep, _user: Staff) -> list[VenuePublic]:
    return service.list_venues(db)


@router.get("/{venue_id}")
def get_venue(venue_id: str, db: DbDep, _user: Staff) -> VenuePublic:
    return service.get_venue(db, venue_id)


@router.put("/{venue_id}/hours")
def set_hours(venue_id: str, data: HoursSet, db: DbDep, user: Coordinator) -> VenuePublic:
    """Replace the opening hours and closed days; an empty body means: open at any time."""
    venue = service.set_hours(db, venue_id, data)
    audit.record(db, user, "venue.hours_set", venue_id=venue_id)
    return venue
