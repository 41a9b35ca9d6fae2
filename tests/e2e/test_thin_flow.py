"""Booking → confirmation SMS → check-in → completion → feedback tokens, across real processes; and a
completion undone in time, whose unused cards the feedback service withdraws."""

from __future__ import annotations

import httpx
import pytest

from feedback.tokens.minting import derive_token, hash_token
from shared.tls import client_context
from tests.support.clock import until_started
from tests.support.factories import book, make_session
from tests.support.servers import wait_until
from tests.support.system import System

SENSITIVE = ("sexual", "violence", "geweld", "abuse", "gbv", "victim", "help")
AMAL = "+31612345678"


@pytest.fixture
def system(shared_system: System) -> System:
    """One system for this module's tests: each makes its own session and looks only at its own texts."""
    return shared_system


def test_a_booking_is_confirmed_by_sms_and_a_completed_session_gets_feedback_tokens(system: System) -> None:
    scheduler = system.client("scheduler")
    session = make_session(scheduler)
    booking = book(scheduler, session["id"], phone="06 12345678", locale="nl", nickname="Amal")
    assert booking["status"] == "confirmed"

    [sms] = wait_until(lambda: system.sms_to(AMAL), message="the confirmation SMS")
    assert booking["code"] in sms["body"]
    assert "Thursday afternoon meeting" in sms["body"]
    assert "Keizersgracht 12" in sms["body"]
    assert not any(word in sms["body"].lower() for word in SENSITIVE), sms["body"]

    assert (
        scheduler.post(
            f"/api/v1/sessions/{session['id']}/check-ins",
            json={"booking_code": booking["code"].lower().replace("-", " ")},
        ).status_code
        == 200
    )
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/check-ins", json={"walk_ins": 2}).json() == {
        "checked_in": 1,
        "walk_ins": 2,
    }
    until_started(system.clock, session)
    completion = scheduler.post(f"/api/v1/sessions/{session['id']}/complete")
    assert completion.json()["attendance"] == 3

    minted = wait_until(
        lambda: system.scalar(
            "feedback", "SELECT count(*) FROM feedback_token WHERE session_id = :s AND NOT link", s=session["id"]
        ),
        message="feedback tokens",
    )
    assert minted == 3  # one card per person counted, no spare ones
    secret = system.keys.token_secret
    first = hash_token(secret, derive_token(secret, session["id"], 0))
    assert system.scalar("feedback", "SELECT count(*) FROM feedback_token WHERE token_hash = :h", h=first) == 1

    # the scheduler never stored a readable contact; no log line shows one
    assert system.scalar("scheduler", "SELECT count(*) FROM booking WHERE sealed_contact LIKE '%612345678%'") == 0
    assert "612345678" not in system.logs()
    assert "1234 5678" not in system.logs()

    # a second completion is refused, not repeated
    again = scheduler.post(f"/api/v1/sessions/{session['id']}/complete")
    assert again.status_code == 409
    assert again.json()["error"] == "SessionNotOpen"
    assert len(system.sms_to(AMAL)) == 1


def test_a_staff_token_from_the_scheduler_is_honoured_by_the_feedback_service(system: System) -> None:
    """The feedback service checks the token with the key the scheduler publishes, nothing shared."""
    scheduler = system.client("scheduler")
    session = make_session(scheduler)
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/check-ins", json={"walk_ins": 6}).status_code == 200
    until_started(system.clock, session)
    scheduler.post(f"/api/v1/sessions/{session['id']}/complete")
    feedback = system.client("feedback")
    url = f"/api/v1/reports/sessions/{session['id']}"
    signed_in = {"Authorization": scheduler.headers["Authorization"]}
    assert feedback.get(url).status_code == 401
    as_coordinator = wait_until(
        lambda: (r := feedback.get(url, headers=signed_in)).status_code == 409 and r,
        message="the completed session to reach the feedback service",
    )
    assert as_coordinator.json()["error"] == "ReportNotReady"  # signed in and allowed; the window is still open
    forged = feedback.get(url, headers={"Authorization": "Bearer " + scheduler.headers["Authorization"][7:-4] + "AAAA"})
    assert forged.status_code == 401


def test_the_booking_link_offers_a_calendar_invite_that_the_notifier_serves(system: System) -> None:
    """The scheduler signs the link with the secret both hold; the notifier serves the .ics for it."""
    scheduler = system.client("scheduler")
    session = make_session(scheduler)
    created = book(scheduler, session["id"], locale="ar")
    assert created["invite_url"].startswith(system.services["notifier"].url)
    shown = scheduler.get(f"/api/v1/bookings/{created['code']}", params={"token": created["manage_token"]}).json()
    assert shown["invite_url"] == created["invite_url"]
    invite = wait_until(
        lambda: (r := httpx.get(created["invite_url"], timeout=10, verify=client_context())).status_code == 200 and r,
        message="the notifier to know the booking",
    )
    assert invite.headers["content-type"].startswith("text/calendar")
    assert "METHOD:PUBLISH" in invite.text and "Thursday afternoon meeting" in invite.text
    assert not any(word in invite.text.lower() for word in SENSITIVE)
    tampered = created["invite_url"][:-4] + "AAAA"
    assert httpx.get(tampered, timeout=10, verify=client_context()).status_code == 404


def test_an_undone_completion_withdraws_the_unused_cards(system: System) -> None:
    """The scheduler reopens the session and the feedback service, told by scheduling.session.reopened
    over the bus, withdraws the cards it had minted for it."""
    tokens = "SELECT count(*) FROM feedback_token WHERE session_id = :id"
    scheduler = system.client("scheduler")
    session = make_session(scheduler)
    until_started(system.clock, session)
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/check-ins", json={"walk_ins": 3}).status_code == 200
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/complete").status_code == 200
    wait_until(lambda: system.scalar("feedback", tokens, id=session["id"]) == 6, message="three cards, three links")

    reopened = scheduler.post(f"/api/v1/sessions/{session['id']}/reopen")
    assert reopened.status_code == 200 and reopened.json()["status"] == "published"
    wait_until(lambda: system.scalar("feedback", tokens, id=session["id"]) == 0, message="the cards withdrawn")
