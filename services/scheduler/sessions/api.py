"""HTTP routes for sessions, check-ins and completion; booking is in scheduler.bookings (public)."""

from __future__ import annotations

from fastapi import APIRouter, status

from scheduler.deps import Planner, SettingsDep, Staff
from scheduler.sessions import changes, service
from scheduler.sessions.schemas import (
    CheckInCreate,
    CheckInResult,
    Completion,
    SessionCancel,
    SessionCreate,
    SessionPublic,
    SessionUpdate,
)
from shared.web import DbDep

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_session(data: SessionCreate, db: DbDep, settings: SettingsDep, user: Planner) -> SessionPublic:
    return service.create_session(db, data, settings, user)


@router.get("")
def list_sessions(db: DbDep, settings: SettingsDep, user: Staff) -> list[SessionPublic]:
    """Coordinators see every session; ambassadors the ones they run; provider staff their organisation's."""
    return service.list_sessions(db, settings, user)


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
