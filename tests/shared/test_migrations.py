"""Each service's migrations build its schema on SQLite and PostgreSQL, and match its models."""

from __future__ import annotations

import sqlite3
import time
from importlib import import_module
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

from shared import migrate
from shared.db import make_engine
from shared.tables import SHARED_TABLES
from shared.unit_of_work import UnitOfWork

SERVICES = ["scheduler", "notifier", "feedback"]


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_create_exactly_the_service_tables_and_match_the_models(engine: Engine, service: str) -> None:
    migrate.upgrade(engine, service)
    migrate.upgrade(engine, service)  # a second start changes nothing
    owned = set(SHARED_TABLES) | set(import_module(f"{service}.models").TABLES)
    assert set(inspect(engine).get_table_names()) - {"alembic_version"} == owned
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_object": lambda obj, name, type_, *_: type_ != "table" or name in owned,
                "compare_type": True,
            },
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"{service}: models and migrations disagree; write a migration for {diff}"


def test_sqlite_runs_in_wal_mode_and_takes_the_write_lock_when_a_transaction_begins(tmp_path: Path) -> None:
    """BEGIN IMMEDIATE: a check-then-insert holds the lock from its first SELECT (no overselling)."""
    path = tmp_path / "sub" / "x.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    with UnitOfWork(engine) as db:
        db.exec(text("SELECT 1"))  # type: ignore[call-overload]
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    engine.dispose()


def test_a_read_only_unit_of_work_reads_while_another_holds_the_write_lock(tmp_path: Path) -> None:
    """GET requests read a snapshot and never queue behind a booking that holds the lock."""
    path = tmp_path / "x.db"
    engine = make_engine(f"sqlite:///{path}")
    with UnitOfWork(engine) as db:
        db.exec(text("CREATE TABLE t (x INTEGER)"))  # type: ignore[call-overload]
        db.exec(text("INSERT INTO t VALUES (1)"))  # type: ignore[call-overload]
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO t VALUES (2)")
    started = time.monotonic()
    with UnitOfWork(engine, read_only=True) as db:
        assert db.exec(text("SELECT count(*) FROM t")).one()[0] == 1  # type: ignore[call-overload]
    assert time.monotonic() - started < 5, "it waited for the write lock (busy timeout is 30 s)"
    writer.execute("COMMIT")
    writer.close()
    engine.dispose()
