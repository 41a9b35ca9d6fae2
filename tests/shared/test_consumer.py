"""The idempotent consumer against a real nats-server: once, retried, dead-lettered."""

from __future__ import annotations

import asyncio
import json
from functools import partial

import pytest
from nats.aio.msg import Msg
from sqlalchemy import Engine
from sqlmodel import Session

from shared.bus import Bus
from shared.consumer import by_event, payload_class
from shared.events import Envelope, Payload, ReportPublished, SessionCancelled
from shared.natsserver import NatsServer
from shared.outbox import Relay
from shared.web import create_service_app
from tests.support.probe import (
    connected_bus,
    count_effects,
    dead_letters,
    eventually,
    prepare_probe_tables,
    probe_consumers,
    probe_settings,
    publish_cancellations,
    running,
)


async def _dead_lettered_messages(bus: Bus, count: int) -> list[Msg]:
    subscription = await bus.js.pull_subscribe("deadletter.>", stream="DEADLETTER")
    return await subscription.fetch(count, timeout=5)


def test_a_consumer_that_dies_before_its_ack_gets_the_message_again_and_applies_it_once(
    nats: NatsServer, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = prepare_probe_tables(engine)
    settings = probe_settings(nats.url)
    deliveries: list[int] = []
    real_ack = Msg.ack

    async def ack_lost_the_first_time(message: Msg) -> None:
        deliveries.append(message.metadata.num_delivered)
        if len(deliveries) > 1:
            await real_ack(message)
        # first time: the process "died" after commit, before the ack left

    monkeypatch.setattr(Msg, "ack", ack_lost_the_first_time)

    async def scenario() -> None:
        async with connected_bus(settings) as bus:
            await publish_cancellations(engine, bus, "redelivered")
            async with running(*probe_consumers(engine, bus, settings)):
                await eventually(lambda: len(deliveries) >= 2, timeout=settings.consumer_ack_wait_seconds * 5)
            assert deliveries[:2] == [1, 2]
            assert count_effects(engine, "redelivered") == 1

    asyncio.run(scenario())


def test_a_handler_that_always_fails_is_dead_lettered_with_its_reason_and_later_messages_flow(
    nats: NatsServer, engine: Engine
) -> None:
    engine = prepare_probe_tables(engine)
    settings = probe_settings(nats.url)

    async def scenario() -> None:
        async with connected_bus(settings) as bus:
            poison_id, *_ = await publish_cancellations(engine, bus, "poison", "fine-1", "fine-2")
            async with running(*probe_consumers(engine, bus, settings, fail_for="poison")):
                await eventually(lambda: count_effects(engine) == 2 and len(dead_letters(engine)) == 1)
            [letter] = dead_letters(engine)
            assert letter.event_id == poison_id
            assert letter.reason == "failed 3 times; last error RuntimeError: cannot apply session poison"
            [message] = await _dead_lettered_messages(bus, 1)
            assert message.subject == "deadletter.probe.scheduling.session.cancelled"
            assert message.headers["Brug-Reason"] == letter.reason
            assert json.loads(message.data)["id"] == poison_id, "the original message is kept for replay"
            assert count_effects(engine, "poison") == 0

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\x00\x01 random bytes \xff", "not JSON"),
        (
            json.dumps({"type": "scheduling.session.cancelled", "version": 2, "payload": {}}).encode(),
            "unknown version 2 of scheduling.session.cancelled",
        ),
        (
            json.dumps({"type": "scheduling.session.cancelled", "version": 1, "producer": "x", "payload": {}}).encode(),
            "payload.session_id: Field required",
        ),
    ],
)
def test_a_malformed_or_unknown_version_event_is_dead_lettered_and_the_consumer_goes_on(
    nats: NatsServer, engine: Engine, raw: bytes, reason: str
) -> None:
    engine = prepare_probe_tables(engine)
    settings = probe_settings(nats.url)

    async def scenario() -> None:
        async with connected_bus(settings) as bus:
            await bus.js.publish("scheduling.session.cancelled", raw)
            await publish_cancellations(engine, bus, "after-the-bad-one")
            async with running(*probe_consumers(engine, bus, settings)):
                await eventually(lambda: count_effects(engine) == 1 and len(dead_letters(engine)) == 1)
            [letter] = dead_letters(engine)
            assert reason in letter.reason
            [message] = await _dead_lettered_messages(bus, 1)
            assert message.data == raw

    asyncio.run(scenario())


