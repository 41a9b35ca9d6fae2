"""Queries on deliveries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from notifier.deliveries.models import Delivery, DeliveryStatus
from shared.db import is_sqlite

__all__ = ["by_key", "by_gateway_ref", "due"]


def by_key(db: Session, idempotency_key: str) -> Delivery | None:
    return db.exec(select(Delivery).where(Delivery.idempotency_key == idempotency_key)).first()


def by_gateway_ref(db: Session, gateway: str, ref: str) -> Delivery | None:
    """The delivery ``gateway`` knows as ``ref``, locked for the update that follows (PostgreSQL)."""
    query = select(Delivery).where(Delivery.gateway == gateway, Delivery.gateway_ref == ref).with_for_update()
    return db.exec(query).first()


def due(db: Session, now: datetime, stale_before: datetime, limit: int) -> list[Delivery]:
    """Pending deliveries that are due, and claims abandoned by a process that died.

    Locked with SKIP LOCKED on PostgreSQL so two notifiers never claim the same
    row; SQLite's BEGIN IMMEDIATE already lets only one claim at a time.
    """
    query = (
        select(Delivery)
        .where(
            or_(
                and_(Delivery.status == DeliveryStatus.PENDING, col(Delivery.due_at) <= now),
                and_(Delivery.status == DeliveryStatus.SENDING, col(Delivery.claimed_at) < stale_before),
            )
        )
        .order_by(col(Delivery.due_at))
        .limit(limit)
    )
    if not is_sqlite(db.get_bind()):  # type: ignore[arg-type]
        query = query.with_for_update(skip_locked=True)
    return list(db.exec(query).all())
