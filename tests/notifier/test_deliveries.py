"""Planning once, claiming under a lease, reconciling a send that may have happened."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import select

from notifier.deliveries import outcomes, service
from notifier.deliveries.dispatcher import Dispatcher
from notifier.deliveries.models import Delivery
from notifier.gateways import FileGateway, SmsMessage
from notifier.settings import NotifierSettings
from shared.tables import OutboxMessage
from shared.unit_of_work import UnitOfWork
from tests.notifier.support import PHONE, delivery, events, seed
from tests.support.config import Keys


def test_planning_twice_plans_once(notifier_db: Engine, keys: Keys) -> None:
    first = seed(notifier_db, keys)
    with UnitOfWork(notifier_db) as db:
        again = service.plan(db, booking_code="K7QF-93XA", session_id="s1", channel="sms", kind="confirmation")
    assert again == first


def test_planning_twice_sends_once_and_records_the_outcome_with_its_event(
    notifier_db: Engine, keys: Keys, tmp_path: Path
) -> None:
    seed(notifier_db, keys)
    dispatcher = Dispatcher(
        notifier_db, _settings(keys), [FileGateway(tmp_path / "sms.jsonl")], wake_relay=lambda: None
    )
    assert asyncio.run(dispatcher.dispatch_once()) == 1
    assert asyncio.run(dispatcher.dispatch_once()) == 0
    lines = (tmp_path / "sms.jsonl").read_text().splitlines()
    assert len(lines) == 1 and PHONE in lines[0]
    with UnitOfWork(notifier_db) as db:
        row = db.exec(select(Delivery)).one()
        assert (row.status, row.segments, row.attempts, row.gateway, row.in_doubt) == ("sent", 1, 1, "file", False)
        [event] = db.exec(select(OutboxMessage)).all()
        assert event.subject == "notify.delivery.updated"
        assert "+316" not in event.body


def test_a_send_recorded_from_its_claim_announces_what_the_row_would(notifier_db: Engine, keys: Keys) -> None:
    """outcomes.sent_in announces from the claim, without the row: the same event as from the row."""
    seed(notifier_db, keys)
    [claim] = service.claim_due(notifier_db, lease_seconds=60, limit=10)
    outcomes.sent(notifier_db, claim, "file", "ref-1", 2)
    with UnitOfWork(notifier_db) as db:
        service.announce(db, db.exec(select(Delivery)).one())
    from_claim, from_row = events(notifier_db)
    assert from_claim == from_row
    assert (from_claim["status"], from_claim["segments"], from_claim["kind"]) == ("sent", 2, "confirmation")


def test_a_send_interrupted_by_a_crash_is_reconciled_not_repeated(
    notifier_db: Engine, keys: Keys, tmp_path: Path
) -> None:
    delivery_id = seed(notifier_db, keys)
    gateway = FileGateway(tmp_path / "sms.jsonl")
    # a notifier claimed it, recorded the attempt, the gateway took the message, then the process died
    [claim] = service.claim_due(notifier_db, lease_seconds=60, limit=10)
    outcomes.record_attempt(notifier_db, claim, "file")
    asyncio.run(gateway.send(SmsMessage(PHONE, "body", claim.idempotency_key, delivery_id)))
    with UnitOfWork(notifier_db) as db:
        row = db.get(Delivery, delivery_id)
        row.claimed_at = datetime.now(UTC) - timedelta(minutes=5)
        db.add(row)

    dispatcher = Dispatcher(notifier_db, _settings(keys), [gateway], wake_relay=lambda: None)
    assert asyncio.run(dispatcher.dispatch_once()) == 1
    assert len((tmp_path / "sms.jsonl").read_text().splitlines()) == 1
    assert delivery(notifier_db, delivery_id).status == "sent"


def test_a_claim_that_died_before_calling_any_gateway_is_simply_sent(
    notifier_db: Engine, keys: Keys, tmp_path: Path
) -> None:
    delivery_id = seed(notifier_db, keys)
    service.claim_due(notifier_db, lease_seconds=60, limit=10)  # claimed, then the process died at once
    with UnitOfWork(notifier_db) as db:
        row = db.get(Delivery, delivery_id)
        row.claimed_at = datetime.now(UTC) - timedelta(minutes=5)
        db.add(row)
    dispatcher = Dispatcher(
        notifier_db, _settings(keys), [FileGateway(tmp_path / "sms.jsonl")], wake_relay=lambda: None
    )
    assert asyncio.run(dispatcher.dispatch_once()) == 1
    assert len((tmp_path / "sms.jsonl").read_text().splitlines()) == 1
    assert delivery(notifier_db, delivery_id).attempts == 2


def test_a_live_claim_is_not_taken_by_another_notifier(notifier_db: Engine, keys: Keys) -> None:
    seed(notifier_db, keys)
    assert len(service.claim_due(notifier_db, lease_seconds=60, limit=10)) == 1
    assert service.claim_due(notifier_db, lease_seconds=60, limit=10) == []


def test_a_claim_that_lost_its_lease_writes_nothing(notifier_db: Engine, keys: Keys) -> None:
    delivery_id = seed(notifier_db, keys)
    [old] = service.claim_due(notifier_db, lease_seconds=60, limit=10)
    with UnitOfWork(notifier_db) as db:
        row = db.get(Delivery, delivery_id)
        row.claimed_at = datetime.now(UTC) - timedelta(minutes=5)
        db.add(row)
    [new] = service.claim_due(notifier_db, lease_seconds=60, limit=10)  # another notifier takes over
    assert new.attempts == old.attempts + 1
    try:
        outcomes.sent(notifier_db, old, "file", "file:late", 1)
    except service.LeaseLost:
        pass
    else:
        raise AssertionError("a stale claim recorded an outcome")
    assert delivery(notifier_db, delivery_id).status == "sending"


def _settings(keys: Keys) -> NotifierSettings:
    return NotifierSettings(notifier_private_key=keys.private, optout_hash_key=keys.optout_key)
