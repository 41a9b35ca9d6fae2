"""Planning once, claiming under a lease, reconciling a send that may have happened."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import select

from notifier import models  # noqa: F401 - registers the tables
from notifier.deliveries import service
from notifier.deliveries.dispatcher import Dispatcher
from notifier.deliveries.gateways import FileGateway
from notifier.deliveries.models import Delivery
from notifier.recipients.models import Recipient, SessionCopy
from notifier.settings import NotifierSettings
from shared import migrate
from shared.db import transaction
from shared.sealing import seal
from shared.tables import OutboxMessage
from tests.support.config import Keys

STARTS = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)  # the day clocks go forward in Amsterdam


def _seed(engine: Engine, keys: Keys, code: str = "K7QF-93XA") -> str:
    migrate.upgrade(engine, "notifier")
    with transaction(engine) as db:
        db.add(
            SessionCopy(
                session_id="s1",
                public_title="Thursday meeting",
                venue_public_name="Keizersgracht 12",
                address="Keizersgracht 12",
                starts_at=STARTS,
                ends_at=STARTS + timedelta(hours=2),
                timezone="Europe/Amsterdam",
            )
        )
        db.add(
            Recipient(
                booking_code=code,
                session_id="s1",
                locale="nl",
                channels=["sms"],
                sealed_contact=seal(keys.public, {"phone": "+31612345678"}),
            )
        )
        first = service.plan(db, booking_code=code, session_id="s1", channel="sms", kind="confirmation")
        again = service.plan(db, booking_code=code, session_id="s1", channel="sms", kind="confirmation")
        assert first.id == again.id
        return first.id


def test_planning_twice_sends_once_and_records_the_outcome_with_its_event(
    engine: Engine, keys: Keys, tmp_path: Path
) -> None:
    _seed(engine, keys)
    gateway = FileGateway(tmp_path / "sms.jsonl")
    settings = _settings(keys)
    dispatcher = Dispatcher(engine, settings, gateway, wake_relay=lambda: None)
    assert asyncio.run(dispatcher.dispatch_once()) == 1
    assert asyncio.run(dispatcher.dispatch_once()) == 0
    lines = (tmp_path / "sms.jsonl").read_text().splitlines()
    assert len(lines) == 1 and "+31612345678" in lines[0]
    with transaction(engine) as db:
        delivery = db.exec(select(Delivery)).one()
        assert (delivery.status, delivery.segments, delivery.attempts) == ("sent", 1, 1)
        [event] = db.exec(select(OutboxMessage)).all()
        assert event.subject == "notify.delivery.updated"
        assert "+316" not in event.body


def test_a_send_interrupted_by_a_crash_is_reconciled_not_repeated(engine: Engine, keys: Keys, tmp_path: Path) -> None:
    delivery_id = _seed(engine, keys)
    gateway = FileGateway(tmp_path / "sms.jsonl")
    # a notifier claimed it, the gateway took the message, then the process died before recording it
    [claim] = service.claim_due(engine, lease_seconds=60, limit=10)
    asyncio.run(gateway.send("+31612345678", "body", claim.idempotency_key))
    with transaction(engine) as db:
        delivery = db.get(Delivery, delivery_id)
        delivery.claimed_at = datetime.now(UTC) - timedelta(minutes=5)
        db.add(delivery)

    dispatcher = Dispatcher(engine, _settings(keys), gateway, wake_relay=lambda: None)
    assert asyncio.run(dispatcher.dispatch_once()) == 1
    assert len((tmp_path / "sms.jsonl").read_text().splitlines()) == 1
    with transaction(engine) as db:
        assert db.get(Delivery, delivery_id).status == "sent"


def test_a_live_claim_is_not_taken_by_another_notifier(engine: Engine, keys: Keys) -> None:
    _seed(engine, keys)
    assert len(service.claim_due(engine, lease_seconds=60, limit=10)) == 1
    assert service.claim_due(engine, lease_seconds=60, limit=10) == []


def _settings(keys: Keys) -> NotifierSettings:
    return NotifierSettings(notifier_private_key=keys.private)
