"""A write transaction run whole in the calling worker thread, with the relay woken after it.

For code that is already in a worker thread (signing in, from the token
endpoint and the staff sign-in page). An ``async`` route should use
``shared.web.write`` instead, which waits for the process's other SQLite
writers on the event loop rather than in a pool thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session

from shared.db import transaction
from shared.outbox import has_pending
from shared.web import Runtime

__all__ = ["run_write"]

T = TypeVar("T")


def run_write(runtime: Runtime, work: Callable[[Session], T]) -> T:
    """``work(db)`` in one transaction, committed before this returns; wakes the relay if it wrote an event."""
    with transaction(runtime.engine) as db:
        result = work(db)
        pending = has_pending(db)
    if pending:
        runtime.relay.wake()
    return result
