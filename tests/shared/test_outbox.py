"""The outbox relay against a real nats-server: nothing lost, nothing doubled."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, update
from sqlmodel import col, func, select

from shared import outbox
from shared.events import SessionCancelled, parse_event
from shared.natsserver import NatsServer
from shared.outbox import Relay
from shared.tables import OutboxMessage
from shared.unit_of_work import UnitOfWork
from tests.support.probe import (
    connected_bus,
    count_effects,
    eventually,
    prepare_probe_tables,
    probe_consumers,
    probe_settings,
    running,
)


class RelayKilled(BaseException):
    """Stands for the process dying: nothing after it runs."""


def _pending(engine) -> int:  # type: ignore[no-untyped-def]
    with UnitOfWork(engine) as db:
        return int(db.exec(select(func.count()).where(col(OutboxMessage.sent_at).is_(None))).one())


def test_events_are_published_in_order_with_their_id_as_msg_id(nats: NatsServer, engine: Engine) -> None:
    engine = prepare_probe_tables(engine)
    settings = probe_settings(nats.url)

    async def scenario() -> None:
        async with connected_bus(settings) as bus:
            with UnitOfWork(engine) as db:
                ids = [outbox.record(db, SessionCancelled(session_id=f"s{i}"), producer="t").id for i in range(5)]
            relay = Relay(engine, bus, poll_seconds=0.05, batch_size=100)
            assert await relay.relay_once() == 5
            subscription = await bus.js.pull_subscribe("scheduling.>", stream="SCHEDULING")
            messages = await subscription.fetch(5, timeout=5)
            assert [m.headers["Nats-Msg-Id"] for m in messages] == ids
            assert [parse_event(m.data).payload.session_id for m in messages] == [f"s{i}" for i in range(5)]

    asyncio.run(scenario())
    assert _pending(engine) == 0


def test_a_relay_killed_between_publish_and_mark_sent_delivers_once(
    nats: NatsServer, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = prepare_probe_tables(engine)
    settings = probe_settings(nats.url)

    async def scenario() -> None:
        async with connected_bus(settings) as bus:
            with UnitOfWork(engine) as db:
                outbox.record(db, SessionCancelled(session_id="once"), producer="t")

            doomed = Relay(engine, bus, poll_seconds=0.05, batch_size=10)

            def die(_seqs: list[int]) -> None:
                raise RelayKilled

            monkeypatch.setattr(doomed, "_mark_sent", die)
            with pytest.raises(RelayKilled):
                await doomed.relay_once()
            assert _pending(engine) == 1, "the row must still be pending after the crash"

            restarted = Relay(engine, bus, poll_seconds=0.05, batch_size=10)
            assert await restarted.relay_once() == 1
            assert _pending(engine) == 0
            info = await bus.js.stream_info("SCHEDULING")
            assert info.state.messages == 1, "JetStream must drop the re-sent duplicate"

            async with running(*probe_consumers(engine, bus, settings)):
                await eventually(lambda: count_effects(engine, "once") == 1)
                await asyncio.sleep(0.5)
            assert count_effects(engine, "once") == 1

    asyncio.run(scenario())


def test_the_relay_keeps_events_while_nats_is_down_and_sends_them_after(nats: NatsServer, engine: Engine) -> None:
    engine = prepare_probe_tables(engine)
    settings = probe_settings(nats.url)

    async def scenario() -> None:
        async with connected_bus(settings) as bus:
            relay = Relay(engine, bus, poll_seconds=0.05, batch_size=10)
            relay_task = asyncio.create_task(relay.run())
            await asyncio.to_thread(nats.stop)
            with UnitOfWork(engine) as db:
                outbox.record(db, SessionCancelled(session_id="while-down"), producer="t")
            relay.wake()
            await asyncio.sleep(1.5)
            assert _pending(engine) == 1
            await asyncio.to_thread(nats.start)
            await eventually(lambda: _pending(engine) == 0, timeout=20)
            relay_task.cancel()
            info = await bus.js.stream_info("SCHEDULING")
            assert info.state.messages == 1

    asyncio.run(scenario())


def test_rows_sent_more_than_a_day_ago_are_forgotten_and_newer_ones_kept(nats: NatsServer, engine: Engine) -> None:
    engine = prepare_probe_tables(engine)
    settings = probe_settings(nats.url)
    with UnitOfWork(engine) as db:
        old, recent, waiting = (
            outbox.record(db, SessionCancelled(session_id=name), producer="t").id for name in ("old", "recent", "new")
        )
        now = datetime.now(UTC)
        for event_id, sent_at in (
            (old, now - outbox.KEEP_SENT - timedelta(minutes=1)),
            (recent, now - timedelta(hours=1)),
        ):
            db.exec(update(OutboxMessage).where(col(OutboxMessage.event_id) == event_id).values(sent_at=sent_at))

    async def scenario() -> int:
        async with connected_bus(settings) as bus:
            return await Relay(engine, bus, poll_seconds=0.05, batch_size=10).relay_once()

    assert asyncio.run(scenario()) == 1
    with UnitOfWork(engine, read_only=True) as db:
        left = {row.event_id: row.sent_at for row in db.exec(select(OutboxMessage)).all()}
    assert set(left) == {recent, waiting}
    assert left[waiting] is not None
