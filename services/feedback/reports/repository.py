"""Queries for reports: answers of one session, or of a provider's sessions in a period."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from feedback.forms.models import FeedbackResponse
from feedback.tokens.models import FeedbackSession

__all__ = ["answers_of", "provider_sessions", "response_counts", "released_comments"]


def answers_of(db: Session, session_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """session id → the answers given for it (never the comments: those wait for a coordinator)."""
    found: dict[str, list[dict[str, Any]]] = {sid: [] for sid in session_ids}
    query = select(FeedbackResponse.session_id, FeedbackResponse.answers).where(
        col(FeedbackResponse.session_id).in_(session_ids)
    )
    for session_id, answers in db.exec(query).all():
        found[session_id].append(answers)
    return found


def provider_sessions(db: Session, provider_id: str, start: datetime, end: datetime) -> list[FeedbackSession]:
    query = (
        select(FeedbackSession)
        .where(FeedbackSession.provider_id == provider_id, col(FeedbackSession.completed_at).is_not(None))
        .where(col(FeedbackSession.completed_at) >= start, col(FeedbackSession.completed_at) < end)
        .order_by(col(FeedbackSession.completed_at))
    )
    return list(db.exec(query).all())


def response_counts(db: Session, session_ids: list[str]) -> dict[str, int]:
    query = (
        select(FeedbackResponse.session_id, func.count())
        .where(col(FeedbackResponse.session_id).in_(session_ids))
        .group_by(col(FeedbackResponse.session_id))
    )
    return {sid: n for sid, n in db.exec(query).all()}


def released_comments(db: Session, session_id: str) -> list[str]:
    """Comments a coordinator approved or redacted; pending ones are never shown."""
    query = select(FeedbackResponse.comment).where(
        FeedbackResponse.session_id == session_id, col(FeedbackResponse.comment_status).in_(["approved", "redacted"])
    )
    return sorted(text for text in db.exec(query).all() if text)
