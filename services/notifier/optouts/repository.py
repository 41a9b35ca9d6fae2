"""Queries on opt-outs."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from notifier.optouts.models import OptOut

__all__ = ["get", "add", "remove", "opt_out_count"]


def get(db: Session, number_hash: str) -> OptOut | None:
    return db.get(OptOut, number_hash)


def add(db: Session, number_hash: str) -> None:
    if db.get(OptOut, number_hash) is None:
        db.add(OptOut(number_hash=number_hash))
        db.flush()


def remove(db: Session, number_hash: str) -> None:
    row = db.get(OptOut, number_hash)
    if row is not None:
        db.delete(row)
        db.flush()


def opt_out_count(db: Session) -> int:
    """How many numbers asked not to be texted (only their keyed hashes are kept)."""
    return int(db.exec(select(func.count()).select_from(OptOut)).one())
