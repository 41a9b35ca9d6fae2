"""HTTP routes for bookings; attendees need no account, their link carries a token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from scheduler.bookings import cancellation, service
from scheduler.bookings.schemas import BookingCreate, BookingCreated, BookingPublic
from scheduler.deps import MaybeStaff, SettingsDep
from shared.auth import Unauthenticated, ensure_role
from shared.web import DbDep

router = APIRouter(prefix="/api/v1", tags=["bookings"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        min_length=8,
        max_length=200,
        description="Any unique string (e.g. a UUID) per registration; a retry with the same key and body "
        "gets the first answer again, for a day.",
    ),
]
Token = Annotated[str, Query(min_length=16, max_length=128)]


@router.post("/sessions/{session_id}/bookings", status_code=status.HTTP_201_CREATED)
def create_booking(
    session_id: str,
    data: BookingCreate,
    db: DbDep,
    settings: SettingsDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> BookingCreated:
    code, answer = service.book(db, session_id, data, settings, idempotency_key)
    response.status_code = code
    return answer


@router.get("/bookings/{code}")
def get_booking(code: str, db: DbDep, token: Token, settings: SettingsDep) -> BookingPublic:
    return service.get_booking(db, code, token, settings)


@router.post("/bookings/{code}/cancel")
def cancel_booking(
    code: str,
    db: DbDep,
    staff: MaybeStaff,
    token: Annotated[str | None, Query(min_length=16, max_length=128)] = None,
) -> BookingPublic:
    """With the booking's ``token`` (its secret link), or as a coordinator without one.

    Frees the seat; the first on the waitlist gets it at once."""
    if token is not None:
        return cancellation.cancel_by_link(db, code, token)
    if staff is None:
        raise Unauthenticated("Give the booking's token (?token=... from its link), or sign in as a coordinator.")
    ensure_role(staff, "coordinator")
    return cancellation.cancel_by_staff(db, code)
