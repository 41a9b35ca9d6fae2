"""HTTP routes for group bookings: the session's ambassadors and coordinators only."""

from __future__ import annotations

from fastapi import APIRouter, status
from fastapi.concurrency import run_in_threadpool

from scheduler.deps import SettingsDep, Staff
from scheduler.groups import service
from scheduler.groups.schemas import GroupCheckIn, GroupCreate, GroupPublic
from shared.unit_of_work import SessionDep

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/sessions/{session_id}/group-bookings", tags=["group bookings"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def book_group(
    session_id: str, data: GroupCreate, db: SessionDep, user: Staff, settings: SettingsDep
) -> GroupPublic:
    """Seats for people an ambassador brings: a headcount, their languages, whether they need an interpreter;
    until the session starts (409 BookingsClosed, naming the start).

    Async, with the work in the thread pool, for the reason scheduler.bookings.api gives."""
    return await run_in_threadpool(service.book_group, db, session_id, data, user, settings.clock.now())


@router.get("")
def list_groups(session_id: str, db: SessionDep, user: Staff) -> list[GroupPublic]:
    return service.list_groups(db, session_id, user)


@router.post("/{group_id}/cancel")
def cancel_group(session_id: str, group_id: str, db: SessionDep, user: Staff) -> GroupPublic:
    return service.cancel_group(db, session_id, group_id, user)


@router.post("/{group_id}/check-in")
def check_in_group(session_id: str, group_id: str, data: GroupCheckIn, db: SessionDep, user: Staff) -> GroupPublic:
    """How many of the group came (default: all); counted in the session's attendance."""
    return service.check_in_group(db, session_id, group_id, data, user)
