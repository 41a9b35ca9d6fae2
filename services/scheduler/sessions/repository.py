"""Queries on sessions and their ambassadors."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from scheduler.sessions.filters import PublicFilters, SessionFilters
from scheduler.sessions.models import InfoSession, SessionAmbassador, SessionStatus
from scheduler.venues.models import Venue
from shared.db import is_sqlite

__all__ = [
    "get",
    "lock",
    "upcoming_at_venue",
    "search",
    "public_cities",
    "public_languages",
    "ambassadors_of",
    "add_ambassadors",
    "first_overlapping",
]


def get(db: Session, session_id: str) -> InfoSession | None:
    return db.get(InfoSession, session_id)


def lock(db: Session, session_id: str) -> InfoSession | None:
    """The session row, locked until commit: seat counts taken after this are exact.

    SQLite is already serialised by BEGIN IMMEDIATE (shared.db); PostgreSQL
    needs the row lock.
    """
    query = select(InfoSession).where(InfoSession.id == session_id).execution_options(populate_existing=True)
    if not is_sqlite(db.get_bind()):
        query = query.with_for_update()
    return db.exec(query).first()


def upcoming_at_venue(db: Session, venue_id: str, after: datetime) -> list[InfoSession]:
    """The venue's published sessions starting after ``after``, locked until commit on PostgreSQL (as ``lock``)."""
    query = (
        select(InfoSession)
        .where(InfoSession.venue_id == venue_id, InfoSession.status == SessionStatus.PUBLISHED)
        .where(col(InfoSession.starts_at) > after)
        .order_by(col(InfoSession.starts_at))
    )
    if not is_sqlite(db.get_bind()):
        query = query.with_for_update()
    return list(db.exec(query).all())


def count_ahead_for_provider(db: Session, provider_id: str, after: datetime) -> int:
    """How many published sessions the provider co-runs that start after ``after``."""
    query = select(func.count()).select_from(InfoSession).where(InfoSession.provider_id == provider_id)
    query = query.where(InfoSession.status == SessionStatus.PUBLISHED, col(InfoSession.starts_at) > after)
    return int(db.exec(query).one())


def search(
    db: Session,
    filters: PublicFilters,
    *,
    ambassador_id: str | None = None,
    provider_id: str | None = None,
    published_only: bool = False,
    public_only: bool = False,
    ends_after: datetime | None = None,
    offset: int = 0,
) -> list[InfoSession]:
    """Sessions matching ``filters`` by start time; only one ambassador's, or one provider's, when given;
    the first ``offset`` of them skipped (a page of the public agenda).

    Languages and topics are JSON lists; they are matched on their JSON text
    (``"ar"`` with its quotes, so ``ar`` never matches ``ary``), which reads the
    same on SQLite and PostgreSQL. Codes and ids are validated before they get here.
    """
    query = select(InfoSession)
    if ambassador_id is not None:
        query = query.join(SessionAmbassador).where(SessionAmbassador.user_id == ambassador_id)
    if provider_id is not None:
        query = query.where(InfoSession.provider_id == provider_id)
    if published_only:
        query = query.where(InfoSession.status == SessionStatus.PUBLISHED)
    if public_only:
        query = query.where(InfoSession.public == True)  # noqa: E712 - SQL, not Python
    if ends_after is not None:
        query = query.where(col(InfoSession.ends_at) > ends_after)
    if filters.language is not None:
        text = cast(col(InfoSession.languages), String)
        query = query.where(
            or_(
                text.contains(f'"{filters.language}"', autoescape=True),
                text.contains(f'"{filters.language}-', autoescape=True),
            )
        )
    if filters.city is not None:
        query = query.join(Venue, col(Venue.id) == col(InfoSession.venue_id))
        query = query.where(func.lower(Venue.city) == filters.city.strip().lower())
    if filters.since is not None:
        query = query.where(col(InfoSession.starts_at) >= filters.since)
    if filters.until is not None:
        query = query.where(col(InfoSession.starts_at) < filters.until)
    if isinstance(filters, SessionFilters):
        query = _staff_filters(query, filters)
    order = (col(InfoSession.starts_at), col(InfoSession.id))
    return list(db.exec(query.order_by(*order).offset(offset).limit(filters.limit)).all())


def _listed(ends_after: datetime) -> list[Any]:
    """What puts a session in the public listing: published, public, not ended."""
    return [
        InfoSession.status == SessionStatus.PUBLISHED,
        InfoSession.public == True,  # noqa: E712 - SQL, not Python
        col(InfoSession.ends_at) > ends_after,
    ]


def public_cities(db: Session, ends_after: datetime) -> list[str]:
    """The cities of the venues of the sessions the public listing shows (as the venues spell them)."""
    query = select(Venue.city).join(InfoSession, col(InfoSession.venue_id) == col(Venue.id)).where(*_listed(ends_after))
    return list(db.exec(query.distinct()).all())


def public_languages(db: Session, ends_after: datetime) -> list[list[str]]:
    """The languages of each session the public listing shows."""
    return [list(languages) for languages in db.exec(select(InfoSession.languages).where(*_listed(ends_after))).all()]


def _staff_filters(query: SelectOfScalar[InfoSession], filters: SessionFilters) -> SelectOfScalar[InfoSession]:
    if filters.audience is not None:
        query = query.where(InfoSession.audience == filters.audience)
    if filters.topic is not None:
        query = query.where(cast(col(InfoSession.topics), String).contains(f'"{filters.topic}"', autoescape=True))
    if filters.public is not None:
        query = query.where(InfoSession.public == filters.public)
    if filters.integration_phase is not None:
        query = query.where(InfoSession.integration_phase == filters.integration_phase)
    return query


def ambassadors_of(db: Session, session_id: str) -> list[str]:
    query = select(SessionAmbassador.user_id).where(SessionAmbassador.session_id == session_id)
    return list(db.exec(query.order_by(col(SessionAmbassador.user_id))).all())


def add_ambassadors(db: Session, session_id: str, user_ids: Iterable[str]) -> None:
    db.add_all([SessionAmbassador(session_id=session_id, user_id=user_id) for user_id in user_ids])
    db.flush()


def first_overlapping(
    db: Session,
    *,
    room_id: str,
    ambassador_ids: Iterable[str],
    starts_at: datetime,
    ends_at: datetime,
    exclude_id: str | None = None,
) -> InfoSession | None:
    """The earliest session that is not cancelled, in this room or with one of these
    ambassadors, and overlaps [starts_at, ends_at)."""
    busy = select(SessionAmbassador.session_id).where(col(SessionAmbassador.user_id).in_(list(ambassador_ids)))
    query = select(InfoSession).where(
        InfoSession.status != SessionStatus.CANCELLED,
        col(InfoSession.starts_at) < ends_at,
        col(InfoSession.ends_at) > starts_at,
        or_(col(InfoSession.room_id) == room_id, col(InfoSession.id).in_(busy)),
    )
    if exclude_id is not None:
        query = query.where(InfoSession.id != exclude_id)
    return db.exec(query.order_by(col(InfoSession.starts_at)).limit(1)).first()
