"""Queries on recipients: the bookings the notifier knows how to reach, and which key their contact is sealed to."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, or_, select

from notifier.recipients.models import Recipient

__all__ = ["of_session", "count_sealed_to", "count_not_sealed_to", "not_sealed_to"]


def of_session(db: Session, session_id: str) -> list[Recipient]:
    """Every recipient booked on the session, whatever their booking's status."""
    return list(db.exec(select(Recipient).where(Recipient.session_id == session_id)).all())


def count_sealed_to(db: Session, key: str) -> int:
    """Stored contacts sealed to ``key``."""
    query = select(func.count()).select_from(Recipient).where(Recipient.contact_key == key)
    return int(db.exec(query).one())


def count_not_sealed_to(db: Session, key: str, after: str = "") -> int:
    """Stored contacts not yet sealed to ``key`` (after booking code ``after``)."""
    query = select(func.count()).select_from(Recipient).where(*_not_on(key, after))
    return int(db.exec(query).one())


def not_sealed_to(db: Session, key: str, after: str, size: int) -> list[Recipient]:
    """The next ``size`` recipients after booking code ``after`` whose contact is not sealed to ``key``,
    locked until commit."""
    query = select(Recipient).where(*_not_on(key, after)).order_by(col(Recipient.booking_code)).limit(size)
    return list(db.exec(query.with_for_update()).all())


def _not_on(key: str, after: str) -> tuple[ColumnElement[bool], ...]:
    return (
        col(Recipient.sealed_contact).is_not(None),
        or_(col(Recipient.contact_key).is_(None), col(Recipient.contact_key) != key),
        col(Recipient.booking_code) > after,
    )
