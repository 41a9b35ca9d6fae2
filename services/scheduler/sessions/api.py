"""HTTP routes for sessions, check-ins and completion."""

from __future__ import annotations

from fastapi import APIRouter, status

from scheduler.deps import SettingsDep
from scheduler.sessions import service
from scheduler.sessions.schemas import CheckInCreate, CheckInResult, Completion, SessionCreate, SessionPublic
from shared.web import DbDep

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_session(data: SessionCreate, db: DbDep, settings: SettingsDep) -> SessionPublic:
    return service.create_session(db, data, settings)


@router.get("/{session_id}")
def get_session(session_id: str, db: DbDep, settings: SettingsDep) -> SessionPublic:
    return service.get_session(db, session_id, settings)


@router.post("/{session_id}/check-ins")
def check_in(session_id: str, data: CheckInCreate, db: DbDep) -> CheckInResult:
    return service.check_in(db, session_id, data)


@router.post("/{session_id}/complete")
def complete(session_id: str, db: DbDep) -> Completion:
    return service.complete(db, session_id)
