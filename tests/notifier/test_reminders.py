"""Reminders and the other event-driven messages: planned durably, re-planned, withdrawn, sent once."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from notifier.deliveries import service
from notifier.deliveries.dispatcher import Dispatcher
from notifier.gateways import FileGateway
from notifier.recipients.models import SessionCopy
from notifier.reminders.schedule import QuietHours
from shared.events import BookingCancelled, BookingWaitlisted, SessionCancelled, SessionRescheduled
from shared.sealing import seal
from shared.unit_of_work import UnitOfWork
from tests.notifier.events import apply, base_settings, confirm, planned, publish
from tests.notifier.support import make_due
from tests.support.config import Keys

NOW = datetime.now(UTC).replace(microsecond=0)
#: a week ahead at 14:00 UTC (15:00 or 16:00 in Amsterdam): both reminders fall outside the quiet hours.
STARTS = (NOW + timedelta(days=7)).replace(hour=14, minute=0, second=0)


def test_a_confirmation_plans_one_reminder_per_offset_and_channel(notifier_db: Engine, keys: Keys) -> None:
    settings = base_settings(keys)
    publish(notifier_db, settings, STARTS)
    confirm(notifier_db, settings, keys, "AAAA-1111")
    confirm(notifier_db, settings, keys, "AAAA-1111")  # a redelivered event changes nothing
    rows = planned(notifier_db, booking_code="AAAA-1111")
    assert [(r.kind, r.channel) for r in rows] == [("confirmation", "sms"), ("reminder", "sms"), ("reminder", "sms")]
    assert [r.due_at for r in rows[1:]] == [STARTS - timedelta(hours=24), STARTS - timedelta(hours=2)]


def test_no_channel_means_nothing_at_all(notifier_db: Engine, keys: Keys) -> None:
    settings = base_settings(keys)
    publish(notifier_db, settings, STARTS)
    confirm(notifier_db, settings, keys, "NONE-0000", channels=[])
    confirm(notifier_db, settings, keys, "NONE-0001", channels=["sms"], phone=None)  # nothing sealed
    assert planned(notifier_db) == []


def test_a_late_booking_gets_no_stale_reminder(notifier_db: Engine, keys: Keys) -> None:
    settings = base_settings(keys, quiet_hours="")
    publish(notifier_db, settings, NOW + timedelta(hours=5))
    confirm(notifier_db, settings, keys, "LATE-0001")
    assert [r.kind for r in planned(notifier_db)] == ["confirmation", "reminder"]  # the 2 h one only


def test_a_reschedule_replans_reminders_and_tells_each_booking_once(notifier_db: Engine, keys: Keys) -> None:
    settings = base_settings(keys)
    publish(notifier_db, settings, STARTS)
    confirm(notifier_db, settings, keys, "MOVE-0001")
    later = STARTS + timedelta(days=1)
    moved = SessionRescheduled(
        session_id="s1",
        revision=2,
        venue_public_name="Keizersgracht 12",
        address="Keizersgracht 12",
        starts_at=later,
        ends_at=later + timedelta(hours=2),
        timezone="Europe/Amsterdam",
    )
    apply(notifier_db, settings, moved)
    apply(notifier_db, settings, moved)  # redelivered
    stale = moved.model_copy(update={"revision": 1, "starts_at": STARTS - timedelta(days=3)})
    apply(notifier_db, settings, stale)  # an older revision arriving late is ignored
    reminders = planned(notifier_db, kind="reminder")
    assert [r.due_at for r in reminders] == [later - timedelta(hours=24), later - timedelta(hours=2)]
    assert [r.kind for r in planned(notifier_db, kind="rescheduled")] == ["rescheduled"]


def test_cancellations_withdraw_pending_messages(notifier_db: Engine, keys: Keys) -> None:
    settings = base_settings(keys)
    publish(notifier_db, settings, STARTS)
    confirm(notifier_db, settings, keys, "GONE-0001")
    confirm(notifier_db, settings, keys, "STAY-0001")
    apply(notifier_db, settings, _waitlisted("WAIT-0002", keys))
    confirm(notifier_db, settings, keys, "WAIT-0002", promoted=True)  # promoted before the text went: one message
    assert [r.kind for r in planned(notifier_db, booking_code="WAIT-0002")][0] == "promoted"
    assert planned(notifier_db, kind="waitlisted") == []
    apply(notifier_db, settings, BookingCancelled(booking_code="WAIT-0002", session_id="s1"))
    apply(notifier_db, settings, BookingCancelled(booking_code="GONE-0001", session_id="s1"))
    assert planned(notifier_db, booking_code="GONE-0001") == []
    apply(notifier_db, settings, SessionCancelled(session_id="s1"))
    assert [(r.kind, r.booking_code) for r in planned(notifier_db)] == [("cancelled", "STAY-0001")]


def test_waitlisted_and_promoted_messages(notifier_db: Engine, keys: Keys, tmp_path: Path) -> None:
    settings = base_settings(keys)
    publish(notifier_db, settings, STARTS)
    apply(notifier_db, settings, _waitlisted("WAIT-0001", keys))
    sink = tmp_path / "sms.jsonl"
    _dispatch(notifier_db, settings, sink)
    confirm(notifier_db, settings, keys, "WAIT-0001", locale="en", promoted=True)
    assert [r.kind for r in planned(notifier_db, status="pending")][0] == "promoted"
    _dispatch(notifier_db, base_settings(keys, quiet_hours=""), sink)
    bodies = [json.loads(line)["body"] for line in sink.read_text().splitlines()]
    assert bodies[0].startswith("You are number 3 on the waiting list for Thursday meeting")
    assert bodies[1].startswith("A place opened up for you: Thursday meeting")


def test_a_due_reminder_is_sent_once_by_two_notifiers(notifier_db: Engine, keys: Keys, tmp_path: Path) -> None:
    settings = base_settings(keys, quiet_hours="")
    publish(notifier_db, settings, STARTS)
    confirm(notifier_db, settings, keys, "ONCE-0001")
    for row in planned(notifier_db, kind="reminder"):
        make_due(notifier_db, row.id)
    first = service.claim_due(notifier_db, lease_seconds=60, limit=10)
    second = service.claim_due(notifier_db, lease_seconds=60, limit=10)  # the other notifier, at the same time
    assert len(first) == 3 and second == []


def test_a_reminder_due_after_the_session_began_is_skipped(notifier_db: Engine, keys: Keys, tmp_path: Path) -> None:
    settings = base_settings(keys, quiet_hours="")
    publish(notifier_db, settings, NOW + timedelta(hours=3))
    confirm(notifier_db, settings, keys, "DOWN-0001")
    with UnitOfWork(notifier_db) as db:  # the notifier was down until after the start
        copy = db.get(SessionCopy, "s1")
        copy.starts_at = NOW - timedelta(minutes=5)
        db.add(copy)
    for row in planned(notifier_db, kind="reminder"):
        make_due(notifier_db, row.id)
    sink = tmp_path / "sms.jsonl"
    _dispatch(notifier_db, settings, sink)
    [reminder] = planned(notifier_db, kind="reminder")
    assert reminder.status == "skipped" and "begun" in (reminder.last_error or "")
    assert [json.loads(line)["idempotency_key"] for line in sink.read_text().splitlines()] == [
        "confirmation:DOWN-0001:sms"
    ]


def test_an_unasked_for_message_waits_for_the_end_of_the_quiet_hours(notifier_db: Engine, keys: Keys) -> None:
    local_now = datetime.now(ZoneInfo("Europe/Amsterdam"))
    quiet = QuietHours((local_now - timedelta(hours=1)).time(), (local_now + timedelta(hours=1)).time())
    settings = base_settings(keys, quiet_hours=quiet)
    publish(notifier_db, settings, STARTS)
    confirm(notifier_db, settings, keys, "HUSH-0001")
    apply(notifier_db, settings, SessionCancelled(session_id="s1"))
    [cancelled] = planned(notifier_db, kind="cancelled")
    _dispatch(notifier_db, settings, Path("/dev/null"))
    [after] = planned(notifier_db, kind="cancelled")
    assert after.status == "pending" and after.attempts == 0 and after.due_at > cancelled.due_at


def _dispatch(engine: Engine, settings, sink: Path) -> None:  # type: ignore[no-untyped-def]
    dispatcher = Dispatcher(engine, settings, [FileGateway(sink)], wake_relay=lambda: None)
    asyncio.run(dispatcher.dispatch_once())


def _waitlisted(code: str, keys: Keys) -> BookingWaitlisted:
    return BookingWaitlisted(
        booking_code=code,
        session_id="s1",
        position=3,
        locale="en",
        sealed_contact=seal(keys.public, {"phone": "+31612345678"}),
        channels=["sms"],
    )
