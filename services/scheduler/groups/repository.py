"""Queries on group bookings."""

from __future__ import annotations

from typing import cast

from sqlalchemy import func
from sqlmodel import Session, col, select

from scheduler.groups.models import GroupBooking, GroupStatus

__all__ = ["add", "get", "of_session", "seats_taken", "present"]


def add(db: Session, group: GroupBooking) -> GroupBooking:
    db.add(group)
    db.flush()
    return group


def get(db: Session, group_id: str) -> GroupBooking | None:
    return db.get(GroupBooking, group_id)


def of_session(db: Session, session_id: str) -> list[GroupBooking]:
    query = select(GroupBooking).where(GroupBooking.session_id == session_id)
    return list(db.exec(query.order_by(col(GroupBooking.created_at), col(GroupBooking.id))).all())


def seats_taken(db: Session, session_id: str) -> int:
    """Seats held by the session's group bookings that are not cancelled."""
    query = select(func.coalesce(func.sum(GroupBooking.headcount), 0)).where(
        GroupBooking.session_id == session_id, GroupBooking.status == GroupStatus.CONFIRMED
    )
    return int(db.exec(query).one())


def present(db: Session, session_id: str) -> int:
    """People counted in at the door with the session's group bookings."""
    query = select(func.coalesce(func.sum(GroupBooking.present), 0)).where(
        GroupBooking.session_id == session_id, GroupBooking.status == GroupStatus.CONFIRMED
    )
    # coalesce(..., 0) is never NULL; SQLAlchemy types it by its first argument, the sum of a nullable column
    return int(cast(int, db.exec(query).one()))
