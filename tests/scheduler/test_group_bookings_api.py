"""Group bookings: an ambassador takes seats for the people they bring, a headcount and nothing personal."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from shared.tls import client_context
from tests.scheduler.conftest import Events
from tests.support.clock import until_started
from tests.support.factories import book, make_session, make_user, signed_in
from tests.support.servers import ThreadedServer


def _group(client: httpx.Client, session_id: str, **body: Any) -> httpx.Response:
    return client.post(f"/api/v1/sessions/{session_id}/group-bookings", json={"languages": ["ar"], **body})


def test_an_ambassador_books_a_group_that_shares_the_capacity_with_single_bookings(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    amal = make_user(scheduler, "ambassador")
    session = make_session(scheduler, capacity=5, ambassador_ids=[amal["id"]])
    with scheduler_server.client() as client:
        ambassador = signed_in(client, amal["email"])
        made = _group(ambassador, session["id"], headcount=3, languages=["ar", "ku"], interpreter_needed=True)
        assert made.status_code == 201, made.text
        group = made.json()
        assert group["booked_by"] == amal["id"]
        assert (group["headcount"], group["languages"], group["interpreter_needed"]) == (3, ["ar", "ku"], True)
        assert [b["status"] for b in (book(client, session["id"]) for _ in range(3))] == [
            "confirmed",
            "confirmed",
            "waitlisted",
        ]
        too_many = _group(ambassador, session["id"], headcount=1)
        listed = ambassador.get(f"/api/v1/sessions/{session['id']}/group-bookings").json()
    assert too_many.status_code == 409
    assert too_many.json() == {
        "error": "NotEnoughSeats",
        "detail": "Only 0 of 5 seats are left; book a group of 0 or fewer, or ask a coordinator about a larger room.",
    }
    shown = scheduler.get(f"/api/v1/sessions/{session['id']}").json()
    assert (shown["confirmed"], shown["group_seats"], shown["waitlisted"], shown["seats_left"]) == (2, 3, 1, 0)
    assert [g["id"] for g in listed] == [group["id"]]


def test_cancelling_a_group_gives_its_seats_to_the_waitlist(scheduler: httpx.Client, events: Events) -> None:
    session = make_session(scheduler, capacity=3)
    group = _group(scheduler, session["id"], headcount=2).json()
    book(scheduler, session["id"])
    waiting = [book(scheduler, session["id"]) for _ in range(3)]
    assert [w["status"] for w in waiting] == ["waitlisted"] * 3
    url = f"/api/v1/sessions/{session['id']}/group-bookings/{group['id']}/cancel"
    cancelled = scheduler.post(url)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    promoted = [e["booking_code"] for e in events("scheduling.booking.confirmed") if e["promoted"]]
    assert promoted == [waiting[0]["code"], waiting[1]["code"]]
    shown = scheduler.get(f"/api/v1/sessions/{session['id']}").json()
    assert (shown["confirmed"], shown["group_seats"], shown["waitlisted"]) == (3, 0, 1)
    again = scheduler.post(url)
    assert again.status_code == 409 and again.json()["error"] == "GroupAlreadyCancelled"
    other = make_session(scheduler)
    elsewhere = scheduler.post(f"/api/v1/sessions/{other['id']}/group-bookings/{group['id']}/cancel")
    assert elsewhere.status_code == 404 and elsewhere.json()["error"] == "GroupBookingNotFound"


def test_the_people_a_group_brings_count_in_the_attendance(
    scheduler: httpx.Client, scheduler_server: ThreadedServer, events: Events
) -> None:
    session = make_session(scheduler, capacity=10)
    base = f"/api/v1/sessions/{session['id']}"
    whole, partly = (
        _group(scheduler, session["id"], headcount=3).json(),
        _group(scheduler, session["id"], headcount=4).json(),
    )
    code = book(scheduler, session["id"])["code"]
    assert scheduler.post(f"{base}/group-bookings/{whole['id']}/check-in", json={}).json()["present"] == 3
    over = scheduler.post(f"{base}/group-bookings/{partly['id']}/check-in", json={"present": 5})
    assert over.status_code == 422 and over.json()["error"] == "TooManyPresent"
    assert "present (5) is more than the group's headcount (4)" in over.json()["detail"]
    assert scheduler.post(f"{base}/group-bookings/{partly['id']}/check-in", json={"present": 2}).status_code == 200
    counted = scheduler.post(f"{base}/check-ins", json={"booking_code": code, "walk_ins": 1}).json()
    assert counted == {"checked_in": 1, "walk_ins": 1}
    groups = scheduler.get(f"{base}/group-bookings").json()
    assert [(g["headcount"], g["present"]) for g in groups] == [(3, 3), (4, 2)]
    until_started(scheduler_server.app, session)
    completed = scheduler.post(f"{base}/complete").json()
    assert (completed["attendance"], completed["group_attendees"]) == (7, 5)
    [event] = events("scheduling.session.completed")
    assert (event["attendance"], event["walk_ins"], event["attended_booking_codes"]) == (7, 1, [code])


def test_no_group_is_booked_once_the_session_has_started(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    """As an attendee's registration, a group's seats close at the start (before: 201 after the start)."""
    session = make_session(scheduler, capacity=10)
    until_started(scheduler_server.app, session)
    late = _group(scheduler, session["id"], headcount=2)
    assert late.status_code == 409 and late.json()["error"] == "BookingsClosed"
    assert "closed when it started" in late.json()["detail"]
    assert scheduler.get(f"/api/v1/sessions/{session['id']}").json()["group_seats"] == 0


def test_only_the_sessions_ambassadors_and_coordinators_book_groups(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    session = make_session(scheduler)
    other = make_user(scheduler, "ambassador")
    with scheduler_server.client() as anonymous, scheduler_server.client() as client:
        assert _group(anonymous, session["id"], headcount=2).status_code == 401
        refused = _group(signed_in(client, other["email"]), session["id"], headcount=2)
    assert refused.status_code == 403 and refused.json()["error"] == "NotYourSession"
    assert _group(scheduler, "nope", headcount=2).status_code == 404


BAD_GROUPS: list[tuple[dict[str, Any], str, str]] = [
    ({"headcount": 0}, "headcount", "greater than or equal to 1"),
    ({"headcount": "many"}, "headcount", "valid integer"),
    ({"headcount": 2, "languages": []}, "languages", "at least 1 item"),
    ({"headcount": 2, "languages": ["arabic"]}, "languages", "'arabic' is not a BCP 47 language code"),
    ({"headcount": 2, "names": ["Amal"]}, "names", "Extra inputs are not permitted"),
    ({"headcount": 2, "phone": "0612345678"}, "phone", "Extra inputs are not permitted"),
]


def test_a_bad_group_booking_names_the_field(scheduler: httpx.Client) -> None:
    session = make_session(scheduler)
    for body, field, reason in BAD_GROUPS:
        response = _group(scheduler, session["id"], **body)
        assert response.status_code == 422, body
        [error] = response.json()["detail"]
        assert (error["loc"], reason in error["msg"]) == (["body", field], True), (body, error)
    assert scheduler.get(f"/api/v1/sessions/{session['id']}/group-bookings").json() == []


def test_groups_and_single_bookings_together_never_exceed_capacity(scheduler: httpx.Client) -> None:
    session = make_session(scheduler, capacity=20)
    base = str(scheduler.base_url).rstrip("/")
    token = scheduler.headers["Authorization"]

    def attempt(number: int) -> tuple[str, int, str]:
        if number % 10 == 0:
            url = f"{base}/api/v1/sessions/{session['id']}/group-bookings"
            response = httpx.post(
                url,
                json={"headcount": 4, "languages": ["ar"]},
                headers={"Authorization": token},
                timeout=60,
                verify=client_context(),
            )
            return "group", response.status_code, response.json().get("status", "")
        response = httpx.post(
            f"{base}/api/v1/sessions/{session['id']}/bookings", json={}, timeout=60, verify=client_context()
        )
        return "single", response.status_code, response.json().get("status", "")

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(attempt, range(30)))
    groups = [code for kind, code, _ in outcomes if kind == "group"]
    assert set(groups) <= {201, 409}
    assert {code for kind, code, _ in outcomes if kind == "single"} == {201}
    singles = sum(kind == "single" and status == "confirmed" for kind, _, status in outcomes)
    assert singles + 4 * groups.count(201) == 20
    shown = scheduler.get(f"/api/v1/sessions/{session['id']}").json()
    assert (shown["confirmed"], shown["group_seats"], shown["seats_left"]) == (singles, 4 * groups.count(201), 0)


def test_the_attendee_page_counts_group_seats_among_the_places_taken(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    """Before: a session of 5 with a group of 3 and one booking said "Places left: 4", and once groups had
    filled it the page still offered places while the next registration went onto the waiting list."""
    session = make_session(scheduler, capacity=5)
    assert _group(scheduler, session["id"], headcount=3).status_code == 201
    book(scheduler, session["id"])
    with scheduler_server.client() as anonymous:
        assert "Places left: 1" in anonymous.get(f"/s/{session['id']}?lang=en").text
        assert _group(scheduler, session["id"], headcount=1).status_code == 201
        full = anonymous.get(f"/s/{session['id']}?lang=en").text
    assert "Places left" not in full
    assert "The meeting is full. You can join the waiting list." in full
