"""Rules for reports: who may see which, when they are released, what is pooled.

- A session's answers are released once, after its feedback window closes
  (``reports.release``), so the moment one answer arrived tells nothing.
  Every figure is worked out from those released noisy counts only.
- Provider staff see their own provider's sessions only; coordinators all.
  Ambassadors, who hold the cards, see no report here (the scheduler shows
  them figures pooled over several of their sessions).
- A provider's report over a period pools every released session: the
  noise is drawn once per session and kept, so two overlapping periods, or
  a report with and without a filter, subtract to noise, never to answers.
- "By language" counts each answer in its own language group, never a
  session's answers once per language it was held in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from feedback.errors import ReportNotReady, SessionUnknown
from feedback.reports import repository
from feedback.reports.aggregate import Tally, summarise_tally, total
from feedback.reports.release import release_closed, released_tally
from feedback.settings import FeedbackSettings
from feedback.tokens import window
from feedback.tokens.models import FeedbackSession
from shared.auth import Forbidden, Principal
from shared.events import utcnow
from shared.released import WITHHELD, suppress_partition

__all__ = ["session_report", "provider_report", "window_closes", "matches", "release_bodies"]


def window_closes(session: FeedbackSession, settings: FeedbackSettings) -> datetime:
    assert session.completed_at is not None
    return window.closes(session.completed_at, settings.feedback_token_days, session.timezone)


def _may_see(principal: Principal, provider_id: str | None) -> None:
    if principal.is_coordinator:
        return
    if principal.role != "provider_staff" or principal.provider_id != provider_id:
        raise Forbidden("Only a coordinator, or staff of the provider that co-ran the session, may see this report.")


def release_bodies(
    db: Session, engine: Engine, session_ids: list[str], settings: FeedbackSettings
) -> dict[str, Mapping[str, Any]]:
    """session id → its release's body; closed sessions not released yet are released now (in a
    transaction of their own: a report request otherwise only reads)."""
    found: dict[str, Mapping[str, Any]] = {sid: row.body for sid, row in repository.releases(db, session_ids).items()}
    missing = [sid for sid in session_ids if sid not in found]
    if missing:
        found.update(release_closed(engine, missing, settings))
    return found


def session_report(
    db: Session, engine: Engine, session_id: str, principal: Principal, settings: FeedbackSettings
) -> dict[str, Any]:
    session = db.get(FeedbackSession, session_id)
    if session is None or session.completed_at is None:
        raise SessionUnknown(f"No completed session {session_id} has feedback here.")
    _may_see(principal, session.provider_id)
    closes = window_closes(session, settings)
    if closes > utcnow():
        raise ReportNotReady(
            f"Feedback for this session is open until {closes:%d-%m-%Y %H:%M} UTC; the report is released then."
        )
    body = release_bodies(db, engine, [session_id], settings)[session_id]
    summary = summarise_tally(released_tally(body), settings.min_group_size)
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
        wanted = language.split("-")[0].casefold()
        return any(code.split("-")[0].casefold() == wanted for code in session.languages)
    return True


def provider_report(
    db: Session,
    engine: Engine,
    provider_id: str,
    start: datetime,
    end: datetime,
    principal: Principal,
    settings: FeedbackSettings,
    *,
    language: str | None = None,
    audience: str | None = None,
) -> dict[str, Any]:
    """A provider's released sessions completed in [start, end), optionally only those held in
    ``language`` (and of them only the answers in that language group) or for ``audience``.

    A language's figures are shown only when that group is shown in the unfiltered report's "by
    language" too: else the filtered report would be the difference the small-group rule withheld."""
    _may_see(principal, provider_id)
    k = settings.min_group_size
    now = utcnow()
    period = [
        s
        for s in repository.provider_sessions(db, provider_id, start, end)
        if window_closes(s, settings) <= now and matches(s, None, audience)
    ]
    released = [s for s in period if matches(s, language)]
    bodies = release_bodies(db, engine, [s.session_id for s in period], settings)
    tallies = {s.session_id: released_tally(bodies[s.session_id], language) for s in released}
    pooled = total(tallies.values())
    if language and _groups(_by_language(bodies, None), k).get(_group(language), {}).get("responses") is None:
        pooled = Tally()  # withheld beside the other languages: shown alone, it would be their difference
    return {
        "provider_id": provider_id,
        "from": start,
        "to": end,
        # the filters, when given (a None here would read as a withheld figure in the CSV)
        **({"language": language} if language else {}),
        **({"audience": audience} if audience else {}),
        "sessions": len(released),
        **summarise_tally(pooled, k),
        "by_audience": _groups(_by_audience(released, tallies), k) if pooled.responses else {},
        "by_language": _groups(_by_language({s.session_id: bodies[s.session_id] for s in released}, language), k)
        if pooled.responses
        else {},
    }


def _group(language: str) -> str:
    return language.split("-")[0].casefold()


def _by_audience(sessions: list[FeedbackSession], tallies: Mapping[str, Tally]) -> dict[str, Tally]:
    grouped: dict[str, Tally] = {}
    for session in sessions:
        grouped[session.audience] = grouped.get(session.audience, Tally()) + tallies[session.session_id]
    return grouped


def _by_language(bodies: Mapping[str, Mapping[str, Any]], language: str | None) -> dict[str, Tally]:
    """Each answer in its own language group (``other``: not one of its session's languages)."""
    wanted = _group(language) if language else None
    grouped: dict[str, Tally] = {}
    for body in bodies.values():
        for group, counted in body["groups"].items():
            if wanted is None or group == wanted:
                grouped[group] = grouped.get(group, Tally()) + Tally.from_json(counted)
    return grouped


def _groups(grouped: Mapping[str, Tally], k: int) -> dict[str, Any]:
    """One summary per group; one withheld group takes the next smallest with it."""
    shown = suppress_partition({key: counted.responses for key, counted in grouped.items()}, k)
    return {
        key: summarise_tally(counted, k) if shown[key] is not None else {"responses": None, "withheld": WITHHELD}
        for key, counted in sorted(grouped.items())
    }
