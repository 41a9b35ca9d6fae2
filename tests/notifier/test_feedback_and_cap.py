"""The feedback link to those who attended and agreed; the daily SMS cap."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from notifier.deliveries.dispatcher import Dispatcher
from notifier.gateways import FileGateway
from shared.events import InvitationsReady, SessionCompleted
from shared.logging import configure_logging
from tests.notifier.events import apply, base_settings, confirm, planned, publish
from tests.notifier.support import make_due
from tests.support.config import Keys

STARTS = datetime.now(UTC) + timedelta(days=7)
LINK = "https://feedback.brug.example/f/s/8fK2mQ"


@pytest.mark.parametrize("completed_first", [True, False])
def test_the_same_link_goes_to_each_attendee_who_agreed(
    notifier_db: Engine, keys: Keys, tmp_path: Path, completed_first: bool
) -> None:
    settings = base_settings(keys, quiet_hours="")
    publish(notifier_db, settings, STARTS)
    confirm(notifier_db, settings, keys, "CAME-0001", feedback_consent=True, phone="+31611111111")
    confirm(notifier_db, settings, keys, "CAME-0002", feedback_consent=True, phone="+31622222222")
    confirm(notifier_db, settings, keys, "CAME-0003", feedback_consent=False)  # came, did not agree
    confirm(notifier_db, settings, keys, "AWAY-0001", feedback_consent=True)  # agreed, did not come
    completed = SessionCompleted(
        session_id="s1", attendance=4, walk_ins=1, attended_booking_codes=["CAME-0001", "CAME-0002", "CAME-0003"]
    )
    ready = InvitationsReady(session_id="s1", feedback_link=LINK, expires_at=STARTS + timedelta(days=14))
    for event in (completed, ready) if completed_first else (ready, completed):
        apply(notifier_db, settings, event)
    apply(notifier_db, settings, ready)  # redelivered
    assert sorted(r.booking_code for r in planned(notifier_db, kind="feedback")) == ["CAME-0001", "CAME-0002"]
    assert planned(notifier_db, kind="reminder", status="pending") == []  # the session is over

    for row in planned(notifier_db, kind="feedback"):
        make_due(notifier_db, row.id)
    sink = tmp_path / "sms.jsonl"
    asyncio.run(Dispatcher(notifier_db, settings, [FileGateway(sink)], lambda: None).dispatch_once())
    sent = [json.loads(line) for line in sink.read_text().splitlines() if "feedback:" in line]
    assert sorted(s["to"] for s in sent) == ["+31611111111", "+31622222222"]
    assert all(s["body"].endswith(LINK) for s in sent)
    assert len({s["body"] for s in sent}) == 1  # one link for everyone, never a personal token


def test_beyond_the_daily_cap_sms_wait_and_it_is_logged_without_personal_data(
    notifier_db: Engine, keys: Keys, tmp_path: Path
) -> None:
    buffer = io.StringIO()
    configure_logging("notifier", level="INFO", stream=buffer)
    settings = base_settings(keys, quiet_hours="", sms_daily_cap=2)
    publish(notifier_db, settings, STARTS)
    for n in range(3):
        confirm(notifier_db, settings, keys, f"CAPS-000{n}", phone=f"+3161234567{n}")
    sink = tmp_path / "sms.jsonl"
    dispatcher = Dispatcher(notifier_db, settings, [FileGateway(sink)], lambda: None)
    assert asyncio.run(dispatcher.dispatch_once()) == 2
    assert asyncio.run(dispatcher.dispatch_once()) == 0
    assert len(sink.read_text().splitlines()) == 2
    [waiting] = planned(notifier_db, kind="confirmation", status="pending")
    assert waiting.attempts == 0
    logs = buffer.getvalue()
    assert logs.count("notifier.sms.daily_cap_reached") == 1 and '"level": "error"' in logs
    assert "+316" not in logs and "CAPS-" not in logs
