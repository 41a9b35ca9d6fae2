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
LINKS = [f"https://feedback.brug.example/f/personal{n}" for n in range(4)]


@pytest.mark.parametrize("completed_first", [True, False])
def test_a_personal_link_goes_to_each_attendee_who_agreed(
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
    ready = InvitationsReady(session_id="s1", feedback_links=LINKS, expires_at=STARTS + timedelta(days=14))
    for event in (completed, ready) if completed_first else (ready, completed):
        apply(notifier_db, settings, event)
    apply(notifier_db, settings, ready)  # redelivered
    apply(notifier_db, settings, completed)
    assert sorted(r.booking_code for r in planned(notifier_db, kind="feedback")) == ["CAME-0001", "CAME-0002"]
    assert planned(notifier_db, kind="reminder", status="pending") == []  # the session is over

    for row in planned(notifier_db, kind="feedback"):
        make_due(notifier_db, row.id)
    sink = tmp_path / "sms.jsonl"
    asyncio.run(Dispatcher(notifier_db, settings, [FileGateway(sink)], lambda: None).dispatch_once())
    sent = [json.loads(line) for line in sink.read_text().splitlines() if "feedback:" in line]
    assert sorted(s["to"] for s in sent) == ["+31611111111", "+31622222222"]
    links = [link for s in sent for link in LINKS if s["body"].endswith(link)]
    assert len(links) == 2 and len(set(links)) == 2, "each its own link, which answers once"


def test_a_session_link_from_an_earlier_feedback_service_still_goes_to_everyone(
    notifier_db: Engine, keys: Keys, tmp_path: Path
) -> None:
    settings = base_settings(keys, quiet_hours="")
    publish(notifier_db, settings, STARTS)
    for n in (1, 2):
        confirm(notifier_db, settings, keys, f"CAME-000{n}", feedback_consent=True, phone=f"+3161111111{n}")
    apply(
        notifier_db,
        settings,
        SessionCompleted(session_id="s1", attendance=2, walk_ins=0, attended_booking_codes=["CAME-0001", "CAME-0002"]),
    )
    shared = "https://feedback.brug.example/f/s/8fK2mQ"
    apply(
        notifier_db,
        settings,
        InvitationsReady(session_id="s1", feedback_link=shared, expires_at=STARTS + timedelta(days=14)),
    )
    for row in planned(notifier_db, kind="feedback"):
        make_due(notifier_db, row.id)
    sink = tmp_path / "sms.jsonl"
    asyncio.run(Dispatcher(notifier_db, settings, [FileGateway(sink)], lambda: None).dispatch_once())
    bodies = [json.loads(line)["body"] for line in sink.read_text().splitlines() if "feedback:" in line]
    assert len(bodies) == 2 and all(body.endswith(shared) for body in bodies)


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
