"""Queries for the retention worker: what is past its time."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from notifier.deliveries.models import Delivery
from notifier.recipients.models import Recipient, SessionCopy

__all__ = ["sessions_past", "orphans_past", "deliveries_of", "recipients_of"]


def sessions_past(db: Session, cutoff: datetime, limit: int) -> list[str]:
    """Sessions that ended at or before ``cutoff`` and still hold what names their attendees."""
    query = (
        select(SessionCopy.session_id)
        .where(col(SessionCopy.purged_at).is_(None), col(SessionCopy.ends_at) <= cutoff)
        .order_by(col(SessionCopy.ends_at))
        .limit(limit)
    )
    return list(db.exec(query).all())


def orphans_past(db: Session, cutoff: datetime, limit: int) -> list[Recipient]:
    """Contacts received before ``cutoff`` for a session this notifier never heard of."""
    known = select(SessionCopy.session_id)
    query = (
        select(Recipient)
        .where(
            col(Recipient.sealed_contact).is_not(None),
            col(Recipient.created_at) <= cutoff,
            col(Recipient.session_id).not_in(known),
        )
        .limit(limit)
        .with_for_update()
    )
    return list(db.exec(query).all())


def recipients_of(db: Session, session_id: str) -> list[Recipient]:
    return list(db.exec(select(Recipient).where(Recipient.session_id == session_id).with_for_update()).all())


def deliveries_of(db: Session, *, session_id: str | None = None, booking_code: str | None = None) -> list[Delivery]:
    query = select(Delivery).where(Delivery.booking_code != "")
    if session_id is not None:
        query = query.where(Delivery.session_id == session_id)
    if booking_code is not None:
        query = query.where(Delivery.booking_code == booking_code)
    return list(db.exec(query.with_for_update()).all())
