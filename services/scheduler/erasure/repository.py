"""Queries for erasure: this service's outbox rows that may carry a booking's sealed contact."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from shared.tables import OutboxMessage

__all__ = ["outbox_rows_naming"]


def outbox_rows_naming(db: Session, subjects: Sequence[str], code: str) -> list[OutboxMessage]:
    """Outbox rows of ``subjects`` whose body mentions booking ``code`` (the caller checks the payload)."""
    marker = f'%"booking_code":"{code}"%'
    return list(
        db.exec(
            select(OutboxMessage).where(col(OutboxMessage.subject).in_(subjects), col(OutboxMessage.body).like(marker))
        ).all()
    )
