"""HTTP routes for sessions, check-ins and completion; booking is in scheduler.bookings (public)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.concurrency import run_in_threadpool

from scheduler.deps import Planner, SettingsDep, Staff
from scheduler.sessions import changes, public, series, service
from scheduler.sessions.public import PublicSession
from scheduler.sessions.schemas import (
    CheckInCreate,
    CheckInResult,
    Completion,
    PublicFilters,
    SeriesCreate,
    SeriesCreated,
    SessionCancel,
    SessionCreate,
    SessionFilters,
    SessionPublic,
    SessionUpdate,
)
from shared.web import DbDep

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"])
public_router = APIRouter(prefix="/api/v1/public/sessions", tags=["public"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_session(data: SessionCreate, db: DbDep, settings: SettingsDep, user: Planner) -> SessionPublic:
    return service.create_session(db, data, settings, user)


@router.post("/series", status_code=status.HTTP_201_CREATED)
def create_series(data: SeriesCreate, db: DbDep, settings: SettingsDep, user: Planner) -> SeriesCreated:
    """One session per date of ``rrule``; dates that clash or fall outside opening hours are listed in
    ``skipped`` with the reason, the others created. 409 NothingPlanned when no date could be planned."""
    return series.create_series(db, data, settings, user)


@router.get("")
def list_sessions(
    db: DbDep, settings: SettingsDep, user: Staff, filters: Annotated[SessionFilters, Query()]
) -> list[SessionPublic]:
    """Coordinators see every session; ambassadors the ones they run; provider staff their organisation's.

    Filter by language, city, start date range (from, to), audience, topic and public."""
    return service.list_sessions(db, settings, user, filters)


@public_router.get("")
async def public_listing(
    db: DbDep, settings: SettingsDep, filters: Annotated[PublicFilters, Query()]
) -> list[PublicSession]:
    """No account needed: upcoming sessions marked public, with only what is safe to show
    (scheduler.sessions.public says what and why). Filter by language, city and dates."""
    return await run_in_threadpool(public.public_listing, db, filters, settings)


@router.get("/{session_id}")
def get_session(session_id: str, db: DbDep, settings: SettingsDep, user: Staff) -> SessionPublic:
    return service.get_session(db, session_id, settings, user)


@router.patch("/{session_id}")
def reschedule(session_id: str, data: SessionUpdate, db: DbDep, settings: SettingsDep, user: Staff) -> SessionPublic:
    """A new time, room or venue, checked like a new session; emits scheduling.session.rescheduled."""
    return changes.reschedule(db, session_id, data, settings, user)


@router.post("/{session_id}/cancel")
def cancel(session_id: str, data: SessionCancel, db: DbDep, settings: SettingsDep, user: Staff) -> SessionPublic:
    """Call the session off with a reason code; emits scheduling.session.cancelled."""
    return changes.cancel(db, session_id, data, settings, user)


@router.post("/{session_id}/check-ins")
def check_in(session_id: str, data: CheckInCreate, db: DbDep, user: Staff) -> CheckInResult:
    return service.check_in(db, session_id, data, user)


@router.post("/{session_id}/complete")
def complete(session_id: str, db: DbDep, user: Staff) -> Completion:
    return service.complete(db, session_id, user)
