"""Queries for forms: find a card or a session link, redeem atomically, read the mixing pool."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, update
from sqlmodel import Session, col, select

from feedback.forms.models import FeedbackResponse, PooledAnswer
from feedback.tokens.models import FeedbackSession, FeedbackToken
from shared.db import is_sqlite

__all__ = [
    "card",
    "session_by_link",
    "lock_session",
    "redeem_card",
    "used_cards",
    "count_link_answer",
    "pooled",
    "unpool",
    "add_answers",
    "spend_sealed_card",
    "sealed_cards",
]


def card(db: Session, token_hash: str) -> FeedbackToken | None:
    return db.get(FeedbackToken, token_hash)


def session_by_link(db: Session, link_hash: str) -> FeedbackSession | None:
    return db.exec(select(FeedbackSession).where(FeedbackSession.link_hash == link_hash)).first()


def lock_session(db: Session, session_id: str) -> FeedbackSession | None:
    """The session row, locked until commit, so card and link answers are counted exactly.

    SQLite is serialised already by BEGIN IMMEDIATE (shared.db).
    """
    query = select(FeedbackSession).where(FeedbackSession.session_id == session_id)
    if not is_sqlite(db.get_bind()):
        # populate_existing: the row may be in the session already, read before the lock.
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.exec(query).first()


def redeem_card(db: Session, token_hash: str, now: datetime) -> bool:
    """Mark a card used; False when it was used (or expired) already."""
    result = db.exec(
        update(FeedbackToken)
        .where(col(FeedbackToken.token_hash) == token_hash, col(FeedbackToken.used).is_(False))
        .where(col(FeedbackToken.expires_at) > now)
        .values(used=True)
    )
    return result.rowcount == 1


def used_cards(db: Session, session_id: str) -> int:
    """Printed cards used (personal links are counted with the session's link answers)."""
    query = select(func.count()).where(
        FeedbackToken.session_id == session_id, col(FeedbackToken.used).is_(True), col(FeedbackToken.link).is_(False)
    )
    return int(db.exec(query).one())


def count_link_answer(db: Session, session: FeedbackSession) -> None:
    session.link_answers += 1
    db.add(session)


def pooled(db: Session, session_id: str) -> list[PooledAnswer]:
    return list(db.exec(select(PooledAnswer).where(PooledAnswer.session_id == session_id)).all())


def spend_sealed_card(db: Session, token_hash: str) -> bool:
    """Mark a card's sealed questionnaire answered; False when it was already."""
    result = db.exec(
        update(FeedbackToken)
        .where(col(FeedbackToken.token_hash) == token_hash, col(FeedbackToken.sealed_used).is_(False))
        .values(sealed_used=True)
    )
    return result.rowcount == 1


def sealed_cards(db: Session, session_id: str) -> int:
    query = select(func.count()).where(
        FeedbackToken.session_id == session_id,
        col(FeedbackToken.sealed_used).is_(True),
        col(FeedbackToken.link).is_(False),
    )
    return int(db.exec(query).one())


def unpool(db: Session, ids: list[str]) -> None:
    """Take these entries out of the mixing pool (they were just stored)."""
    db.exec(delete(PooledAnswer).where(col(PooledAnswer.id).in_(ids)))


def add_answers(db: Session, rows: list[dict[str, Any]]) -> None:
    """Store a mixed batch of form answers, rows in the order given."""
    db.exec(insert(FeedbackResponse), params=rows)
