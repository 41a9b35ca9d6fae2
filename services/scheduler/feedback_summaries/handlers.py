"""``feedback.report.published``: keep the summary for the session's ambassadors to read.

The feedback service sends it once the feedback window has closed: the
session's summary, worked out from its released noisy counts with small
figures withheld, and those counts. The scheduler keeps both as they came;
the counts are shown only pooled over several sessions (feedback_summaries.pooled).
"""

from __future__ import annotations

import structlog
from sqlmodel import Session

from scheduler.feedback_summaries.models import SessionFeedback
from scheduler.sessions.models import InfoSession
from shared.events import Envelope, ReportPublished

__all__ = ["on_report_published"]

log = structlog.get_logger("scheduler.feedback_summaries")


def on_report_published(db: Session, event: ReportPublished, envelope: Envelope) -> None:
    if db.get(InfoSession, event.session_id) is None:
        log.warning("scheduler.report_for_unknown_session", session_id=event.session_id)
        return
    kept = db.get(SessionFeedback, event.session_id) or SessionFeedback(session_id=event.session_id)
    kept.response_count, kept.summary, kept.counts = event.response_count, dict(event.summary), dict(event.counts)
    db.add(kept)
