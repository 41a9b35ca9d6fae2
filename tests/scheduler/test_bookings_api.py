"""Registering without an account: seats, waitlist, validation, the secret link."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
import pytest

from shared.tls import client_context
from tests.support.clock import until_started
from tests.support.factories import book, make_session
from tests.support.servers import ThreadedServer


def test_seats_are_confirmed_until_full_then_the_waitlist_takes_over(scheduler: httpx.Client) -> None:
    session = make_session(scheduler, capacity=2)
    results = [book(scheduler, session["id"]) for _ in range(4)]
    assert [r["status"] for r in results] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [r["waitlist_position"] for r in results] == [None, None, 1, 2]
    shown = scheduler.get(f"/api/v1/sessions/{session['id']}").json()
    assert (shown["confirmed"], shown["waitlisted"]) == (2, 2)


def test_a_booking_code_is_easy_to_read_aloud(scheduler: httpx.Client) -> None:
    code = book(scheduler, make_session(scheduler)["id"])["code"]
    assert len(code) == 9 and code[4] == "-"
    assert not set(code) & set("01OIL")


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"phone": "12"}, "phone", "not a valid phone number"),
        ({"phone": "call me"}, "phone", "is not a phone number"),
        ({"channels": ["sms"]}, "body", "channel sms needs a phone number"),
        ({"channels": ["invite"], "phone": "0612345678"}, "body", "need an e-mail address"),
        ({"email": "not-an-address"}, "email", "not a valid email address"),
        ({"locale": "Arabic"}, "locale", "is not a language code"),
    ],
)
def test_a_bad_registration_names_the_field_and_the_reason(
    scheduler: httpx.Client, body: dict[str, object], field: str, reason: str
) -> None:
    session = make_session(scheduler)
    response = scheduler.post(f"/api/v1/sessions/{session['id']}/bookings", json=body)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == field or field == "body"
    assert reason in error["msg"]


def test_dutch_numbers_without_country_code_are_accepted_and_nothing_readable_is_returned(
    scheduler: httpx.Client,
) -> None:
    session = make_session(scheduler)
    created = book(scheduler, session["id"], phone="06-12 34 56 78", email="amal@example.org")
    assert "612345678" not in str(created) and "amal" not in str(created)


def test_the_secret_link_shows_the_booking_and_a_wrong_token_looks_like_an_unknown_code(
    scheduler: httpx.Client,
) -> None:
    created = book(scheduler, make_session(scheduler)["id"], phone="0612345678")
    shown = scheduler.get(f"/api/v1/bookings/{created['code']}", params={"token": created["manage_token"]})
    assert shown.status_code == 200
    assert shown.json()["status"] == "confirmed"
    assert shown.json()["channels"] == ["sms"]
    wrong_token = scheduler.get(f"/api/v1/bookings/{created['code']}", params={"token": "x" * 32})
    unknown_code = scheduler.get("/api/v1/bookings/AAAA-AAAA", params={"token": created["manage_token"]})
    assert wrong_token.status_code == unknown_code.status_code == 404
    assert wrong_token.json() == unknown_code.json()
    link = urlsplit(created["manage_url"])  # the booking's page, for a person, not the JSON above
    assert (link.path, link.query) == (f"/b/{created['code']}", f"token={created['manage_token']}")
    page = scheduler.get(f"{link.path}?{link.query}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert created["code"] in page.text


def test_booking_an_unknown_or_closed_session_is_refused_with_a_reason(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    missing = scheduler.post("/api/v1/sessions/nope/bookings", json={})
    assert missing.status_code == 404
    assert missing.json() == {"error": "SessionNotFound", "detail": "No session with id nope."}
    session = make_session(scheduler)
    until_started(scheduler_server.app, session)
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/complete").status_code == 200
    closed = scheduler.post(f"/api/v1/sessions/{session['id']}/bookings", json={})
    assert closed.status_code == 409
    assert closed.json()["error"] == "SessionNotOpen"


def test_concurrent_registrations_never_exceed_capacity(scheduler: httpx.Client) -> None:
    session = make_session(scheduler, capacity=20)
    url = f"{str(scheduler.base_url).rstrip('/')}/api/v1/sessions/{session['id']}/bookings"

    def attempt(_: int) -> tuple[int, str, int | None]:
        response = httpx.post(url, json={"locale": "ti"}, timeout=60, verify=client_context())
        return response.status_code, response.json().get("status", ""), response.json().get("waitlist_position")

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(attempt, range(120)))
    assert {code for code, _, _ in outcomes} == {201}
    assert sum(status == "confirmed" for _, status, _ in outcomes) == 20
    # registrations that arrive together share a transaction and its counts: every place once
    assert sorted(position for _, status, position in outcomes if status == "waitlisted") == list(range(1, 101))


def test_registrations_refused_among_others_at_once_take_no_place(scheduler: httpx.Client) -> None:
    """A retry with a reused key and another body is refused (422) before it writes; the others keep counting."""
    session = make_session(scheduler, capacity=5)
    url = f"{str(scheduler.base_url).rstrip('/')}/api/v1/sessions/{session['id']}/bookings"

    def attempt(i: int) -> tuple[int, str, int | None]:
        headers = {"Idempotency-Key": "one-key-for-many"} if i % 4 == 0 else {}
        response = httpx.post(
            url, json={"locale": "ar", "nickname": f"n{i}"}, headers=headers, timeout=60, verify=client_context()
        )
        answer = response.json()
        return response.status_code, answer.get("status", ""), answer.get("waitlist_position")

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(attempt, range(40)))

    placed = [(status, position) for code, status, position in outcomes if code == 201]
    assert sorted(code for code, _, _ in outcomes) == [201] * 31 + [422] * 9
    assert sum(status == "confirmed" for status, _ in placed) == 5
    assert sorted(position for status, position in placed if status == "waitlisted") == list(range(1, 27))
    listed = scheduler.get(f"/api/v1/sessions/{session['id']}").json()
    assert (listed["confirmed"], listed["waitlisted"]) == (5, 26)


def test_more_registrations_at_once_than_server_threads_all_get_an_answer(scheduler: httpx.Client) -> None:
    """60 at once, beyond the 40 threads that serve plain routes: none waits for a lock a finished one holds."""
    session = make_session(scheduler, capacity=20)
    url = f"{str(scheduler.base_url).rstrip('/')}/api/v1/sessions/{session['id']}/bookings"
    with ThreadPoolExecutor(max_workers=60) as pool:
        outcomes = list(
            pool.map(lambda _: httpx.post(url, json={"locale": "so"}, timeout=25, verify=client_context()), range(60))
        )
    assert {r.status_code for r in outcomes} == {201}
    assert sum(r.json()["status"] == "confirmed" for r in outcomes) == 20
