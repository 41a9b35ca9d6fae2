"""Undoing a completion, for a short while after it (BRUG_COMPLETION_UNDO_MINUTES, default 15).

A session closed by mistake (the wrong one at the door, or before the last
people were counted) was final: its attendance and feedback cards stood. For
a few minutes after, whoever may run it can reopen it: it takes check-ins
again and is completed anew, and ``scheduling.session.reopened`` tells the
feedback service to withdraw the cards and links that have not answered
(answers already given stay, as the cards that gave them stay used). Past
that time the completion stands (409 CompletionNotUndoable, saying when the
time ran out): cards are printed and handed out by then.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from scheduler.errors import CompletionNotUndoable, SessionNotFound
from scheduler.sessions import access, repository, timing
from scheduler.sessions.models import InfoSession, SessionStatus
from scheduler.sessions.schemas import SessionPublic
from scheduler.sessions.service import PRODUCER, public_view
from scheduler.settings import SchedulerSettings
from scheduler.venues import repository as venues
from shared import outbox
from shared.auth import Principal
from shared.events import SessionReopened

__all__ = ["reopen"]


def reopen(db: Session, session_id: str, user: Principal, settings: SchedulerSettings) -> SessionPublic:
    """Undo the session's completion if ``user`` may run it and the undo time has not run out."""
    info = repository.lock(db, session_id)
    if info is None:
        raise SessionNotFound(f"No session with id {session_id}.")
    access.ensure_can_run(user, info, repository.ambassadors_of(db, info.id))
    venue = venues.get_venue(db, info.venue_id)
    assert venue is not None
    _ensure_undoable(info, venue.timezone, settings)
    info.status, info.completed_at = SessionStatus.PUBLISHED, None
    db.add(info)
    db.flush()
    outbox.record(db, SessionReopened(session_id=info.id), producer=PRODUCER)
    return public_view(db, info, venue.timezone, settings)


def _ensure_undoable(info: InfoSession, timezone: str, settings: SchedulerSettings) -> None:
    if info.status != SessionStatus.COMPLETED:
        raise CompletionNotUndoable(f"This session is {info.status}; only a completed session can be reopened.")
    window = timedelta(minutes=settings.completion_undo_minutes)
    if info.completed_at is None or settings.clock.now() > timing.utc(info.completed_at) + window:
        since = f" at {timing.on_the_venue_clock(info.completed_at, timezone)}" if info.completed_at else ""
        raise CompletionNotUndoable(
            f"This session was completed{since}; a completion can be undone for "
            f"{settings.completion_undo_minutes} minutes after it, and that time has passed."
        )
