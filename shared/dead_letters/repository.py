"""Queries on this service's ``dead_letter`` table: a page of letters, one locked for its replay."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from shared.tables import DeadLetter

__all__ = ["page", "newer_exists", "locked", "naming_booking", "delete_created_before"]


def page(db: Session, *, before: int | None, limit: int) -> list[DeadLetter]:
    """Up to ``limit`` + 1 letters, newest first, older than id ``before`` (the extra one says more follow)."""
    query = select(DeadLetter)
    if before is not None:
        query = query.where(col(DeadLetter.id) < before)
    return list(db.exec(query.order_by(col(DeadLetter.id).desc()).limit(limit + 1)).all())


def newer_exists(db: Session, letter_id: int) -> bool:
    return db.exec(select(DeadLetter.id).where(col(DeadLetter.id) > letter_id).limit(1)).first() is not None


def locked(db: Session, letter_id: int) -> DeadLetter | None:
    """The letter, locked for this transaction on PostgreSQL (two replays at once wait for each other)."""
    return db.exec(select(DeadLetter).where(DeadLetter.id == letter_id).with_for_update()).first()


def naming_booking(db: Session, code: str) -> list[DeadLetter]:
    """Letters whose kept event mentions booking ``code`` (the caller checks the payload)."""
    marker = f'"booking_code":"{code}"'
    return list(db.exec(select(DeadLetter).where(col(DeadLetter.body).contains(marker, autoescape=True))).all())


def delete_created_before(db: Session, cutoff: datetime) -> int:
    """Delete the letters that arrived before ``cutoff``; how many."""
    result = db.exec(delete(DeadLetter).where(col(DeadLetter.created_at) < cutoff))
    return int(result.rowcount or 0)
