"""SQLite's writers in a process: queued on the event loop, and committed together.

Used only by shared.unit_of_work, which opens the transactions; this module
decides who waits and who goes together.

SQLite lets one transaction write at a time. Two things follow here.

The queue (:func:`loop_gate`). A request's unit of work spans pool threads
(FastAPI opens a dependency in one, runs the route in another, closes it in
a third), so a writer must not wait for SQLite's lock in a pool thread: with
more writers than threads, the one holding the lock could get no thread to
finish. Writers wait on the event loop instead, which holds no thread, and
the one let through is the only one in the process touching SQLite's lock.

Group commit (:func:`submit`). A lock held for one registration's
statements and its hops between the loop and a pool thread is mostly idle,
so units of work that arrive while another is committing wait together and
run in one transaction, each inside its own savepoint: one that fails is
rolled back alone and gets its own error, the others are committed. Every
caller is answered only after the commit, so nobody hears of a write that
could still be lost. On PostgreSQL, where writers run side by side, each
unit of work keeps its own transaction (shared.unit_of_work never comes here).

What was measured before and after each: bench/RESULTS.md, "Why SQLite's
writers queue on the loop and commit together".
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import nullcontext
from contextvars import Context, copy_context
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlmodel import Session

from shared.db import is_sqlite

__all__ = ["loop_gate", "submit", "BATCH_LIMIT", "Work", "Outcome", "RunBatch"]

T = TypeVar("T")
Work = Callable[[Session], Any]
#: a unit of work's result, or the error it raised (rolled back to its savepoint)
Outcome = tuple[Any, BaseException | None]
#: runs the works in one transaction, each in a savepoint; returns their outcomes and whether it recorded an event
RunBatch = Callable[[Engine, list[Work]], tuple[list[Outcome], bool]]

#: At most this many units of work per transaction, so one commit never holds the lock for long
#: (64 registrations: about 20 ms on this machine).
BATCH_LIMIT = 64

_GATES: WeakKeyDictionary[Engine, asyncio.Lock] = WeakKeyDictionary()
_BATCHES: WeakKeyDictionary[Engine, _Batcher] = WeakKeyDictionary()


def loop_gate(engine: Engine) -> asyncio.Lock | nullcontext[None]:
    """The queue for this process's SQLite writers (PostgreSQL needs none); see the module's docstring."""
    if not is_sqlite(engine):
        return nullcontext()
    gate = _GATES.get(engine)
    if gate is None:
        gate = _GATES[engine] = asyncio.Lock()
    return gate


async def submit(engine: Engine, work: Callable[[Session], T], run_batch: RunBatch) -> tuple[T, bool]:
    """``work(db)`` committed in one SQLite transaction with the units of work queued beside it.

    ``run_batch`` runs each batch (in a pool thread, holding :func:`loop_gate`). Returns the work's
    result and whether its transaction recorded an event; ``work`` raises as it would alone.
    """
    batcher = _BATCHES.get(engine)
    if batcher is None:
        batcher = _BATCHES[engine] = _Batcher(engine, run_batch)
    outcome: tuple[T, bool] = await batcher.submit(work)
    return outcome


@dataclass
class _Batcher:
    engine: Engine
    run_batch: RunBatch
    queue: list[tuple[Work, asyncio.Future[tuple[Any, bool]]]] = field(default_factory=list)
    drainer: asyncio.Task[None] | None = None

    async def submit(self, work: Work) -> tuple[Any, bool]:
        future: asyncio.Future[tuple[Any, bool]] = asyncio.get_running_loop().create_future()
        # The work runs in its caller's context, not the drainer's: its correlation id goes on the
        # events it records and the lines it logs (the drainer's is that of whoever started it).
        self.queue.append((partial(_run_in, copy_context(), work), future))
        if self.drainer is None or self.drainer.done():
            self.drainer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        batch: list[tuple[Work, asyncio.Future[tuple[Any, bool]]]] = []
        try:
            while self.queue:
                async with loop_gate(self.engine):
                    # Taken only once the gate is ours: whoever queued meanwhile joins this batch.
                    batch, self.queue = self.queue[:BATCH_LIMIT], self.queue[BATCH_LIMIT:]
                    try:
                        outcomes, recorded = await run_in_threadpool(self.run_batch, self.engine, [w for w, _ in batch])
                    except Exception as error:  # the commit itself failed: nothing in the batch was written
                        outcomes, recorded = [(None, error)] * len(batch), False
                for (_, future), (result, failure) in zip(batch, outcomes, strict=True):
                    _settle(future, (result, recorded), failure)
                batch = []
        except BaseException as error:  # cancelled (the service stopping): nobody is left waiting for ever
            for _, future in [*batch, *self.queue]:
                _settle(future, error=error)
            self.queue = []
            raise


def _run_in(context: Context, work: Work, db: Session) -> Any:
    return context.run(work, db)


def _settle(
    future: asyncio.Future[tuple[Any, bool]], result: tuple[Any, bool] | None = None, error: BaseException | None = None
) -> None:
    if future.done():  # its caller went away (a client that hung up); the work is done all the same
        return
    if isinstance(error, asyncio.CancelledError):
        future.cancel()
    elif error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)  # type: ignore[arg-type]  # without an error, the caller gave a result
