"""HTTP routes for bookings; attendees need no account."""

from __future__ import annotations

from fastapi import APIRouter, Query, status

from scheduler.bookings import service
from scheduler.bookings.schemas import BookingCreate, BookingCreated, BookingPublic
from scheduler.deps import SettingsDep
from shared.web import DbDep

router = APIRouter(prefix="/api/v1", tags=["bookings"])


@router.post("/sessions/{session_id}/bookings", status_code=status.HTTP_201_CREATED)
def create_booking(session_id: str, data: BookingCreate, db: DbDep, settings: SettingsDep) -> BookingCreated:
    return service.book(db, session_id, data, settings)


@router.get("/bookings/{code}")
def get_booking(code: str, db: DbDep, token: str = Query(min_length=16, max_length=128)) -> BookingPublic:
    return service.get_booking(db, code, token)
