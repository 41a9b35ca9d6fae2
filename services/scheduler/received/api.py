"""``GET /api/v1/sessions/{id}/feedback``: the published summary, for whoever may see the session."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from scheduler.deps import SettingsDep, Staff
from scheduler.received.models import SessionFeedback
from scheduler.sessions import service as sessions
from shared.web import DbDep

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"])


class SessionFeedbackPublic(BaseModel):
    session_id: str
    status: Literal["waiting", "published"] = Field(
        description="waiting: the feedback window is open or the report has not arrived yet"
    )
    response_count: int | None = Field(default=None, description="None: too few answers to show any figure")
    summary: dict[str, Any] = Field(default_factory=dict, description="The report, figures from too few answers null")
    received_at: datetime | None = None


@router.get("/{session_id}/feedback")
def session_feedback(session_id: str, db: DbDep, settings: SettingsDep, user: Staff) -> SessionFeedbackPublic:
    """How the session was received, once the feedback service has published its report."""
    sessions.get_session(db, session_id, settings, user)  # 404 or 403 as for the session itself
    kept = db.get(SessionFeedback, session_id)
    if kept is None:
        return SessionFeedbackPublic(session_id=session_id, status="waiting")
    return SessionFeedbackPublic(
        session_id=session_id,
        status="published",
        response_count=kept.response_count,
        summary=kept.summary,
        received_at=kept.received_at,
    )
