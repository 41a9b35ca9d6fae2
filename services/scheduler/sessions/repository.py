"""Queries on sessions and their ambassadors."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from scheduler.sessions.models import InfoSession, SessionAmbassador, SessionStatus
from shared.db import is_sqlite

__all__ = ["get", "lock", "list_upcoming", "ambassadors_of", "add_ambassadors", "first_overlapping"]


def get(db: Session, session_id: str) -> InfoSession | None:
    return db.get(InfoSession, session_id)


def lock(db: Session, session_id: str) -> InfoSession | None:
    """The session row, locked until commit: seat counts taken after this are exact.

    SQLite is already serialised by BEGIN IMMEDIATE (shared.db); PostgreSQL
    needs the row lock.
    """
    query = select(InfoSession).where(InfoSession.id == session_id).execution_options(populate_existing=True)
    if not is_sqlite(db.get_bind()):  # type: ignore[arg-type]
        query = query.with_for_update()
    return db.exec(query).first()


def list_upcoming(
    db: Session, *, ambassador_id: str | None = None, provider_id: str | None = None, limit: int = 200
) -> list[InfoSession]:
    """Sessions by start time; only one ambassador's, or one provider's, when given."""
    query = select(InfoSession)
    if ambassador_id is not None:
        query = query.join(SessionAmbassador).where(SessionAmbassador.user_id == ambassador_id)
    if provider_id is not None:
        query = query.where(InfoSession.provider_id == provider_id)
    return list(db.exec(query.order_by(col(InfoSession.starts_at)).limit(limit)).all())


def ambassadors_of(db: Session, session_id: str) -> list[str]:
    query = select(SessionAmbassador.user_id).where(SessionAmbassador.session_id == session_id)
    return list(db.exec(query.order_by(col(SessionAmbassador.user_id))).all())


def add_ambassadors(db: Session, session_id: str, user_ids: Iterable[str]) -> None:
    db.add_all([SessionAmbassador(session_id=session_id, user_id=user_id) for user_id in user_ids])
    db.flush()


def first_overlapping(
    db: Session,
    *,
    room_id: str,
    ambassador_ids: Iterable[str],
    starts_at: datetime,
    ends_at: datetime,
    exclude_id: str | None = None,
) -> InfoSession | None:
    """The earliest session that is not cancelled, in this room or with one of these
    ambassadors, and overlaps [starts_at, ends_at)."""
    busy = select(SessionAmbassador.session_id).where(col(SessionAmbassador.user_id).in_(list(ambassador_ids)))
    query = select(InfoSession).where(
        InfoSession.status != SessionStatus.CANCELLED,
        col(InfoSession.starts_at) < ends_at,
        col(InfoSession.ends_at) > starts_at,
        or_(col(InfoSession.room_id) == room_id, col(InfoSession.id).in_(busy)),
    )
    if exclude_id is not None:
        query = query.where(InfoSession.id != exclude_id)
    return db.exec(query.order_by(col(InfoSession.starts_at)).limit(1)).first()
