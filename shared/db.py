"""Database engines and sessions; transactions are opened by shared.unit_of_work.

SQLite is the default (one file per service under ``./var``), PostgreSQL the
production choice. Their differences live here and nowhere else:

- SQLite runs in WAL mode, and every transaction starts with ``BEGIN
  IMMEDIATE``: pysqlite's deferred transactions let a check-then-insert run
  its SELECT outside the write lock and oversell seats (measured in
  ../shared/MEASURED.md). ``timeout=30`` waits for the lock instead of
  failing with "database is locked".
- PostgreSQL uses psycopg 3; rows that guard an invariant are locked with
  :func:`for_update`, which is a no-op on SQLite (already serialised).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import structlog
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

__all__ = [
    "make_engine",
    "open_session",
    "is_sqlite",
    "ping",
    "normalise_url",
    "forget_on_commit",
    "EVENT_RECORDED",
]

log = structlog.get_logger("shared.db")

#: execution option that marks a connection's work as reading only (see _sqlite_engine).
READ_ONLY = "brug_read_only"
#: ``Session.info`` key: after this unit of work commits, empty SQLite's write-ahead log.
FORGET = "brug_forget_on_commit"
#: ``Session.info`` key: this unit of work recorded an event (shared.outbox.record); wake the relay after its commit.
EVENT_RECORDED = "brug_event_recorded"


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and pick the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def _wal(cursor: Any, attempts: int = 100) -> None:
    """Switch to WAL. On a new file, processes starting together (replicas) race for the switch,
    and SQLite answers the loser "database is locked" at once, without its busy timeout."""
    for attempt in range(attempts):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.05)


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30, "isolation_level": None})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=30000")
        _wal(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Erasure and retention delete rows; without this their bytes stay in the page's free space and
        # in free pages, readable in any copy of the file (issue 16, item 7). Cost: measured in the README.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()
        # SQLite's own lower() folds ASCII only, so "Één Vrouw" was not found by its name folded ("één
        # vrouw"): adding it twice was a 500, and "één vrouw" another provider. PostgreSQL folds it; so does this.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection: Any) -> None:
        # A read-only unit of work (GET requests, readiness) reads a WAL snapshot
        # without taking the write lock, so reads never queue behind writes.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite paths get their folder created."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def open_session(engine: Engine, *, read_only: bool = False) -> Session:
    """A session that begins its transaction at its first statement (BEGIN, or BEGIN IMMEDIATE
    unless ``read_only``); the caller commits or rolls back and closes it (shared.unit_of_work does)."""
    return Session(_read_only(engine) if read_only else engine, expire_on_commit=False)


_READ_ONLY_BINDS: WeakKeyDictionary[Engine, Engine] = WeakKeyDictionary()


def _read_only(engine: Engine) -> Engine:
    """The engine marked read-only, made once per engine (every GET request asks for it)."""
    bind = _READ_ONLY_BINDS.get(engine)
    if bind is None:
        bind = _READ_ONLY_BINDS[engine] = engine.execution_options(**{READ_ONLY: True})
    return bind


def ping(engine: Engine) -> None:
    """Raise if the database cannot answer a trivial query in a transaction that could write.

    On SQLite that takes the write lock: a service that cannot write cannot
    take bookings, so it is not ready.
    """
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def forget_on_commit(db: Session) -> None:
    """After ``db``'s unit of work commits, leave no earlier version of the rows it erased on disk.

    ``secure_delete`` zeroes a deleted or overwritten row in the database file, but SQLite's ``-wal``
    keeps the frames that once wrote it until a checkpoint resets the log: a copy of a running
    scheduler's folder still held an erased nickname (issue 16, item 7). Erasure and retention call
    this; the checkpoint copies the log into the file and truncates it. PostgreSQL keeps old row
    versions until VACUUM and its WAL until the segment is recycled: docs/THREAT_MODEL.md T20.
    """
    if is_sqlite(db.get_bind()):
        db.info[FORGET] = True


@event.listens_for(Session, "after_commit")
def _truncate_wal_if_asked(session: Session) -> None:
    if session.info.pop(FORGET, False):
        truncate_wal(session.get_bind().engine)


def truncate_wal(engine: Engine) -> None:
    """Checkpoint SQLite's write-ahead log into the file and truncate it to nothing.

    It waits (busy timeout) for readers of older snapshots; one still reading after that leaves the
    log as it was, and the next erasure or retention pass tries again."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        busy, _frames, _copied = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        cursor.close()
    finally:
        connection.close()
    if busy:
        log.warning("db.wal_not_truncated", reason="a reader held an older snapshot; retried at the next erasure")
