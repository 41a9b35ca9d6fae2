"""Retention: contact details and what names a recipient go BRUG_RETENTION_DAYS after the session ends."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlmodel import select

from notifier.app import create_app
from notifier.deliveries.dispatcher import Dispatcher
from notifier.deliveries.models import Delivery
from notifier.gateways import FileGateway
from notifier.recipients.models import Recipient, SessionCopy
from notifier.retention.service import PURGED_REASON, purge
from notifier.settings import NotifierSettings
from shared.natsserver import NatsServer
from shared.sealing import seal
from shared.unit_of_work import UnitOfWork
from tests.notifier.events import base_settings, confirm, planned, publish
from tests.support.config import Keys, notifier_settings
from tests.support.servers import ThreadedServer, wait_until
from tests.support.tokens import StaffSigner

#: the first session ended two days ago at 15:00 UTC (at least 33 hours ago); the second a week later.
ENDED = (datetime.now(UTC) - timedelta(days=2)).replace(hour=15, minute=0, second=0, microsecond=0)
LATER = ENDED + timedelta(days=8)


def _send(engine: Engine, settings: NotifierSettings, tmp_path: Path) -> None:
    asyncio.run(Dispatcher(engine, settings, [FileGateway(tmp_path / "sms.jsonl")], lambda: None).dispatch_once())


def _files(engine: Engine) -> bytes:
    """The bytes of a SQLite database and its ``-wal`` as a copy of its folder gives them; b"" on PostgreSQL."""
    if engine.url.get_backend_name() != "sqlite":
        return b""
    path = Path(engine.url.database or "")
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def _recipients(engine: Engine) -> dict[str, Recipient]:
    with UnitOfWork(engine) as db:
        return {r.booking_code: r for r in db.exec(select(Recipient)).all()}


def test_contacts_and_delivery_records_go_after_the_retention_days_counts_stay(
    notifier_db: Engine, keys: Keys, tmp_path: Path
) -> None:
    settings = base_settings(keys, quiet_hours="", reminder_offsets="2h")
    publish(notifier_db, settings, ENDED - timedelta(hours=2), session_id="past")
    publish(notifier_db, settings, LATER - timedelta(hours=2), session_id="next")
    confirm(notifier_db, settings, keys, "PAST-0001", session_id="past")
    confirm(notifier_db, settings, keys, "PAST-0002", session_id="past")
    confirm(notifier_db, settings, keys, "NEXT-0001", session_id="next")
    _send(notifier_db, settings, tmp_path)
    with UnitOfWork(notifier_db) as db:  # a booking whose session never reached this notifier
        db.add(
            Recipient(
                booking_code="LOST-0001",
                session_id="unknown",
                locale="nl",
                channels=["sms"],
                sealed_contact=seal(keys.public, {"phone": "+31612345699"}),
                created_at=ENDED,
            )
        )
    sent = {d.booking_code: d for d in planned(notifier_db, kind="confirmation")}
    assert sent["PAST-0001"].status == "sent" and sent["PAST-0001"].gateway_ref

    too_early = purge(notifier_db, days=7, now=ENDED + timedelta(days=7) - timedelta(seconds=1))
    assert (too_early.sessions, too_early.orphans) == (0, 0)
    assert set(_recipients(notifier_db)) == {"PAST-0001", "PAST-0002", "NEXT-0001", "LOST-0001"}

    sms_file = tmp_path / "sms.jsonl"
    past_contact = _recipients(notifier_db)["PAST-0001"].sealed_contact
    assert past_contact and "PAST-0001" in sms_file.read_text()
    done = purge(notifier_db, days=7, now=ENDED + timedelta(days=7), sms_file=sms_file)
    assert (done.sessions, done.recipients, done.orphans, done.session_ids) == (1, 2, 1, ["past"])
    # the development SMS file forgets the purged bookings as the database does (before: it kept them)
    assert "PAST-000" not in sms_file.read_text() and "NEXT-0001" in sms_file.read_text()
    # and no copy of the deleted contact stays in SQLite's files, its write-ahead log included
    assert past_contact.encode() not in _files(notifier_db)
    assert set(_recipients(notifier_db)) == {"NEXT-0001"}
    with UnitOfWork(notifier_db) as db:
        past = db.exec(select(Delivery).where(Delivery.session_id == "past")).all()
        kept = db.exec(select(Delivery).where(Delivery.session_id == "next")).all()
        session = db.get(SessionCopy, "past")
    assert len(past) == 2 and done.deliveries == 2
    for row in past:
        assert row.booking_code == "" and row.gateway_ref is None and row.idempotency_key == f"purged:{row.id}"
        assert row.status == "sent" and row.kind == "confirmation"  # still counted as what it was
    assert session is not None and session.purged_at is not None
    assert {r.booking_code for r in kept} == {"NEXT-0001"} and any(r.status == "pending" for r in kept)

    # a late or replayed event for the purged session stores no contact and plans nothing
    confirm(notifier_db, settings, keys, "PAST-0003", session_id="past")
    assert _recipients(notifier_db)["PAST-0003"].sealed_contact is None
    assert planned(notifier_db, booking_code="PAST-0003") == []
    again = purge(notifier_db, days=7, now=ENDED + timedelta(days=9))
    assert (again.sessions, again.orphans) == (0, 0)

    # a reminder still waiting when its session's time is up is skipped, never sent without a contact
    final = purge(notifier_db, days=0, now=LATER)
    with UnitOfWork(notifier_db) as db:
        rows = db.exec(select(Delivery).where(Delivery.session_id == "next")).all()
    assert final.sessions == 1 and {r.booking_code for r in rows} == {""}
    assert {r.status for r in rows if r.kind == "reminder"} == {"skipped"}
    assert {r.last_error for r in rows if r.kind == "reminder"} == {PURGED_REASON}


def test_the_worker_purges_on_its_own_and_the_summary_keeps_counting(
    nats: NatsServer, database_url: str, notifier_db: Engine, keys: Keys, tmp_path: Path
) -> None:
    settings = base_settings(keys, quiet_hours="")
    publish(notifier_db, settings, ENDED - timedelta(hours=2), session_id="past")
    confirm(notifier_db, settings, keys, "PAST-0001", session_id="past")
    _send(notifier_db, settings, tmp_path)

    signer = StaffSigner()
    jwks = FastAPI()
    jwks.get("/.well-known/jwks.json")(signer.jwks)
    with ThreadedServer(jwks) as keys_server:
        served = notifier_settings(
            nats.url,
            database_url,
            keys,
            scheduler_jwks_url=f"{keys_server.url}/.well-known/jwks.json",
            sms_file_path=tmp_path / "sms.jsonl",
            retention_days=1,
            retention_check_seconds=0.05,
        )
        with ThreadedServer(create_app(served)) as server, server.client() as client:
            wait_until(lambda: "PAST-0001" not in _recipients(notifier_db), message="the retention worker")
            coordinator = signer.headers("coordinator")
            summary = wait_until(
                lambda: (
                    (r := client.get("/api/v1/deliveries/summary", headers=coordinator)).status_code == 200 and r.json()
                ),
                message="the summary",
            )
    assert summary == [
        {"channel": "sms", "kind": "confirmation", "status": "sent", "count": 1, "purged": 1, "segments": 1}
    ]
