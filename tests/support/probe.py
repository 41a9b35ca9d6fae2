"""A probe service for bus tests: the shared tables plus one table of effects."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import Engine, func
from sqlmodel import Field, Session, SQLModel, select

from shared import migrate, outbox
from shared.bus import Bus
from shared.consumer import Consumer, consumers_for
from shared.events import Envelope, SessionCancelled
from shared.outbox import Relay
from shared.settings import CommonSettings
from shared.tables import DeadLetter
from shared.unit_of_work import UnitOfWork
from tests.support.config import FAST

__all__ = [
    "Effect",
    "prepare_probe_tables",
    "probe_settings",
    "connected_bus",
    "count_effects",
    "effects_handler",
    "running",
]


class Effect(SQLModel, table=True):
    """One row per applied event: applying an event twice would show as two rows."""

    __tablename__ = "test_effect"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=64)
    session_id: str = Field(max_length=64)


def prepare_probe_tables(engine: Engine) -> Engine:
    migrate.upgrade(engine, "scheduler")  # any service: the shared tables are what matter
    Effect.__table__.create(engine, checkfirst=True)  # type: ignore[attr-defined]
    return engine


def probe_settings(nats_url: str) -> CommonSettings:
    return CommonSettings(nats_url=nats_url, **FAST)  # type: ignore[arg-type]


def effects_handler(fail_for: str | None = None):  # type: ignore[no-untyped-def]
    """Records an Effect; raises for the session id ``fail_for``, every time."""

    def handle(db: Session, event: SessionCancelled, envelope: Envelope) -> None:
        if event.session_id == fail_for:
            raise RuntimeError(f"cannot apply session {fail_for}")
        db.add(Effect(event_id=envelope.id, session_id=event.session_id))

    return handle


def count_effects(engine: Engine, session_id: str | None = None) -> int:
    with UnitOfWork(engine) as db:
        query = select(func.count()).select_from(Effect)
        if session_id is not None:
            query = query.where(Effect.session_id == session_id)
        return int(db.exec(query).one())


@asynccontextmanager
async def connected_bus(settings: CommonSettings, name: str = "probe") -> AsyncIterator[Bus]:
    bus = Bus(settings, name)
    bus.start()
    await asyncio.wait_for(bus.wait_ready(), 10)
    try:
        yield bus
    finally:
        await bus.close()


@asynccontextmanager
async def running(*consumers: Consumer) -> AsyncIterator[None]:
    tasks = [asyncio.create_task(c.run()) for c in consumers]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def probe_consumers(engine: Engine, bus: Bus, settings: CommonSettings, fail_for: str | None = None) -> list[Consumer]:
    return consumers_for("probe", [effects_handler(fail_for)], engine=engine, bus=bus, settings=settings)


async def eventually(predicate, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not await asyncio.to_thread(predicate):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for the condition")
        await asyncio.sleep(0.05)


async def publish_cancellations(engine: Engine, bus: Bus, *session_ids: str) -> list[str]:
    """Publish a SessionCancelled per id through the real outbox and relay, as a service does; their ids."""
    with UnitOfWork(engine) as db:
        ids = [outbox.record(db, SessionCancelled(session_id=s), producer="t").id for s in session_ids]
    await Relay(engine, bus, poll_seconds=0.05, batch_size=100).relay_once()
    return ids


def dead_letters(engine: Engine) -> list[DeadLetter]:
    """The dead letters the engine's database holds, oldest first."""
    with UnitOfWork(engine) as db:
        return list(db.exec(select(DeadLetter).order_by(DeadLetter.id)).all())
