"""Tables every service has in its own database: outbox, inbox and dead letters.

Their schema is created by the ``shared`` branch of the Alembic migrations
(shared/migrations/versions), which every service applies beside its own.

Times: every ``datetime`` field of a table, here and in the services'
models, is stored through SQLModel's ``UTCDateTime`` column type (chosen for
the annotation; ``TIMESTAMP WITH TIME ZONE`` on PostgreSQL, naive UTC text
on SQLite): it refuses a naive time and hands back an aware one in UTC on
both databases, so no caller re-attaches a zone (tests/shared/test_utc_columns.py).
A raw ``text()`` statement reading or writing a time names that type too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from shared.events import utcnow

__all__ = ["OutboxMessage", "InboxMessage", "DeadLetter", "SHARED_TABLES"]


class OutboxMessage(SQLModel, table=True):
    """An event written in the same transaction as the change it reports."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "sent_at", "seq"),)

    seq: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=64, unique=True)
    subject: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    correlation_id: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None


class InboxMessage(SQLModel, table=True):
    """An event this service has applied; recorded with its effects, so a redelivery is skipped."""

    __tablename__ = "inbox"

    event_id: str = Field(primary_key=True, max_length=64)
    consumer: str = Field(max_length=100)
    subject: str = Field(max_length=200)
    processed_at: datetime = Field(default_factory=utcnow)


class DeadLetter(SQLModel, table=True):
    """A message this service gave up on, with the reason, for coordinators to see and replay
    (shared.dead_letters)."""

    __tablename__ = "dead_letter"

    id: int | None = Field(default=None, primary_key=True)
    consumer: str = Field(max_length=100)
    stream: str = Field(max_length=100)
    stream_seq: int
    subject: str = Field(max_length=200)
    event_id: str | None = Field(default=None, max_length=64)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    #: the message as it came, kept only when it was an event (so it can be replayed), and dropped once
    #: replayed: keep less. Unreadable bytes are not kept (the DEADLETTER stream has them for a while).
    body: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    replayed_at: datetime | None = None


SHARED_TABLES = ("outbox", "inbox", "dead_letter")
