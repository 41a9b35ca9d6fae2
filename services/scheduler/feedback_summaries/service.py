"""Rules for reading a session's feedback summary: its ambassadors learn only that it is published."""

from __future__ import annotations

from sqlmodel import Session

from scheduler.feedback_summaries.models import SessionFeedback
from scheduler.feedback_summaries.schemas import SessionFeedbackPublic, SummaryStatus
from scheduler.sessions import service as sessions
from scheduler.settings import SchedulerSettings
from shared.auth import Principal

__all__ = ["session_feedback"]


def session_feedback(
    db: Session, session_id: str, settings: SchedulerSettings, user: Principal
) -> SessionFeedbackPublic:
    """How the session was received, once the feedback service has published its report."""
    sessions.get_session(db, session_id, settings, user)  # 404 or 403 as for the session itself
    kept = db.get(SessionFeedback, session_id)
    if kept is None:
        return SessionFeedbackPublic(session_id=session_id, status=SummaryStatus.WAITING)
    if user.role == "ambassador":
        return SessionFeedbackPublic(
            session_id=session_id, status=SummaryStatus.PUBLISHED, received_at=kept.received_at, pooled_only=True
        )
    return SessionFeedbackPublic(
        session_id=session_id,
        status=SummaryStatus.PUBLISHED,
        response_count=kept.response_count,
        summary=kept.summary,
        received_at=kept.received_at,
    )
