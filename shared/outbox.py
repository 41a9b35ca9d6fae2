"""Transactional outbox: events are written with the change, published after commit.

:func:`record` adds the event to the caller's transaction. :class:`Relay`
publishes pending rows to JetStream with ``Nats-Msg-Id`` set to the event id
and marks them sent only after the server's ack. A crash between publish and
mark re-sends the row later; JetStream's duplicate window drops the repeat.
Rows go out in the order they were written.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import structlog
from nats.js.api import PubAck
from sqlalchemy import DateTime, Engine, Row, bindparam, text
from sqlmodel import Session

from shared.bus import Bus, raise_if_cancelled
from shared.context import NATS_HEADER, current_correlation_id
from shared.db import EVENT_RECORDED
from shared.events import Envelope, Payload, utcnow
from shared.metrics import EVENTS_PUBLISHED, OUTBOX_PENDING
from shared.retry import retry_forever
from shared.tables import OutboxMessage
from shared.unit_of_work import UnitOfWork

__all__ = ["record", "Relay"]

log = structlog.get_logger("shared.outbox")

_INSERT = text(
    f"INSERT INTO {OutboxMessage.__tablename__} (event_id, subject, body, correlation_id, created_at) "
    "VALUES (:event_id, :subject, :body, :correlation_id, :created_at)"
).bindparams(bindparam("created_at", type_=DateTime))

#: sent rows are kept this long for inspection, far beyond JetStream's duplicate window.
KEEP_SENT = timedelta(days=1)
#: how often the relay deletes rows sent more than KEEP_SENT ago.
PURGE_EVERY = timedelta(minutes=1)

# The relay's statements, prepared once: it runs after every registration's commit.
_OUTBOX = OutboxMessage.__tablename__
_PENDING = text(
    f"SELECT seq, event_id, subject, body, correlation_id FROM {_OUTBOX} "
    "WHERE sent_at IS NULL ORDER BY seq LIMIT :limit"
)
_MARK_SENT = text(f"UPDATE {_OUTBOX} SET sent_at = :now WHERE seq IN :seqs").bindparams(
    bindparam("seqs", expanding=True), bindparam("now", type_=DateTime)
)
_PURGE = text(f"DELETE FROM {_OUTBOX} WHERE sent_at < :before").bindparams(bindparam("before", type_=DateTime))

#: how long a batch waits for JetStream's acks before the unacked rest is retried.
PUBLISH_TIMEOUT = 5.0


def record(session: Session, payload: Payload, *, producer: str) -> Envelope:
    """Add ``payload`` as an event to the open transaction and return its envelope.

    The row is inserted at once (one prepared statement, not an ORM object
    left for the next flush): events keep the order they were recorded in,
    and the busiest paths (a registration) skip the unit of work's cost.
    """
    envelope = Envelope.wrap(payload, producer=producer, correlation_id=current_correlation_id())
    session.execute(
        _INSERT,
        {
            "event_id": envelope.id,
            "subject": envelope.subject,
            "body": envelope.to_json().decode(),
            "correlation_id": envelope.correlation_id,
            "created_at": utcnow(),
        },
    )
    session.info[EVENT_RECORDED] = True  # the unit of work wakes the relay after its commit
    return envelope


class Relay:
    """Publishes a service's outbox to JetStream; one per service process."""

    def __init__(self, engine: Engine, bus: Bus, *, poll_seconds: float, batch_size: int) -> None:
        self.engine = engine
        self.bus = bus
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._purged_at: datetime | None = None

    def wake(self) -> None:
        """Publish soon; safe to call from any thread (HTTP handlers run in a pool)."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        await self.bus.wait_ready()
        while True:
            raise_if_cancelled()
            # NATS or the database down: the rows stay, and the batch is tried again after 0.4 s,
            # doubled each time up to 5 s.
            sent = await retry_forever(self.relay_once, "outbox.relay_failed", log=log, first=0.4, cap=5.0)
            if sent < self.batch_size:
                await self._idle()

    async def _idle(self) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
        except TimeoutError:
            pass
        self._wake.clear()

    async def relay_once(self) -> int:
        """Publish one batch of pending rows; return how many were sent."""
        raise_if_cancelled()
        rows = await asyncio.to_thread(self._pending)
        OUTBOX_PENDING.labels(self.bus.name).set(len(rows))
        if not rows:
            return 0
        acked = await self._publish(rows)
        if acked:
            await asyncio.to_thread(self._mark_sent, acked)
            EVENTS_PUBLISHED.labels(self.bus.name).inc(len(acked))
        if len(acked) < len(rows):
            raise ConnectionError(f"{len(rows) - len(acked)} of {len(rows)} events not acknowledged")
        return len(acked)

    async def _publish(self, rows: Sequence[Row[Any]]) -> list[int]:
        """Publish in order, pipelined; return the seqs of the acknowledged prefix.

        ``publish_async`` sends without waiting for each ack (about 8x the rate of
        awaiting each one, ../shared/MEASURED.md); its futures have no timeout of
        their own, so the batch gets one.
        """
        futures: list[asyncio.Future[PubAck]] = []
        try:
            # the sends are bounded too: on a connection that went bad they can wait forever
            async with asyncio.timeout(PUBLISH_TIMEOUT):
                for row in rows:
                    headers = {"Nats-Msg-Id": row.event_id, NATS_HEADER: row.correlation_id}
                    futures.append(await self.bus.js.publish_async(row.subject, row.body.encode(), headers=headers))
            if futures:
                await asyncio.wait(futures, timeout=PUBLISH_TIMEOUT)
        except TimeoutError:
            pass  # whatever was acknowledged before is kept below; the rest is sent again
        finally:
            for future in futures:
                future.cancel()  # a no-op for the ones that are done
        acked: list[int] = []
        for row, future in zip(rows, futures, strict=False):
            if future.cancelled() or future.exception() is not None:
                break
            acked.append(row.seq)
        return acked

    def _pending(self) -> list[Row[Any]]:
        # A read: it takes no write lock, so registrations never queue behind it.
        with UnitOfWork(self.engine, read_only=True) as session:
            return list(session.execute(_PENDING, {"limit": self.batch_size}).all())

    def _mark_sent(self, seqs: list[int]) -> None:
        """Mark rows sent; now and then, forget rows sent long ago (past any duplicate window)."""
        now = utcnow()
        with UnitOfWork(self.engine) as session:
            session.execute(_MARK_SENT, {"seqs": seqs, "now": now})
            if self._purged_at is None or now - self._purged_at >= PURGE_EVERY:
                session.execute(_PURGE, {"before": now - KEEP_SENT})
                self._purged_at = now
