"""HTTP routes for venues: planners add them, coordinators change them; all staff may look them up."""

from __future__ import annotations

from fastapi import APIRouter, status

from scheduler.deps import Coordinator, Planner, Staff
from scheduler.venues import service
from scheduler.venues.schemas import HoursSet, VenueCreate, VenuePublic, VenueUpdate
from shared import audit
from shared.unit_of_work import SessionDep

router = APIRouter(prefix="/api/v1/venues", tags=["venues"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_venue(data: VenueCreate, db: SessionDep, user: Planner) -> VenuePublic:
    venue = service.create_venue(db, data)
    audit.record(db, user, "venue.created", venue_id=venue.id)
    return venue


@router.get("")
def list_venues(db: SessionDep, _user: Staff) -> list[VenuePublic]:
    return service.list_venues(db)


@router.get("/{venue_id}")
def get_venue(venue_id: str, db: SessionDep, _user: Staff) -> VenuePublic:
    return service.get_venue(db, venue_id)


@router.patch("/{venue_id}")
def update_venue(venue_id: str, data: VenueUpdate, db: SessionDep, user: Coordinator) -> VenuePublic:
    """Change a venue: only the fields given change, and null clears neighbourhood,
    address_hidden_until_hours or accessibility_notes. The time zone and the rooms stay as they are.

    When a field attendees see changes (public_name, address, city, neighbourhood,
    address_hidden_until_hours), each upcoming published session at the venue is
    re-announced as a reschedule (same time and room, revision + 1), so its attendees
    are told and their calendar invites updated; the name, kind, accessibility_notes and
    private_entrance are for staff only and announce nothing. 422 AddressNotHidden, naming
    the field, when the venue as changed would give away the address it hides."""
    venue = service.update_venue(db, venue_id, data)
    audit.record(db, user, "venue.updated", venue_id=venue_id)
    return venue


@router.put("/{venue_id}/hours")
def set_hours(venue_id: str, data: HoursSet, db: SessionDep, user: Coordinator) -> VenuePublic:
    """Replace the opening hours and closed days; an empty body means: open at any time."""
    venue = service.set_hours(db, venue_id, data)
    audit.record(db, user, "venue.hours_set", venue_id=venue_id)
    return venue
