"""A completion undone in time: the scheduler reopens the session and the feedback service, told by
scheduling.session.reopened over the bus, withdraws the cards it had minted for it."""

from __future__ import annotations

from tests.support.clock import until_started
from tests.support.factories import make_session
from tests.support.servers import wait_until
from tests.support.system import System

TOKENS = "SELECT count(*) FROM feedback_token WHERE session_id = :id"


def test_an_undone_completion_withdraws_the_unused_cards(system: System) -> None:
    scheduler = system.client("scheduler")
    session = make_session(scheduler)
    until_started(system.clock, session)
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/check-ins", json={"walk_ins": 3}).status_code == 200
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/complete").status_code == 200
    wait_until(lambda: system.scalar("feedback", TOKENS, id=session["id"]) == 6, message="three cards, three links")

    reopened = scheduler.post(f"/api/v1/sessions/{session['id']}/reopen")
    assert reopened.status_code == 200 and reopened.json()["status"] == "published"
    wait_until(lambda: system.scalar("feedback", TOKENS, id=session["id"]) == 0, message="the cards withdrawn")
