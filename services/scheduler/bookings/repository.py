"""Queries on bookings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, func, or_
from sqlmodel import Session, col, select

from scheduler.bookings.models import Booking, BookingStatus, IdempotentReply, SpentChallenge
from shared.events import utcnow

__all__ = [
    "count_by_status",
    "get",
    "get_fresh",
    "get_active",
    "mark_checked_in",
    "attended_codes",
    "expected",
    "first_waitlisted",
    "waitlist_position",
    "registrations_since",
    "spend",
    "forget_spent",
    "forget_replies",
]


def count_by_status(db: Session, session_id: str) -> dict[str, int]:
    query = select(Booking.status, func.count()).where(Booking.session_id == session_id).group_by(col(Booking.status))
    return {status: count for status, count in db.exec(query).all()}


def get(db: Session, code: str) -> Booking | None:
    return db.get(Booking, code)


def get_fresh(db: Session, code: str) -> Booking | None:
    """The booking as the database has it now (read again under the session lock)."""
    query = select(Booking).where(Booking.code == code).execution_options(populate_existing=True)
    return db.exec(query).first()


def first_waitlisted(db: Session, session_id: str) -> Booking | None:
    """The booking longest on the waitlist: first come, first promoted."""
    query = (
        select(Booking)
        .where(Booking.session_id == session_id, Booking.status == BookingStatus.WAITLISTED)
        .order_by(col(Booking.created_at), col(Booking.code))
        .limit(1)
    )
    return db.exec(query).first()


def waitlist_position(db: Session, booking: Booking) -> int | None:
    """1 for the next in line; None when the booking is not waiting. Moves up as others leave."""
    if booking.status != BookingStatus.WAITLISTED:
        return None
    ahead = select(func.count()).where(
        Booking.session_id == booking.session_id,
        Booking.status == BookingStatus.WAITLISTED,
        or_(
            col(Booking.created_at) < booking.created_at,
            and_(col(Booking.created_at) == booking.created_at, col(Booking.code) < booking.code),
        ),
    )
    return int(db.exec(ahead).one()) + 1


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


def expected(db: Session, session_id: str) -> list[Booking]:
    """The bookings with a place, for the door's list: by nickname (those without one last), then code."""
    query = (
        select(Booking)
        .where(Booking.session_id == session_id, Booking.status == BookingStatus.CONFIRMED)
        .order_by(col(Booking.nickname).is_(None), func.lower(col(Booking.nickname)), col(Booking.code))
    )
    return list(db.exec(query).all())


def registrations_since(db: Session, session_id: str, since: datetime) -> int:
    """Registrations for the session made after ``since``, cancelled ones too (scheduler.bookings.challenge)."""
    query = select(func.count()).where(Booking.session_id == session_id, col(Booking.created_at) > since)
    return int(db.exec(query).one())


def spend(db: Session, session_id: str, challenge_hash: str, expires_at: datetime) -> bool:
    """Mark a challenge used; False if it already was. Call it with the session locked."""
    if db.get(SpentChallenge, challenge_hash) is not None:
        return False
    db.add(SpentChallenge(challenge_hash=challenge_hash, session_id=session_id, expires_at=expires_at))
    db.flush()
    return True


def forget_spent(db: Session, session_id: str, now: datetime) -> None:
    """Drop the session's spent challenges that have expired (an expired one is refused anyway)."""
    db.exec(
        delete(SpentChallenge).where(
            col(SpentChallenge.session_id) == session_id, col(SpentChallenge.expires_at) <= now
        )
    )


def forget_replies(db: Session, session_id: str, now: datetime) -> None:
    """Drop the session's kept idempotent replies that have expired (bookings.idempotency)."""
    db.exec(
        delete(IdempotentReply).where(
            col(IdempotentReply.session_id) == session_id, col(IdempotentReply.expires_at) <= now
        )
    )
