"""Rules for reports: who may see which, when they are released, what is pooled.

- A session's report is released only after its feedback window closes, so
  the moment one answer arrived tells nothing.
- Provider staff see their own provider's sessions only; coordinators all.
- A provider's report over a period pools only released sessions that each
  have enough answers on their own: otherwise two overlapping periods could
  be subtracted to isolate a small session.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from feedback.errors import ReportNotReady, SessionUnknown
from feedback.reports import repository
from feedback.reports.aggregate import Tally, summarise_tally, total
from feedback.settings import FeedbackSettings
from feedback.tokens.models import FeedbackSession
from shared.auth import Forbidden, Principal
from shared.events import utcnow

__all__ = ["session_report", "provider_report", "window_closes", "matches"]


def window_closes(session: FeedbackSession, settings: FeedbackSettings) -> datetime:
    assert session.completed_at is not None
    return session.completed_at + timedelta(days=settings.feedback_token_days)


def _may_see(principal: Principal, provider_id: str | None) -> None:
    if principal.is_coordinator:
        return
    if principal.role != "provider_staff" or principal.provider_id != provider_id:
        raise Forbidden("Only a coordinator, or staff of the provider that co-ran the session, may see this report.")


def session_report(db: Session, session_id: str, principal: Principal, settings: FeedbackSettings) -> dict[str, Any]:
    session = db.get(FeedbackSession, session_id)
    if session is None or session.completed_at is None:
        raise SessionUnknown(f"No completed session {session_id} has feedback here.")
    _may_see(principal, session.provider_id)
    closes = window_closes(session, settings)
    if closes > utcnow():
        raise ReportNotReady(
            f"Feedback for this session is open until {closes:%d-%m-%Y %H:%M} UTC; the report is released then."
        )
    summary = summarise_tally(repository.tallies(db, [session_id])[session_id], settings.min_group_size)
    comments = repository.released_comments(db, session_id) if summary["responses"] is not None else []
    return {
        "session_id": session_id,
        "public_title": session.public_title,
        "provider_id": session.provider_id,
        "attendance": session.attendance,
        **summary,
        "comments": comments,
    }


def matches(session: FeedbackSession, language: str | None = None, audience: str | None = None) -> bool:
    """Whether a session falls in a report's filter: held in ``language`` (``fa`` also finds
    ``fa-AF``) and for ``audience``; None (or empty) filters nothing."""
    if audience and session.audience != audience:
        return False
    if language:
        wanted = language.casefold()
        return any(code.casefold() == wanted or code.casefold().startswith(wanted + "-") for code in session.languages)
    return True


def provider_report(
    db: Session,
    provider_id: str,
    start: datetime,
    end: datetime,
    principal: Principal,
    settings: FeedbackSettings,
    *,
    language: str | None = None,
    audience: str | None = None,
) -> dict[str, Any]:
    """A provider's sessions completed in [start, end), optionally only those held in ``language``
    or for ``audience``. A filter only chooses whole sessions, each pooled only when it has enough
    answers on its own, so every figure is suppressed exactly as in the unfiltered report."""
    _may_see(principal, provider_id)
    k = settings.min_group_size
    now = utcnow()
    released = [
        s
        for s in repository.provider_sessions(db, provider_id, start, end)
        if window_closes(s, settings) <= now and matches(s, language, audience)
    ]
    tallies = repository.tallies(db, [s.session_id for s in released])
    pooled = [s for s in released if tallies[s.session_id].responses >= k]
    return {
        "provider_id": provider_id,
        "from": start,
        "to": end,
        # the filters, when given (a None here would read as a withheld figure in the CSV)
        **({"language": language} if language else {}),
        **({"audience": audience} if audience else {}),
        "sessions": len(pooled),
        "sessions_with_too_few_answers": len(released) - len(pooled),
        **summarise_tally(total(tallies[s.session_id] for s in pooled), k),
        "by_audience": _groups(pooled, tallies, lambda s: [s.audience], k),
        "by_language": _groups(pooled, tallies, lambda s: s.languages, k),
    }


def _groups(
    sessions: list[FeedbackSession],
    tallies: dict[str, Tally],
    keys: Callable[[FeedbackSession], list[str]],
    k: int,
) -> dict[str, Any]:
    """Pooled by audience or language; one withheld group takes the next smallest with it."""
    grouped: dict[str, Tally] = {}
    for session in sessions:
        for key in keys(session):
            grouped[key] = grouped.get(key, Tally()) + tallies[session.session_id]
    small = {key for key, counted in grouped.items() if counted.responses < k}
    if len(small) == 1 and len(grouped) > 1:
        small.add(min((counted.responses, key) for key, counted in grouped.items() if key not in small)[1])
    return {
        key: summarise_tally(counted if key not in small else Tally(), k) for key, counted in sorted(grouped.items())
    }
