"""NATS stopped for 10 s and restarted: nothing lost, services recover without a restart."""

from __future__ import annotations

import time

from tests.support.clock import until_started
from tests.support.factories import book, make_session
from tests.support.servers import wait_until
from tests.support.system import System


def _all_report(system: System, status: int) -> bool:
    return all(s.readyz().status_code == status for s in system.services.values())


def test_services_ride_out_a_nats_outage_and_deliver_everything_afterwards(system: System) -> None:
    scheduler = system.client("scheduler")
    session = make_session(scheduler)
    book(scheduler, session["id"], phone="+31 6 11111111", locale="en")
    wait_until(lambda: len(system.sms()) == 1, message="the first SMS")

    system.nats.stop()
    stopped_at = time.monotonic()
    wait_until(lambda: _all_report(system, 503), timeout=10, message="every /readyz to say 503")
    body = system.services["notifier"].readyz().json()
    assert body["status"] == "unavailable"
    assert any(problem.startswith("nats: not connected") for problem in body["problems"])

    during = book(scheduler, session["id"], phone="+31 6 22222222", locale="en")  # the outbox keeps it
    assert (
        scheduler.post(f"/api/v1/sessions/{session['id']}/check-ins", json={"booking_code": during["code"]}).status_code
        == 200
    )
    until_started(system.clock, session)
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/complete").status_code == 200
    time.sleep(max(0.0, 10 - (time.monotonic() - stopped_at)))
    assert len(system.sms()) == 1

    system.nats.start()
    wait_until(lambda: _all_report(system, 200), timeout=30, message="every /readyz to say 200 again")
    messages = wait_until(lambda: len(system.sms()) == 2 and system.sms(), timeout=30, message="the second SMS")
    assert messages[1]["to"] == "+31622222222"
    assert during["code"] in messages[1]["body"]
    tokens = "SELECT count(*) FROM feedback_token WHERE session_id = :s AND NOT link"
    assert wait_until(lambda: system.scalar("feedback", tokens, s=session["id"]), message="tokens") == 1
    # the relay marks rows sent after JetStream's ack, which can land after a consumer already applied them
    unsent = "SELECT count(*) FROM outbox WHERE sent_at IS NULL"
    wait_until(lambda: system.scalar("scheduler", unsent) == 0, timeout=30, message="an empty outbox")
    for service in system.services.values():
        assert service.process is not None and service.process.poll() is None, f"{service.name} restarted"
