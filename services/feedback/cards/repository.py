"""Queries for cards: which of a session's tokens are still unused."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from feedback.tokens.models import FeedbackToken

__all__ = ["unused_hashes"]


def unused_hashes(db: Session, session_id: str, now: datetime) -> set[str]:
    query = select(FeedbackToken.token_hash).where(
        FeedbackToken.session_id == session_id,
        col(FeedbackToken.used).is_(False),
        col(FeedbackToken.link).is_(False),
        col(FeedbackToken.expires_at) > now,
    )
    return set(db.exec(query).all())
