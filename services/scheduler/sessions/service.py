"""Rules for sessions: create, check in, complete."""

from __future__ import annotations

from sqlmodel import Session

from scheduler.bookings import repository as bookings
from scheduler.errors import (
    AlreadyCheckedIn,
    BookingNotFound,
    CapacityTooLarge,
    RoomNotFound,
    SessionNotFound,
    SessionNotOpen,
    VenueNotFound,
)
from scheduler.sessions import repository
from scheduler.sessions.models import InfoSession, SessionStatus
from scheduler.sessions.schemas import CheckInCreate, CheckInResult, Completion, SessionCreate, SessionPublic
from scheduler.settings import SchedulerSettings
from scheduler.venues import repository as venues
from shared import outbox
from shared.events import SessionCompleted, SessionPublished

__all__ = ["create_session", "get_session", "check_in", "complete"]

PRODUCER = "scheduler"


def create_session(db: Session, data: SessionCreate, settings: SchedulerSettings) -> SessionPublic:
    venue = venues.get_venue(db, data.venue_id)
    if venue is None:
        raise VenueNotFound(f"No venue with id {data.venue_id}.")
    room = venues.get_room(db, data.room_id)
    if room is None or room.venue_id != venue.id:
        raise RoomNotFound(f"Venue {venue.name} has no room with id {data.room_id}.")
    if data.capacity > room.capacity:
        raise CapacityTooLarge(f"capacity {data.capacity} is more than room {room.name} holds ({room.capacity}).")
    info = InfoSession(**data.model_dump())
    db.add(info)
    db.flush()
    outbox.record(
        db,
        SessionPublished(
            session_id=info.id,
            public_title=info.public_title,
            venue_public_name=venue.public_name,
            address=venue.address,
            starts_at=info.starts_at,
            ends_at=info.ends_at,
            timezone=venue.timezone,
            languages=info.languages,
            audience=info.audience,
            topics=info.topics,
            capacity=info.capacity,
            provider_id=info.provider_id,
        ),
        producer=PRODUCER,
    )
    return _public(db, info, venue.timezone, settings)


def get_session(db: Session, session_id: str, settings: SchedulerSettings) -> SessionPublic:
    info = _existing(db, session_id)
    venue = venues.get_venue(db, info.venue_id)
    assert venue is not None
    return _public(db, info, venue.timezone, settings)


def check_in(db: Session, session_id: str, data: CheckInCreate) -> CheckInResult:
    info = _open(db, session_id)
    if data.booking_code is not None:
        booking = bookings.get_active(db, session_id, data.booking_code)
        if booking is None:
            raise BookingNotFound(f"No active booking {data.booking_code} for this session; check the code.")
        if booking.checked_in_at is not None:
            raise AlreadyCheckedIn(f"Booking {booking.code} is already checked in.")
        bookings.mark_checked_in(db, booking)
    info.walk_ins += data.walk_ins
    db.add(info)
    db.flush()
    return CheckInResult(checked_in=len(bookings.attended_codes(db, session_id)), walk_ins=info.walk_ins)


def complete(db: Session, session_id: str) -> Completion:
    """Close the session and report attendance (booking codes only, no names or numbers)."""
    info = _open(db, session_id)
    codes = bookings.attended_codes(db, session_id)
    info.status = SessionStatus.COMPLETED
    db.add(info)
    attendance = len(codes) + info.walk_ins
    outbox.record(
        db,
        SessionCompleted(
            session_id=info.id,
            attendance=attendance,
            walk_ins=info.walk_ins,
            attended_booking_codes=codes,
            provider_id=info.provider_id,
            languages=info.languages,
            audience=info.audience,
            topics=info.topics,
        ),
        producer=PRODUCER,
    )
    return Completion(session_id=info.id, attendance=attendance, walk_ins=info.walk_ins, status=info.status)


def _existing(db: Session, session_id: str) -> InfoSession:
    info = repository.get(db, session_id)
    if info is None:
        raise SessionNotFound(f"No session with id {session_id}.")
    return info


def _open(db: Session, session_id: str) -> InfoSession:
    info = repository.lock(db, session_id)
    if info is None:
        raise SessionNotFound(f"No session with id {session_id}.")
    if info.status != SessionStatus.PUBLISHED:
        raise SessionNotOpen(f"This session is {info.status}; it takes no more bookings or check-ins.")
    return info


def _public(db: Session, info: InfoSession, timezone: str, settings: SchedulerSettings) -> SessionPublic:
    counts = bookings.count_by_status(db, info.id)
    return SessionPublic(
        **info.model_dump(exclude={"created_at", "walk_ins"}),
        timezone=timezone,
        confirmed=counts.get("confirmed", 0),
        waitlisted=counts.get("waitlisted", 0),
        booking_url=f"{settings.scheduler_public_url}/api/v1/sessions/{info.id}/bookings",
    )
