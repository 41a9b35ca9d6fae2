"""The unit of work: the one way to run a transaction, with two entry points.

A unit of work commits when its work returns and rolls back when it raises;
whoever opens it owns it, and services and handlers never call ``commit()``.
If it recorded an event (shared.outbox.record), the service's relay is woken
after the commit, so the event goes out at once rather than at the next poll.

Request-scoped, :data:`SessionDep` (a FastAPI dependency): one unit of work per
request, committed before the response is sent. ``GET``, ``HEAD`` and
``OPTIONS`` only read: on SQLite they take no write lock::

    @router.post("/venues")
    async def create_venue(data: VenueCreate, db: SessionDep) -> VenuePublic: ...

Background, :class:`UnitOfWork` (workers, consumers, the relay, and the routes
that hand over their whole work as one function)::

    with UnitOfWork(engine) as db:                    # in a worker thread
        ...
    with UnitOfWork(engine, read_only=True) as db:    # reads only: no write lock on SQLite
        ...
    result = await UnitOfWork(engine, relay=runtime.relay).run(work)   # on the event loop

``run`` is for the hot paths (registrations, a notifier's sends): on SQLite the
units of work that arrive while another is committing share the next
transaction, each in its own savepoint (group commit, shared.group_commit); on
PostgreSQL each keeps its own transaction. ``relay``: wake it after the commit
if the work recorded an event (a request's unit of work always does).

SQLite lets one transaction write at a time, so a process's writers queue
before they begin, in the process rather than in SQLite's busy handler, which
sleeps in growing steps (up to 100 ms) between tries: with ten deliveries or a
crowd of registrations at once, most of the time went to sleeping (py-spy on
the notifier: a sixth of its samples in BEGIN IMMEDIATE). Queued in the
process, the next writer starts the moment the last one commits. A ``with``
queues on a re-entrant lock in its thread (a nested unit of work in one thread
does not wait for itself); a request's unit of work and ``run``, which span
pool threads, queue on the event loop (shared.group_commit).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from types import TracebackType
from typing import TYPE_CHECKING, Annotated, TypeVar
from weakref import WeakKeyDictionary

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlmodel import Session

from shared import group_commit
from shared.db import EVENT_RECORDED, is_sqlite, open_session

if TYPE_CHECKING:
    from shared.outbox import Relay

__all__ = ["UnitOfWork", "SessionDep", "SAFE_METHODS"]

T = TypeVar("T")

#: requests that only read: on SQLite they do not take the write lock.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class UnitOfWork:
    """A unit of work outside a request: ``with`` it in a worker thread, or ``await run(work)``
    on the event loop; see the module's docstring."""

    def __init__(self, engine: Engine, *, read_only: bool = False, relay: Relay | None = None) -> None:
        self.engine = engine
        self.read_only = read_only
        self.relay = relay
        self._open: list[AbstractContextManager[Session]] = []

    def __enter__(self) -> Session:
        scope = _in_thread(self.engine, self.read_only, self.relay)
        self._open.append(scope)
        return scope.__enter__()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> bool | None:
        return self._open.pop().__exit__(kind, error, trace)

    async def run(self, work: Callable[[Session], T]) -> T:
        """``work(db)`` committed before this returns (on SQLite together with the units of work queued
        beside it); raises what ``work`` raised, rolled back. ``work`` must not commit."""
        if self.read_only or not is_sqlite(self.engine):
            return await run_in_threadpool(self._alone, work)
        result, recorded = await group_commit.submit(self.engine, work, _in_savepoints)
        if recorded and self.relay is not None:
            self.relay.wake()
        return result

    def _alone(self, work: Callable[[Session], T]) -> T:
        with _in_thread(self.engine, self.read_only, self.relay) as db:
            return work(db)


_THREAD_QUEUES: WeakKeyDictionary[Engine, threading.RLock] = WeakKeyDictionary()
_THREAD_QUEUES_GUARD = threading.Lock()


def _thread_queue(engine: Engine) -> threading.RLock:
    with _THREAD_QUEUES_GUARD:
        lock = _THREAD_QUEUES.get(engine)
        if lock is None:
            lock = _THREAD_QUEUES[engine] = threading.RLock()
        return lock


@contextmanager
def _in_thread(engine: Engine, read_only: bool, relay: Relay | None) -> Iterator[Session]:
    gate = _thread_queue(engine) if not read_only and is_sqlite(engine) else nullcontext()
    with gate, open_session(engine, read_only=read_only) as session:
        try:
            yield session
            recorded = _recorded(session)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    if recorded and relay is not None:
        relay.wake()


def _in_savepoints(engine: Engine, works: list[group_commit.Work]) -> tuple[list[group_commit.Outcome], bool]:
    """One batch of group commit: the works in one transaction, each in its own savepoint."""
    outcomes: list[group_commit.Outcome] = []
    with _in_thread(engine, False, None) as db:
        for work in works:
            try:
                with db.begin_nested():
                    outcomes.append((work(db), None))
            except Exception as error:
                outcomes.append((None, error))
        return outcomes, _recorded(db)


def _recorded(session: Session) -> bool:
    return bool(session.info.get(EVENT_RECORDED))


async def _request_session(request: Request) -> AsyncIterator[Session]:
    """The request's unit of work; commits before the response, then wakes the relay."""
    runtime = request.app.state.runtime  # a shared.web.Runtime, put there by the app's lifespan
    engine: Engine = runtime.engine
    read_only = request.method in SAFE_METHODS
    async with nullcontext() if read_only else group_commit.loop_gate(engine):
        session = open_session(engine, read_only=read_only)
        try:
            yield session
            recorded = _recorded(session)
            await run_in_threadpool(session.commit)
        except BaseException:
            await run_in_threadpool(session.rollback)
            raise
        finally:
            await run_in_threadpool(session.close)
    if recorded:
        runtime.relay.wake()


#: The request-scoped unit of work. scope="function": the commit finishes before the response is
#: sent, so a client that got 201 can read what it wrote, and a failed commit is an error, not a
#: false success.
SessionDep = Annotated[Session, Depends(_request_session, scope="function")]
