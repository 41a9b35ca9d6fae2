"""Queries on the texts counted against each number's caps."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, text
from sqlmodel import Session, col, select

from notifier.recipients.models import SessionCopy
from notifier.textcaps.models import SmsText
from shared.db import is_sqlite

__all__ = ["lock_number", "counted", "count", "add", "forget"]

#: an arbitrary constant naming the advisory locks of the numbers' caps (two-key form: its own key space).
_NUMBER_LOCKS = 727_002


def lock_number(db: Session, number_hash: str) -> None:
    """Hold this number's caps until the transaction ends, against every notifier (PostgreSQL).

    Keyed by 32 bits of the hash: two numbers that share them only take turns. SQLite lets one
    transaction write at a time (BEGIN IMMEDIATE) and needs nothing more.
    """
    if not is_sqlite(db.get_bind()):
        key = int(number_hash[:8], 16) - 2**31
        statement = text("SELECT pg_advisory_xact_lock(:space, :key)").bindparams(space=_NUMBER_LOCKS, key=key)
        db.execute(statement)


def counted(db: Session, delivery_id: str) -> bool:
    return db.get(SmsText, delivery_id) is not None


def count(db: Session, number_hash: str, *, since: datetime | None = None, session_id: str | None = None) -> int:
    """Texts counted for the number, since ``since`` or about ``session_id``."""
    query = select(func.count()).select_from(SmsText).where(SmsText.number_hash == number_hash)
    if since is not None:
        query = query.where(col(SmsText.sent_at) >= since)
    if session_id is not None:
        query = query.where(SmsText.session_id == session_id)
    return int(db.exec(query).one())


def add(db: Session, *, delivery_id: str, number_hash: str, session_id: str, sent_at: datetime) -> None:
    db.add(SmsText(delivery_id=delivery_id, number_hash=number_hash, session_id=session_id, sent_at=sent_at))


def forget(db: Session, before: datetime) -> int:
    """Delete texts sent before ``before`` whose session's retention has run; how many."""
    kept = select(SessionCopy.session_id).where(col(SessionCopy.purged_at).is_(None))
    query = delete(SmsText).where(col(SmsText.sent_at) < before, col(SmsText.session_id).not_in(kept))
    return int(db.exec(query.execution_options(synchronize_session=False)).rowcount)
