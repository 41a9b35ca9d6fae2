"""Publishing each session's report once its feedback window has closed.

Each closed session is released here (``reports.release``) unless a report
request got there first; the session row is locked, so only one of them
releases. ``feedback.report.published`` then carries, from that release only:
the suppressed summary a provider sees (for coordinators and the provider's
staff), and the released noisy counts, which the scheduler pools over several
of an ambassador's sessions (an ambassador sees no one session's figures).
It is written with the session's mark in one transaction (outbox), so it is
published exactly once however often this loop runs or restarts.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import structlog
from sqlalchemy import Engine

from feedback.forms.repository import lock_session
from feedback.reports.aggregate import asked, summarise_tally
from feedback.reports.release import release, released_tally
from feedback.reports.repository import closed_unpublished, refresh_statistics
from feedback.settings import FeedbackSettings
from feedback.tokens import window
from shared import outbox
from shared.events import ReportPublished, utcnow
from shared.unit_of_work import UnitOfWork
from shared.web import Runtime

__all__ = ["publish_closed", "run_publisher"]

log = structlog.get_logger("feedback.reports")

#: how often SQLite's statistics on the answers are refreshed (reports.repository.refresh_statistics).
STATISTICS_SECONDS = 86400.0


def publish_closed(engine: Engine, settings: FeedbackSettings) -> int:
    """Record the report event of every session whose window closed; return how many."""
    now = utcnow()
    closed_before = now - timedelta(days=settings.feedback_token_days) + window.LATEST_SHIFT
    with UnitOfWork(engine) as db:
        sessions = closed_unpublished(db, closed_before, limit=100)
        published = 0
        for found in sessions:
            session = lock_session(db, found.session_id)
            if session is None or session.report_published_at is not None:
                continue  # published by another replica while this one waited for the lock
            if window.closes(session.completed_at, settings.feedback_token_days, session.timezone) > now:  # type: ignore[arg-type]  # found among completed sessions: completed_at is set
                continue  # closes within the hour a DST change moves it (feedback.tokens.window)
            counted = released_tally(release(db, session, settings).body)
            summary = summarise_tally(counted, settings.min_group_size)
            event = ReportPublished(
                session_id=session.session_id,
                provider_id=session.provider_id,
                response_count=summary.get("responses"),
                summary=summary,
                counts={
                    **counted.as_json(),
                    "questions": [vars(q) for q in asked()],
                    "min_group": settings.min_group_size,
                },
            )
            outbox.record(db, event, producer="feedback")
            session.report_published_at = utcnow()
            db.add(session)
            published += 1
    return published


async def run_publisher(runtime: Runtime) -> None:
    """Publish closed windows' reports; at start and once a day, refresh the planner's statistics."""
    settings: FeedbackSettings = runtime.settings  # type: ignore[assignment]  # Runtime holds CommonSettings; this service's app was built with its own
    analysed_at: float | None = None
    while True:
        try:
            if analysed_at is None or time.monotonic() - analysed_at >= STATISTICS_SECONDS:
                await asyncio.to_thread(refresh_statistics, runtime.engine)
                analysed_at = time.monotonic()
            if await asyncio.to_thread(publish_closed, runtime.engine, settings):
                runtime.relay.wake()
        except Exception as error:  # noqa: BLE001 - database away: try again next round
            log.warning("feedback.report_publish_failed", error=str(error) or type(error).__name__)
        await asyncio.sleep(settings.report_check_seconds)
