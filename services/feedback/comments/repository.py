"""Queries for comments: the answers whose comment waits for, or had, a coordinator's decision."""

from __future__ import annotations

from sqlmodel import Session, col, select

from feedback.forms.models import FeedbackResponse

__all__ = ["with_status", "get"]


def with_status(db: Session, status: str) -> list[FeedbackResponse]:
    """Answers whose comment has this status, by session."""
    return list(
        db.exec(
            select(FeedbackResponse)
            .where(FeedbackResponse.comment_status == status)
            .order_by(col(FeedbackResponse.session_id))
        ).all()
    )


def get(db: Session, comment_id: str) -> FeedbackResponse | None:
    return db.get(FeedbackResponse, comment_id)
