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

from typing import Any

from fastapi import APIRouter

from scheduler.deps import SettingsDep, Staff
from scheduler.feedback_summaries import service
from scheduler.feedback_summaries.pooled import pooled_summary
from scheduler.feedback_summaries.schemas import SessionFeedbackPublic
from shared.unit_of_work import SessionDep

__all__ = ["router", "pooled_router"]

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"])
pooled_router = APIRouter(prefix="/api/v1/feedback", tags=["sessions"])


@router.get("/{session_id}/feedback")
def session_feedback(session_id: str, db: SessionDep, settings: SettingsDep, user: Staff) -> SessionFeedbackPublic:
    """How the session was received, once the feedback service has published its report."""
    return service.session_feedback(db, session_id, settings, user)


@pooled_router.get("/mine")
def my_feedback(db: SessionDep, user: Staff) -> dict[str, Any]:
    """The figures of the released sessions the caller runs, added up (``sessions``: how many); only
    how many while there are fewer than three."""
    return pooled_summary(db, user.user_id)
