"""Feedback summaries, from the feedback service's published reports.

GET /api/v1/sessions/{id}/feedback   one session's summary: for coordinators and the provider's staff;
                                     its ambassadors learn only that it is published
GET /api/v1/feedback/mine            the caller's figures pooled over at least three of the sessions
                                     they run (scheduler.feedback_summaries.pooled)

Ambassadors make a session's feedback cards, so they see no one session's
figures: with spare cards they could pad a session and read a real
attendee's answers off it (docs/THREAT_MODEL.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from scheduler.deps import SettingsDep, Staff
from scheduler.feedback_summaries.models import SessionFeedback
from scheduler.feedback_summaries.pooled import MIN_POOLED_SESSIONS, pooled_summary
from scheduler.sessions import service as sessions
from shared.web import DbDep

__all__ = ["router", "pooled_router"]

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"])
pooled_router = APIRouter(prefix="/api/v1/feedback", tags=["sessions"])


class SessionFeedbackPublic(BaseModel):
    session_id: str
    status: Literal["waiting", "published"] = Field(
        description="waiting: the feedback window is open or the report has not arrived yet"
    )
    response_count: int | None = Field(default=None, description="None: too few answers to show, or not for you")
    summary: dict[str, Any] = Field(default_factory=dict, description="The report, withheld figures null")
    received_at: datetime | None = None
    pooled_only: bool = Field(
        default=False,
        description=f"True for the session's ambassadors: they see figures only pooled over at least "
        f"{MIN_POOLED_SESSIONS} of their sessions (GET /api/v1/feedback/mine)",
    )


@router.get("/{session_id}/feedback")
def session_feedback(session_id: str, db: DbDep, settings: SettingsDep, user: Staff) -> SessionFeedbackPublic:
    """How the session was received, once the feedback service has published its report."""
    sessions.get_session(db, session_id, settings, user)  # 404 or 403 as for the session itself
    kept = db.get(SessionFeedback, session_id)
    if kept is None:
        return SessionFeedbackPublic(session_id=session_id, status="waiting")
    if user.role == "ambassador":
        return SessionFeedbackPublic(
            session_id=session_id, status="published", received_at=kept.received_at, pooled_only=True
        )
    return SessionFeedbackPublic(
        session_id=session_id,
        status="published",
        response_count=kept.response_count,
        summary=kept.summary,
        received_at=kept.received_at,
    )


@pooled_router.get("/mine")
def my_feedback(db: DbDep, user: Staff) -> dict[str, Any]:
    """The figures of the released sessions the caller runs, added up (``sessions``: how many); only
    how many while there are fewer than three."""
    return pooled_summary(db, user.user_id)
