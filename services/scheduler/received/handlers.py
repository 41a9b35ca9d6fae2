"""``feedback.report.published``: keep the summary for the session's ambassadors to read.

The feedback service sends it once the feedback window has closed, with every
figure from too few answers already withheld; the scheduler keeps it as it
came and adds nothing that could single anyone out.
"""

from __future__ import annotations

import structlog
from sqlmodel import Session

from scheduler.received.models import SessionFeedback
from scheduler.sessions.models import InfoSession
from shared.events import Envelope, ReportPublished

__all__ = ["on_report_published"]

log = structlog.get_logger("scheduler.received")


def on_report_published(db: Session, envelope: Envelope) -> None:
    event = envelope.payload
    assert isinstance(event, ReportPublished)
    if db.get(InfoSession, event.session_id) is None:
        log.warning("scheduler.report_for_unknown_session", session_id=event.session_id)
        return
    kept = db.get(SessionFeedback, event.session_id) or SessionFeedback(session_id=event.session_id)
    kept.response_count, kept.summary = event.response_count, dict(event.summary)
    db.add(kept)
