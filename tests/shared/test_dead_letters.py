"""Replaying a dead letter (shared.dead_letters) against a real nats-server: the consumer gives an
event up, the cause is fixed, and a coordinator's replay applies it exactly once however often it is
pressed, or not at all when the event arrived again and was applied meanwhile."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from importlib import import_module

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from shared import migrate
from shared.audit import AuditEntry
from shared.auth import Principal
from shared.bus import Bus
from shared.dead_letters import service as letters
from shared.dead_letters.retention import run_once
from shared.events import utcnow
from shared.natsserver import NatsServer
from shared.outbox import OutboxMessage
from shared.tables import DeadLetter, InboxMessage
from shared.unit_of_work import UnitOfWork
from tests.support.config import Keys, feedback_settings, notifier_settings, scheduler_settings
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
from tests.support.servers import ThreadedServer, wait_until

COORDINATOR = Principal(user_id="coordinator-1", role="coordinator")
SETTINGS = {"scheduler": scheduler_settings, "notifier": notifier_settings, "feedback": feedback_settings}


def _replay(engine: Engine, bus: Bus, letter_id: int) -> letters.Replayed:
    """A replay in a transaction of its own, with the consumers of the fixed code (they fail no longer)."""
    settings = probe_settings(bus.settings.nats_url)
    with UnitOfWork(engine) as db:
        return letters.replay(db, probe_consumers(engine, bus, settings), letter_id, COORDINATOR)


async def _given_up_on(engine: Engine, bus: Bus) -> tuple[str, DeadLetter]:
    """The event ``poison``, dead-lettered by the consumer for real (its handler failed three times)."""
    settings = probe_settings(bus.settings.nats_url)
    poison_id, _ = await publish_cancellations(engine, bus, "poison", "fine")
    async with running(*probe_consumers(engine, bus, settings, fail_for="poison")):
        await eventually(lambda: count_effects(engine) == 1 and len(dead_letters(engine)) == 1)
    [letter] = dead_letters(engine)
    assert (letter.event_id, letter.replayed_at) == (poison_id, None)
    assert letter.body is not None and poison_id in letter.body
    return poison_id, letter


def test_a_replayed_dead_letter_is_applied_once_however_often_it_is_replayed(nats: NatsServer, engine: Engine) -> None:
    engine = prepare_probe_tables(engine)

    async def scenario() -> None:
        async with connected_bus(probe_settings(nats.url)) as bus:
            poison_id, letter = await _given_up_on(engine, bus)
            assert letter.id is not None
            assert await asyncio.to_thread(_replay, engine, bus, letter.id) == letters.Replayed(letter.id, "applied")
            with pytest.raises(letters.AlreadyReplayed):
                await asyncio.to_thread(_replay, engine, bus, letter.id)
            assert count_effects(engine, "poison") == 1
            [replayed] = dead_letters(engine)
            assert replayed.replayed_at is not None and replayed.body is None  # keep less: the event is dropped
            with UnitOfWork(engine) as db:
                assert db.get(InboxMessage, poison_id) is not None
                entries = db.exec(select(AuditEntry).where(AuditEntry.action == "dead_letter.replayed")).all()
            assert [(e.actor_id, e.targets) for e in entries] == [
                ("coordinator-1", {"letter_id": str(letter.id), "event_id": poison_id, "outcome": "applied"})
            ]

    asyncio.run(scenario())


def test_an_event_applied_meanwhile_is_not_applied_again_by_its_replay(nats: NatsServer, engine: Engine) -> None:
    """The producer sent the event again (past the bus's duplicate window) and the fixed consumer applied
    it; the replay finds it in the inbox and runs no handler."""
    engine = prepare_probe_tables(engine)
    settings = probe_settings(nats.url)

    async def scenario() -> None:
        async with connected_bus(settings) as bus:
            poison_id, letter = await _given_up_on(engine, bus)
            with UnitOfWork(engine) as db:
                sent = db.exec(select(OutboxMessage).where(OutboxMessage.event_id == poison_id)).one()
            await bus.js.publish(sent.subject, sent.body.encode())  # no Nats-Msg-Id: not deduplicated
            async with running(*probe_consumers(engine, bus, settings)):
                await eventually(lambda: count_effects(engine, "poison") == 1)
            assert letter.id is not None
            assert await asyncio.to_thread(_replay, engine, bus, letter.id) == letters.Replayed(letter.id, "duplicate")
            assert count_effects(engine, "poison") == 1

    asyncio.run(scenario())


def test_what_cannot_be_replayed_changes_nothing(nats: NatsServer, engine: Engine) -> None:
    """A letter of unreadable bytes keeps no event; a handler that still fails leaves the letter as it was."""
    engine = prepare_probe_tables(engine)
    settings = probe_settings(nats.url)

    async def scenario() -> None:
        async with connected_bus(settings) as bus:
            _, letter = await _given_up_on(engine, bus)
            assert letter.id is not None
            still_failing = probe_consumers(engine, bus, settings, fail_for="poison")
            with pytest.raises(letters.ReplayFailed, match="cannot apply session poison"), UnitOfWork(engine) as db:
                letters.replay(db, still_failing, letter.id, COORDINATOR)
            with pytest.raises(letters.NotReplayable, match="no longer reads"), UnitOfWork(engine) as db:
                letters.replay(db, [], letter.id, COORDINATOR)
            with pytest.raises(letters.DeadLetterNotFound), UnitOfWork(engine) as db:
                letters.replay(db, still_failing, letter.id + 100, COORDINATOR)
            [kept] = dead_letters(engine)
            assert (kept.replayed_at, kept.body) == (None, letter.body)
            assert count_effects(engine, "poison") == 0

            await bus.js.publish("scheduling.session.cancelled", b"\x00 not an event \xff")
            async with running(*probe_consumers(engine, bus, settings)):
                await eventually(lambda: len(dead_letters(engine)) == 2)
            unreadable = dead_letters(engine)[1]
            assert (unreadable.event_id, unreadable.body) == (None, None)
            assert unreadable.id is not None
            with pytest.raises(letters.NotReplayable, match="kept no event"), UnitOfWork(engine) as db:
                letters.replay(db, probe_consumers(engine, bus, settings), unreadable.id, COORDINATOR)

    asyncio.run(scenario())


def test_dead_letters_are_deleted_after_their_retention_days_replayed_or_not(engine: Engine) -> None:
    """A kept event can hold a booking code or a nickname: BRUG_DEAD_LETTER_RETENTION_DAYS after a letter
    arrived it goes, whether a coordinator replayed it or not; younger ones stay for the coordinator."""
    prepare_probe_tables(engine)
    now = utcnow()
    ages = {"old": 31, "old-replayed": 40, "young": 29, "new": 0}
    with UnitOfWork(engine) as db:
        for seq, (name, days) in enumerate(ages.items(), start=1):
            db.add(
                DeadLetter(
                    consumer="notifier",
                    stream="SCHEDULING",
                    stream_seq=seq,
                    subject=f"scheduling.booking.{name}",
                    reason="the handler failed 5 times",
                    body='{"payload": {"booking_code": "ABCD-2345", "nickname": "Amal"}}',
                    created_at=now - timedelta(days=days),
                    replayed_at=now - timedelta(days=35) if name == "old-replayed" else None,
                )
            )
    assert run_once(engine, now=now, days=30) == 2
    left = sorted(letter.subject for letter in dead_letters(engine))
    assert left == ["scheduling.booking.new", "scheduling.booking.young"]
    assert run_once(engine, now=now, days=30) == 0  # nothing twice


@pytest.mark.parametrize("service", ["scheduler", "notifier", "feedback"])
def test_every_service_deletes_old_dead_letters_from_its_start(
    service: str, nats: NatsServer, engine: Engine, database_url: str
) -> None:
    """The retention loop is every service's (shared.web.create_service_app), not one to remember per app."""
    migrate.upgrade(engine, service)
    with UnitOfWork(engine) as db:
        db.add(
            DeadLetter(
                consumer=service,
                stream="SCHEDULING",
                stream_seq=1,
                subject="scheduling.booking.confirmed",
                reason="the handler failed 5 times",
                created_at=utcnow() - timedelta(days=31),
            )
        )
    settings = SETTINGS[service](nats.url, database_url, Keys())
    with ThreadedServer(import_module(f"{service}.app").create_app(settings)):
        wait_until(lambda: dead_letters(engine) == [], message=f"{service} to delete the month-old letter")
