"""Queries for sealed questionnaires: a provider's newest one, the envelopes stored for one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from feedback.sealed.models import Questionnaire, SealedAnswer

__all__ = ["latest_for_provider", "envelopes", "add_envelopes"]


def latest_for_provider(db: Session, provider_id: str) -> Questionnaire | None:
    query = (
        select(Questionnaire)
        .where(Questionnaire.provider_id == provider_id)
        .order_by(col(Questionnaire.created_at).desc(), col(Questionnaire.id))
    )
    return db.exec(query).first()


def envelopes(db: Session, questionnaire_id: str) -> list[SealedAnswer]:
    """The questionnaire's stored envelopes, by day, then by their random id."""
    return list(
        db.exec(
            select(SealedAnswer)
            .where(SealedAnswer.questionnaire_id == questionnaire_id)
            .order_by(col(SealedAnswer.submitted_on), col(SealedAnswer.id))
        ).all()
    )


def add_envelopes(db: Session, rows: list[dict[str, Any]]) -> None:
    """Store a mixed batch of envelopes, rows in the order given."""
    db.exec(insert(SealedAnswer), params=rows)
