"""The registration path's statements, written in SQLAlchemy Core.

Every registration runs these while it holds the session's lock (on SQLite,
the one write lock), so their cost is the booking throughput. Profiled
(cProfile on ``service.book``), the ORM's unit of work, identity map and
instance events cost several times the SQL itself on this path: loading the
whole session row to read two columns, one query per count, an insert
through a flush, and building and cache-keying each statement anew. Here
each step is one prepared SQL text with typed parameters, the same on SQLite
and PostgreSQL. Everything else about bookings keeps using the models.

Registrations queued together share one transaction (shared.unit_of_work), and
the lock and the counts hold until it commits, so they are read once per
transaction and session and then kept up to date (:func:`took_place`):
counting a session's bookings costs more the more it has (0.2 ms at 7,000).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal, TypedDict

from sqlalchemy import JSON, bindparam, text
from sqlmodel import Session, UTCDateTime

from scheduler.bookings.models import Booking, BookingStatus
from scheduler.groups.models import GroupBooking, GroupStatus
from scheduler.sessions import seats as rule
from scheduler.sessions.models import InfoSession
from shared.db import is_sqlite
from shared.events import Channel

__all__ = ["Seats", "NewBooking", "lock_seats", "took_place", "code_free", "insert_booking"]

_BOOKING: str = Booking.__tablename__  # type: ignore[assignment]  # typed declared_attr; Booking's is the generated str
_SESSION: str = InfoSession.__tablename__
_GROUP: str = GroupBooking.__tablename__

_HEAD = f"SELECT status, capacity, starts_at, booking_cutoff_minutes, venue_id FROM {_SESSION} WHERE id = :session_id"
# starts_at typed as the model's column (UTCDateTime), so it comes back aware, in UTC, on both databases
_LOCK_SQLITE = text(_HEAD).columns(starts_at=UTCDateTime())  # BEGIN IMMEDIATE (shared.db) serialises SQLite's writers
_LOCK_ROW = text(_HEAD + " FOR UPDATE").columns(starts_at=UTCDateTime())
_COUNTS = text(
    f"SELECT (SELECT count(*) FROM {_BOOKING} WHERE session_id = :session_id AND status = :confirmed), "
    f"(SELECT count(*) FROM {_BOOKING} WHERE session_id = :session_id AND status = :waitlisted), "
    f"(SELECT coalesce(sum(headcount), 0) FROM {_GROUP} WHERE session_id = :session_id AND status = :group_on)"
)
_CODE = text(f"SELECT 1 FROM {_BOOKING} WHERE code = :code")
_COLUMNS = (
    "code",
    "session_id",
    "status",
    "locale",
    "nickname",
    "sealed_contact",
    "channels",
    "feedback_consent",
    "manage_token_hash",
    "created_at",
)
_INSERT = text(
    f"INSERT INTO {_BOOKING} ({', '.join(_COLUMNS)}) VALUES ({', '.join(':' + c for c in _COLUMNS)})"
).bindparams(bindparam("channels", type_=JSON), bindparam("created_at", type_=UTCDateTime()))


@dataclass(frozen=True)
class Seats:
    """A session's state as a registration needs it, read under its lock."""

    status: str
    capacity: int
    #: registration closes then (sessions.timing.ensure_bookable)
    starts_at: datetime
    booking_cutoff_minutes: int
    venue_id: str
    confirmed: int
    waitlisted: int
    group_seats: int

    @property
    def full(self) -> bool:
        """No seat left by the seat rule (sessions.seats): a registration now joins the waitlist."""
        return rule.left(self.capacity, self.confirmed, self.group_seats) == 0


#: ``db.info`` key: seat counts read (and locked) earlier in this transaction, by session id.
_KNOWN = "brug.seats"


def lock_seats(db: Session, session_id: str) -> Seats | None:
    """The session locked until commit, and its seat counts; None if there is no such session."""
    known: dict[str, Seats] = db.info.setdefault(_KNOWN, {})
    if session_id in known:
        return known[session_id]  # locked and counted earlier in this transaction, kept by took_place
    lock = _LOCK_SQLITE if is_sqlite(db.get_bind()) else _LOCK_ROW
    found = db.execute(lock, {"session_id": session_id}).first()
    if found is None:
        return None
    counts = db.execute(
        _COUNTS,
        {
            "session_id": session_id,
            "confirmed": BookingStatus.CONFIRMED,
            "waitlisted": BookingStatus.WAITLISTED,
            "group_on": GroupStatus.CONFIRMED,
        },
    ).one()
    seats = known[session_id] = Seats(*found, *(int(n) for n in counts))
    return seats


def took_place(db: Session, session_id: str, seats: Seats) -> None:
    """Count the registration just written (a seat, or a waitlist place when ``seats`` was full) for the
    next one in this transaction. Call it only once every write of that registration has succeeded."""
    taken = (
        replace(seats, waitlisted=seats.waitlisted + 1) if seats.full else replace(seats, confirmed=seats.confirmed + 1)
    )
    db.info[_KNOWN][session_id] = taken


def code_free(db: Session, code: str) -> bool:
    return db.execute(_CODE, {"code": code}).first() is None


class NewBooking(TypedDict):
    """A registration's row, as :func:`insert_booking` writes it."""

    code: str
    session_id: str
    status: Literal[BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]
    locale: str
    nickname: str | None
    sealed_contact: str | None
    channels: list[Channel]
    feedback_consent: bool
    manage_token_hash: str
    created_at: datetime


def insert_booking(db: Session, values: Mapping[str, object]) -> None:
    """One row, written now (not at the next flush), so the outbox row after it follows it."""
    db.execute(_INSERT, {name: values[name] for name in _COLUMNS})