def test_consumers_of_one_service_share_the_work_without_duplicates(nats: NatsServer, engine: Engine) -> None:
    """Two replicas bind the same durable consumer: every event is applied exactly once."""
    engine = prepare_probe_tables(engine)
    settings = probe_settings(nats.url)

    async def scenario() -> None:
        async with connected_bus(settings, "replica-a") as bus_a, connected_bus(settings, "replica-b") as bus_b:
            ids = await publish_cancellations(engine, bus_a, *(f"s{i}" for i in range(60)))
            replicas = probe_consumers(engine, bus_a, settings) + probe_consumers(engine, bus_b, settings)
            async with running(*replicas):
                await eventually(lambda: count_effects(engine) >= 60)
                await asyncio.sleep(0.3)
            assert count_effects(engine) == 60 == len(ids)

    asyncio.run(scenario())


def test_an_envelope_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        Envelope(
            type="scheduling.session.cancelled",
            version=1,
            producer="t",
            occurred_at="2026-01-01T10:00:00",
            payload=SessionCancelled(session_id="s"),
        )


class Unregistered(SessionCancelled):
    """Inherits the type and version of SessionCancelled, but is not what parsing produces for them."""


def _on_cancelled(note: str, db: Session, event: SessionCancelled, envelope: Envelope) -> None:
    """A handler typed by its event, with a setting bound before it."""


def test_a_handler_is_registered_for_the_event_its_event_parameter_is_annotated_with() -> None:
    assert payload_class(partial(_on_cancelled, "n")) is SessionCancelled
    assert list(by_event([partial(_on_cancelled, "n")])) == [SessionCancelled]


def test_a_handler_without_a_registered_event_class_or_for_an_event_handled_twice_is_refused() -> None:
    def untyped(db: Session, event, envelope: Envelope) -> None:  # type: ignore[no-untyped-def]  # the case refused
        """No annotation: nothing says which event it applies."""

    def base(db: Session, event: Payload, envelope: Envelope) -> None:
        """Any event: refused, a handler applies one."""

    def unregistered(db: Session, event: Unregistered, envelope: Envelope) -> None:
        """An event class parsing never produces."""

    for handler in (untyped, base, unregistered):
        with pytest.raises(TypeError):
            payload_class(handler)
    with pytest.raises(ValueError, match="two handlers for SessionCancelled"):
        by_event([partial(_on_cancelled, "a"), partial(_on_cancelled, "b")])


def test_a_service_must_handle_exactly_what_reads_declares() -> None:
    def on_report(db: Session, event: ReportPublished, envelope: Envelope) -> None:
        """What the scheduler reads."""

    settings = probe_settings("nats://127.0.0.1:1")
    create_service_app(name="scheduler", settings=settings, database_url="sqlite://", handlers=[on_report])
    with pytest.raises(RuntimeError, match="make them the same"):
        create_service_app(name="scheduler", settings=settings, database_url="sqlite://", handlers=[])
    with pytest.raises(RuntimeError, match="make them the same"):
        create_service_app(
            name="scheduler",
            settings=settings,
            database_url="sqlite://",
            handlers=[on_report, partial(_on_cancelled, "n")],
        )


def test_a_consumer_or_relay_cancelled_at_any_moment_of_its_start_stops(nats: NatsServer, engine: Engine) -> None:
    """A service's loops stop when the service stops, wherever the cancellation lands: nats-py swallows
    one that lands in its ``flush`` (binding, fetching and publishing go through it), and a consumer
    then fetched on for ever, logging ``consumer.fetch_failed`` into later tests, while the service's
    shutdown waited on it (seen as test servers that never stopped). The cancellation lands at each of
    moments of the first 40 ms of a consumer's and a relay's start in turn."""
    engine = prepare_probe_tables(engine)
    settings = probe_settings(nats.url)

    async def stopped_after(delay: float, bus: Bus) -> None:
        loops = [consumer.run() for consumer in probe_consumers(engine, bus, settings)]
        relay = Relay(engine, bus, poll_seconds=0.05, batch_size=100)
        tasks = [asyncio.create_task(loop) for loop in [*loops, relay.run()]]
        await asyncio.sleep(delay)
        for task in tasks:
            task.cancel()
        _, running = await asyncio.wait(tasks, timeout=10)
        assert not running, f"{len(running)} loop(s) went on when cancelled {delay * 1000:.1f} ms into their start"

    async def scenario() -> None:
        async with connected_bus(settings) as bus:
            for tenths in range(0, 400, 3):
                await stopped_after(tenths / 10_000, bus)

    asyncio.run(scenario())
