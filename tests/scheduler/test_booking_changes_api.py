"""Cancelling bookings frees the seat for the waitlist; an Idempotency-Key makes a retry harmless."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from sqlalchemy import text

from shared.db import make_engine
from shared.tls import client_context
from tests.scheduler.conftest import Events
from tests.support.clock import until_started
from tests.support.factories import book, make_session
from tests.support.servers import ThreadedServer


def _cancel(client: httpx.Client, booking: dict[str, Any]) -> httpx.Response:
    return client.post(f"/api/v1/bookings/{booking['code']}/cancel", params={"token": booking["manage_token"]})


def _shown(client: httpx.Client, booking: dict[str, Any]) -> dict[str, Any]:
    return client.get(f"/api/v1/bookings/{booking['code']}", params={"token": booking["manage_token"]}).json()  # type: ignore[no-any-return]


def test_a_cancelled_seat_goes_to_the_first_on_the_waitlist(scheduler: httpx.Client, events: Events) -> None:
    session = make_session(scheduler, capacity=1)
    seated, first, second = (book(scheduler, session["id"], phone="0612345678") for _ in range(3))
    cancelled = _cancel(scheduler, seated)
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["waitlist_position"]) == ("cancelled", None)
    assert (_shown(scheduler, first)["status"], _shown(scheduler, first)["waitlist_position"]) == ("confirmed", None)
    assert (_shown(scheduler, second)["status"], _shown(scheduler, second)["waitlist_position"]) == ("waitlisted", 1)
    shown = scheduler.get(f"/api/v1/sessions/{session['id']}").json()
    assert (shown["confirmed"], shown["waitlisted"]) == (1, 1)
    assert events("scheduling.booking.cancelled") == [{"booking_code": seated["code"], "session_id": session["id"]}]
    promoted = events("scheduling.booking.confirmed")[-1]
    assert (promoted["booking_code"], promoted["promoted"], promoted["channels"]) == (first["code"], True, ["sms"])
    assert promoted["sealed_contact"]
    # the promotion says of the booking what its registration said (scheduler.bookings.events builds both)
    [registered] = [e for e in events("scheduling.booking.waitlisted") if e["booking_code"] == first["code"]]
    assert {k: promoted[k] for k in registered if k != "position"} == {
        k: v for k, v in registered.items() if k != "position"
    }
    seated_event = events("scheduling.booking.confirmed")[0]
    assert set(seated_event) == set(promoted) and seated_event["promoted"] is False


def test_leaving_the_waitlist_moves_the_others_up_and_promotes_no_one(scheduler: httpx.Client, events: Events) -> None:
    session = make_session(scheduler, capacity=1)
    book(scheduler, session["id"])
    waiting = [book(scheduler, session["id"]) for _ in range(3)]
    assert [w["waitlist_position"] for w in waiting] == [1, 2, 3]
    assert _cancel(scheduler, waiting[0]).status_code == 200
    assert [_shown(scheduler, w)["waitlist_position"] for w in waiting[1:]] == [1, 2]
    assert all(not e["promoted"] for e in events("scheduling.booking.confirmed"))


def test_a_wrong_token_looks_like_an_unknown_code_and_a_second_cancel_says_so(scheduler: httpx.Client) -> None:
    booking = book(scheduler, make_session(scheduler)["id"])
    wrong = scheduler.post(f"/api/v1/bookings/{booking['code']}/cancel", params={"token": "x" * 32})
    unknown = scheduler.post("/api/v1/bookings/AAAA-AAAA/cancel", params={"token": booking["manage_token"]})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    assert _cancel(scheduler, booking).status_code == 200
    again = _cancel(scheduler, booking)
    assert again.status_code == 409
    assert again.json() == {
        "error": "BookingAlreadyCancelled",
        "detail": f"Booking {booking['code']} is already cancelled; nothing else to do.",
    }


def test_a_coordinator_cancels_without_the_token_and_no_one_else_can(
    scheduler: httpx.Client, scheduler_server: Any
) -> None:
    booking = book(scheduler, make_session(scheduler)["id"])
    with scheduler_server.client() as anonymous:
        refused = anonymous.post(f"/api/v1/bookings/{booking['code']}/cancel")
    assert refused.status_code == 401
    assert "Give the booking's token" in refused.json()["detail"]
    done = scheduler.post(f"/api/v1/bookings/{booking['code'].lower().replace('-', ' ')}/cancel")
    assert (done.status_code, done.json()["status"]) == (200, "cancelled")
    assert scheduler.post("/api/v1/bookings/ZZZZ-ZZZZ/cancel").json()["error"] == "BookingNotFound"


def test_cancelling_after_the_session_is_completed_is_refused(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    session = make_session(scheduler)
    booking = book(scheduler, session["id"])
    until_started(scheduler_server.app, session)
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/complete").status_code == 200
    refused = _cancel(scheduler, booking)
    assert (refused.status_code, refused.json()["error"]) == (409, "SessionNotOpen")


def test_a_retried_registration_with_the_same_key_gets_the_first_answer(
    scheduler: httpx.Client, database_url: str
) -> None:
    session = make_session(scheduler, capacity=1)
    url = f"/api/v1/sessions/{session['id']}/bookings"
    key = {"Idempotency-Key": "4b8f0c6e-retry-1"}
    first = scheduler.post(url, json={"locale": "ti", "phone": "0612345678"}, headers=key)
    retry = scheduler.post(url, json={"locale": "ti", "phone": "06 1234 5678"}, headers=key)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert first.json()["status"] == "confirmed"
    assert scheduler.get(f"/api/v1/sessions/{session['id']}").json()["confirmed"] == 1

    other_body = scheduler.post(url, json={"locale": "ar"}, headers=key)
    assert other_body.status_code == 422
    assert other_body.json()["error"] == "IdempotencyKeyReused"
    elsewhere = scheduler.post(f"/api/v1/sessions/{make_session(scheduler)['id']}/bookings", json={}, headers=key)
    assert elsewhere.status_code == 201 and elsewhere.json()["code"] != first.json()["code"]

    engine = make_engine(database_url)
    with engine.begin() as connection:
        stored = connection.execute(text("SELECT key_hash, sealed_response FROM booking_idempotency")).all()
        assert stored and not any(first.json()["manage_token"] in str(row) or "retry-1" in str(row) for row in stored)
        connection.execute(text("UPDATE booking_idempotency SET expires_at = '2000-01-01 00:00:00'"))
    engine.dispose()
    after_a_day = scheduler.post(url, json={"locale": "ti", "phone": "0612345678"}, headers=key)
    assert after_a_day.status_code == 201
    assert (after_a_day.json()["status"], after_a_day.json()["waitlist_position"]) == ("waitlisted", 1)


def test_an_unusable_idempotency_key_is_refused_naming_the_header(scheduler: httpx.Client) -> None:
    session = make_session(scheduler)
    response = scheduler.post(
        f"/api/v1/sessions/{session['id']}/bookings", json={}, headers={"Idempotency-Key": "short"}
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["header", "idempotency-key"] and "at least 8 characters" in error["msg"]


def test_simultaneous_retries_with_one_key_make_one_booking(scheduler: httpx.Client) -> None:
    session = make_session(scheduler)
    url = f"{str(scheduler.base_url).rstrip('/')}/api/v1/sessions/{session['id']}/bookings"

    def attempt(_: int) -> tuple[int, str]:
        response = httpx.post(
            url,
            json={"locale": "so"},
            headers={"Idempotency-Key": "same-key-for-all"},
            timeout=60,
            verify=client_context(),
        )
        return response.status_code, response.json()["code"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = set(pool.map(attempt, range(16)))
    assert len(outcomes) == 1 and next(iter(outcomes))[0] == 201
    assert scheduler.get(f"/api/v1/sessions/{session['id']}").json()["confirmed"] == 1


def test_concurrent_cancellations_and_registrations_never_exceed_capacity(
    scheduler: httpx.Client, database_url: str
) -> None:
    session = make_session(scheduler, capacity=5)
    early = [book(scheduler, session["id"]) for _ in range(15)]
    base = str(scheduler.base_url).rstrip("/")

    def act(n: int) -> int:
        if n < 10:
            booking = early[n]
            url = f"{base}/api/v1/bookings/{booking['code']}/cancel"
            return httpx.post(
                url, params={"token": booking["manage_token"]}, timeout=60, verify=client_context()
            ).status_code
        return httpx.post(
            f"{base}/api/v1/sessions/{session['id']}/bookings", json={}, timeout=60, verify=client_context()
        ).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(act, range(40)))
    assert statuses.count(200) == 10 and statuses.count(201) == 30
    engine = make_engine(database_url)
    with engine.connect() as connection:
        counts = dict(
            connection.execute(
                text("SELECT status, COUNT(*) FROM booking WHERE session_id = :s GROUP BY status"), {"s": session["id"]}
            ).all()
        )
    engine.dispose()
    assert counts == {"confirmed": 5, "waitlisted": 30, "cancelled": 10}
