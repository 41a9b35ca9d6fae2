"""Queries on sessions."""

from __future__ import annotations

from sqlmodel import Session, col, select

from scheduler.sessions.models import InfoSession
from shared.db import is_sqlite

__all__ = ["get", "lock", "list_upcoming"]


def get(db: Session, session_id: str) -> InfoSession | None:
    return db.get(InfoSession, session_id)


def lock(db: Session, session_id: str) -> InfoSession | None:
    """The session row, locked until commit: seat counts taken after this are exact.

    SQLite is already serialised by BEGIN IMMEDIATE (shared.db); PostgreSQL
    needs the row lock.
    """
    query = select(InfoSession).where(InfoSession.id == session_id)
    if not is_sqlite(db.get_bind()):  # type: ignore[arg-type]
        query = query.with_for_update()
    return db.exec(query).first()


def list_upcoming(db: Session, limit: int = 200) -> list[InfoSession]:
    query = select(InfoSession).order_by(col(InfoSession.starts_at)).limit(limit)
    return list(db.exec(query).all())
