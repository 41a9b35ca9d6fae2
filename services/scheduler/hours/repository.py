"""Queries on ambassadors' hours."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from scheduler.hours.models import HoursEntry
from scheduler.sessions.models import InfoSession, SessionAmbassador, SessionStatus
from scheduler.venues.models import Venue

__all__ = ["add", "entries", "has_session_entry", "venue_timezone", "sessions_starting"]


def add(db: Session, entry: HoursEntry) -> HoursEntry:
    db.add(entry)
    db.flush()
    return entry


def entries(
    db: Session, *, user_id: str | None, start: date | None = None, end: date | None = None
) -> list[HoursEntry]:
    """Entries by day, then by when they were logged; one ambassador's when given, within [start, end)."""
    query = select(HoursEntry)
    if user_id is not None:
        query = query.where(HoursEntry.user_id == user_id)
    if start is not None:
        query = query.where(col(HoursEntry.day) >= start)
    if end is not None:
        query = query.where(col(HoursEntry.day) < end)
    order = (col(HoursEntry.day), col(HoursEntry.created_at), col(HoursEntry.id))
    return list(db.exec(query.order_by(*order)).all())


def has_session_entry(db: Session, user_id: str, session_id: str) -> bool:
    query = select(HoursEntry.id).where(HoursEntry.user_id == user_id, HoursEntry.session_id == session_id)
    return db.exec(query).first() is not None


def venue_timezone(db: Session, venue_id: str) -> str:
    venue = db.get(Venue, venue_id)
    return venue.timezone if venue is not None else "Europe/Amsterdam"


def sessions_starting(db: Session, user_id: str, first: datetime, after: datetime) -> list[str]:
    """The ids of ``user_id``'s sessions starting in [first, after) that are not cancelled."""
    query = (
        select(InfoSession.id)
        .join(SessionAmbassador, col(SessionAmbassador.session_id) == col(InfoSession.id))
        .where(
            SessionAmbassador.user_id == user_id,
            InfoSession.status != SessionStatus.CANCELLED,
            col(InfoSession.starts_at) >= first,
            col(InfoSession.starts_at) < after,
        )
    )
    return list(db.exec(query).all())
