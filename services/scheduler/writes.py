"""A write transaction run whole in one worker thread; on SQLite, writers queue in the process.

SQLite lets one transaction write at a time (BEGIN IMMEDIATE, shared.db).
Writers that find the lock taken wait in SQLite's busy handler, which sleeps
in growing steps (up to 100 ms) between tries, so under a crowd of
registrations most of the time goes to sleeping and the slowest wait seconds.
Queued on a lock in the process instead, the next writer starts the moment
the last one commits. PostgreSQL needs no such queue (its row locks wake
waiters at once), so there the lock is not taken.

The whole unit (begin, work, commit) runs in the calling thread: nothing
holds the database while it waits for another thread (see scheduler.bookings.api).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import nullcontext
from typing import TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlmodel import Session

from shared.db import is_sqlite, transaction
from shared.outbox import has_pending
from shared.web import Runtime

__all__ = ["run_write"]

T = TypeVar("T")

_LOCKS: WeakKeyDictionary[Engine, threading.Lock] = WeakKeyDictionary()
_GUARD = threading.Lock()


def _queue(engine: Engine) -> threading.Lock | nullcontext[None]:
    if not is_sqlite(engine):
        return nullcontext()
    with _GUARD:
        lock = _LOCKS.get(engine)
        if lock is None:
            lock = _LOCKS[engine] = threading.Lock()
        return lock


def run_write(runtime: Runtime, work: Callable[[Session], T]) -> T:
    """``work(db)`` in one transaction, committed before this returns; wakes the relay if it wrote an event."""
    with _queue(runtime.engine), transaction(runtime.engine) as db:
        result = work(db)
        pending = has_pending(db)
    if pending:
        runtime.relay.wake()
    return result
