"""Queries on opt-outs."""

from __future__ import annotations

from sqlmodel import Session

from notifier.optouts.models import OptOut

__all__ = ["get", "add", "remove"]


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
