"""Queries on bookings."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from scheduler.bookings.models import Booking, BookingStatus
from shared.events import utcnow

__all__ = ["count_by_status", "get", "get_active", "mark_checked_in", "attended_codes", "code_taken"]


def count_by_status(db: Session, session_id: str) -> dict[str, int]:
    query = select(Booking.status, func.count()).where(Booking.session_id == session_id).group_by(col(Booking.status))
    return {status: count for status, count in db.exec(query).all()}


def get(db: Session, code: str) -> Booking | None:
    return db.get(Booking, code)


def code_taken(db: Session, code: str) -> bool:
    return db.get(Booking, code) is not None


def get_active(db: Session, session_id: str, code: str) -> Booking | None:
    booking = db.get(Booking, code)
    if booking is None or booking.session_id != session_id or booking.status == BookingStatus.CANCELLED:
        return None
    return booking


def mark_checked_in(db: Session, booking: Booking) -> None:
    booking.checked_in_at = utcnow()
    db.add(booking)
    db.flush()


def attended_codes(db: Session, session_id: str) -> list[str]:
    query = (
        select(Booking.code)
        .where(Booking.session_id == session_id, col(Booking.checked_in_at).is_not(None))
        .order_by(col(Booking.code))
    )
    return list(db.exec(query).all())
