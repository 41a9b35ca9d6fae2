"""Random bytes on a consumer's subject: each is dead-lettered with a reason, the consumer lives on.

tests/shared/test_consumer.py checks one fixed garbage payload; here a
seeded generator sends many different ones (empty, short, long, almost JSON),
and a real event published after them must still be applied.
"""

from __future__ import annotations

import asyncio
import json
import random

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from shared import outbox
from shared.events import SessionCancelled
from shared.natsserver import NatsServer
from shared.outbox import Relay
from shared.tables import DeadLetter
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

SUBJECT = "scheduling.session.cancelled"
SEED = 20261129


def garbage(count: int, seed: int = SEED) -> list[bytes]:
    """``count`` different hostile payloads: random bytes of many lengths, and JSON-looking fragments."""
    rng = random.Random(seed)
    payloads = [b"", b"{", b"null", b"[]", b'{"type": "scheduling.session.cancelled"}', b"\xff\xfe\x00"]
    while len(payloads) < count:
        payloads.append(rng.randbytes(rng.choice([1, 3, 17, 64, 500, 4000])))
    return payloads[:count]


@pytest.mark.production_backend
def test_random_bytes_are_each_dead_lettered_with_a_reason_and_a_valid_event_after_them_is_applied(
    nats: NatsServer, engine: Engine
) -> None:
    engine = prepare_probe_tables(engine)
    settings = probe_settings(nats.url)
    hostile = garbage(30)

    async def scenario() -> None:
        async with connected_bus(settings) as bus:
            for raw in hostile:
                await bus.js.publish(SUBJECT, raw)
            with UnitOfWork(engine) as db:
                outbox.record(db, SessionCancelled(session_id="after-the-garbage"), producer="t")
            await Relay(engine, bus, poll_seconds=0.05, batch_size=10).relay_once()

            async with running(*probe_consumers(engine, bus, settings)):
                await eventually(lambda: count_effects(engine, "after-the-garbage") == 1, timeout=30)
                await eventually(lambda: len(_dead_letters(engine)) == len(hostile), timeout=30)

            letters = _dead_letters(engine)
            assert all(letter.reason for letter in letters), "every dead letter says why"
            subscription = await bus.js.pull_subscribe("deadletter.>", stream="DEADLETTER")
            messages = await subscription.fetch(len(hostile), timeout=10)
            assert sorted(m.data for m in messages) == sorted(hostile), "each payload is kept as it came, for replay"
            for message in messages:
                assert message.subject == f"deadletter.probe.{SUBJECT}"
                assert message.headers and message.headers.get("Brug-Reason")
            assert count_effects(engine) == 1, "nothing of the garbage was applied"

    asyncio.run(scenario())


def _dead_letters(engine: Engine) -> list[DeadLetter]:
    with UnitOfWork(engine) as db:
        return list(db.exec(select(DeadLetter).order_by(DeadLetter.id)).all())


def test_the_garbage_is_really_garbage() -> None:
    """None of the payloads happens to be an event (else the test above would prove less)."""
    for raw in garbage(30):
        try:
            value = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        assert not (isinstance(value, dict) and "payload" in value)
