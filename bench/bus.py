"""How much the outbox relay and the idempotent consumer cost over bare JetStream.

Starts its own nats-server and a SQLite database in a temporary folder, then
in one run measures:

- publish: the outbox relay sending N recorded events, against bare
  ``js.publish`` of the same payloads pipelined the same way;
- consume: the idempotent consumer applying N events (inbox row + commit +
  ack each), against a bare pull consumer that fetches and acks.

Prints messages/s for each and the ratios. Usage: ``python bench/bus.py [N]``.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from sqlmodel import Session

from shared import outbox
from shared.bus import Bus
from shared.consumer import consumers_for
from shared.db import make_engine
from shared.events import Envelope, SessionCancelled
from shared.logging import configure_logging
from shared.migrate import upgrade
from shared.natsserver import NatsServer
from shared.outbox import Relay
from shared.settings import CommonSettings
from shared.unit_of_work import UnitOfWork


def _record(engine, count: int) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(engine) as db:
        for i in range(count):
            outbox.record(db, SessionCancelled(session_id=f"s{i}"), producer="bench")


async def _bare_publish(bus: Bus, count: int, batch: int) -> float:
    bodies = [Envelope.wrap(SessionCancelled(session_id=f"b{i}"), producer="bench") for i in range(count)]
    started = time.perf_counter()
    for offset in range(0, count, batch):
        chunk = bodies[offset : offset + batch]
        await asyncio.gather(
            *(bus.js.publish("feedback.bench.bare", e.to_json(), headers={"Nats-Msg-Id": e.id}) for e in chunk)
        )
    return count / (time.perf_counter() - started)


async def _relay_publish(engine, bus: Bus, count: int, batch: int) -> float:  # type: ignore[no-untyped-def]
    await asyncio.to_thread(_record, engine, count)
    relay = Relay(engine, bus, poll_seconds=0.05, batch_size=batch)
    started = time.perf_counter()
    sent = 0
    while sent < count:
        sent += await relay.relay_once()
    return count / (time.perf_counter() - started)


async def _bare_consume(bus: Bus, count: int) -> float:
    subscription = await bus.js.pull_subscribe("feedback.bench.bare", durable="bare", stream="FEEDBACK")
    started, done = time.perf_counter(), 0
    while done < count:
        for message in await subscription.fetch(64, timeout=5):
            await message.ack()
            done += 1
    return count / (time.perf_counter() - started)


async def _idempotent_consume(engine, bus: Bus, settings: CommonSettings, count: int) -> float:  # type: ignore[no-untyped-def]
    applied = 0

    def handler(_db: Session, event: SessionCancelled, _envelope: Envelope) -> None:
        nonlocal applied
        applied += 1

    [consumer] = consumers_for("bench", [handler], engine=engine, bus=bus, settings=settings)
    started = time.perf_counter()
    task = asyncio.create_task(consumer.run())
    while applied < count:
        await asyncio.sleep(0.01)
    elapsed = time.perf_counter() - started
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    return count / elapsed


async def main(count: int) -> None:
    configure_logging("bench", "WARNING")
    with tempfile.TemporaryDirectory() as folder:
        nats = NatsServer(Path(folder) / "nats").start()
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        upgrade(engine, "scheduler")
        settings = CommonSettings(nats_url=nats.url, consumer_batch_size=64)
        bus = Bus(settings, "bench")
        bus.start()
        await bus.wait_ready()
        try:
            bare_pub = await _bare_publish(bus, count, 256)
            relay_pub = await _relay_publish(engine, bus, count, 256)
            bare_sub = await _bare_consume(bus, count)
            ours_sub = await _idempotent_consume(engine, bus, settings, count)
        finally:
            await bus.close()
            engine.dispose()
            nats.stop()
    rows = [
        ("outbox relay vs bare publish_async (batches of 256)", relay_pub, bare_pub),
        ("idempotent consumer vs bare fetch+ack", ours_sub, bare_sub),
    ]
    print(f"| measure ({count:,} events, SQLite) | msgs/s | baseline msgs/s | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for name, ours, baseline in rows:
        print(f"| {name} | {ours:,.0f} | {baseline:,.0f} | {ours / baseline:.2f} |")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
