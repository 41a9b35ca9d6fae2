"""Queries on the feedback summaries the scheduler keeps for each session."""

from __future__ import annotations

from sqlmodel import Session, col, select

from scheduler.feedback_summaries.models import SessionFeedback
from scheduler.sessions.models import SessionAmbassador

__all__ = ["of_ambassador"]


def of_ambassador(db: Session, user_id: str) -> list[SessionFeedback]:
    """The kept summaries of every session ``user_id`` is an ambassador on."""
    runs = select(SessionAmbassador.session_id).where(SessionAmbassador.user_id == user_id)
    query = select(SessionFeedback).where(col(SessionFeedback.session_id).in_(runs))
    return list(db.exec(query).all())
