"""Every stored time is an aware UTC time when read back, on SQLite and PostgreSQL (shared/tables.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from importlib import import_module

import pytest
from sqlalchemy import Column, DateTime, Engine, TypeDecorator
from sqlmodel import Session, SQLModel, UTCDateTime, select

from shared import migrate
from shared.tables import OutboxMessage

SERVICES = ["scheduler", "notifier", "feedback"]


def _holds_times(column: Column[object]) -> bool:
    """A ``DateTime`` column, plain or decorated (as UTCDateTime is)."""
    kind = column.type
    return isinstance(kind.impl if isinstance(kind, TypeDecorator) else kind, DateTime)


def test_every_time_column_is_stored_as_utc() -> None:
    for service in SERVICES:
        import_module(f"{service}.models")
    times = [c for t in SQLModel.metadata.tables.values() for c in t.columns if _holds_times(c)]
    assert len(times) > 30, "the services' time columns were not all found"
    other = [f"{c.table.name}.{c.name}" for c in times if not isinstance(c.type, UTCDateTime)]
    assert other == [], f"give these columns the UTCDateTime type (a plain DateTime reads back naive): {other}"


@pytest.mark.parametrize("offset", [0, 2, -5])
def test_a_time_stored_with_any_offset_reads_back_as_the_same_moment_in_utc(engine: Engine, offset: int) -> None:
    migrate.upgrade(engine, "feedback")
    moment = datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=offset)))
    with Session(engine) as db:
        db.add(OutboxMessage(event_id=f"e{offset}", subject="s", body="b", correlation_id="c", created_at=moment))
        db.commit()
    with Session(engine) as db:
        read = db.exec(select(OutboxMessage).where(OutboxMessage.event_id == f"e{offset}")).one().created_at
    assert read == moment
    assert read.tzinfo is UTC
