"""Rescheduling and cancelling: the same checks as planning, a growing revision, one event each."""

from __future__ import annotations

import httpx
import pytest

from tests.scheduler.conftest import Events
from tests.support.clock import EARLY_2026, set_clock
from tests.support.factories import book, make_session, make_venue
from tests.support.servers import ThreadedServer


@pytest.fixture
def scheduler(scheduler: httpx.Client, scheduler_server: ThreadedServer) -> httpx.Client:
    """The coordinator's client, on a scheduler whose clock is set before the fixed dates these tests plan on
    (tests/support/clock.py)."""
    set_clock(scheduler_server.app, EARLY_2026)
    return scheduler


THU = {"starts_at": "2026-12-03T14:00:00+01:00", "ends_at": "2026-12-03T16:00:00+01:00"}


def _patch(client: httpx.Client, session_id: str, **body: object) -> httpx.Response:
    return client.patch(f"/api/v1/sessions/{session_id}", json=body)


def test_each_reschedule_raises_the_revision_by_one_and_emits_it(scheduler: httpx.Client, events: Events) -> None:
    session = make_session(scheduler, **THU)
    assert session["revision"] == 0
    first = _patch(scheduler, session["id"], starts_at="2026-12-03T15:00:00+01:00", ends_at="2026-12-03T17:00:00+01:00")
    assert first.status_code == 200, first.text
    assert (first.json()["revision"], first.json()["starts_at"][:16]) == (1, "2026-12-03T14:00")
    second = _patch(scheduler, session["id"], ends_at="2026-12-03T17:30:00+01:00")
    assert second.json()["revision"] == 2
    assert scheduler.get(f"/api/v1/sessions/{session['id']}").json()["ends_at"][:16] == "2026-12-03T16:30"
    emitted = events("scheduling.session.rescheduled")
    assert [(e["revision"], e["starts_at"][:16], e["ends_at"][:16]) for e in emitted] == [
        (1, "2026-12-03T14:00", "2026-12-03T16:00"),
        (2, "2026-12-03T14:00", "2026-12-03T16:30"),
    ]
    assert emitted[0]["session_id"] == session["id"]
    assert emitted[0]["venue_public_name"] == "Keizersgracht 12"
    assert "internal_title" not in emitted[0]


def test_moving_to_another_venue_carries_its_public_name(scheduler: httpx.Client, events: Events) -> None:
    session = make_session(scheduler, **THU)
    other = make_venue(scheduler, name="Bibliotheek Oost", public_name="Linnaeusstraat 44", address="Linnaeusstraat 44")
    moved = _patch(scheduler, session["id"], venue_id=other["id"], room_id=other["rooms"][0]["id"])
    assert moved.status_code == 200
    assert (moved.json()["venue_id"], moved.json()["room_id"]) == (other["id"], other["rooms"][0]["id"])
    [event] = events("scheduling.session.rescheduled")
    assert (event["venue_public_name"], event["address"], event["revision"]) == (
        "Linnaeusstraat 44",
        "Linnaeusstraat 44",
        1,
    )


def test_a_reschedule_passes_the_same_checks_as_a_new_session(scheduler: httpx.Client, events: Events) -> None:
    hours = [{"weekday": "thu", "opens": "09:00", "closes": "18:00"}]
    venue = make_venue(
        scheduler,
        opening_hours=hours,
        rooms=[{"name": "Room 2", "capacity": 20}, {"name": "Small room", "capacity": 4}],
    )
    session = make_session(scheduler, venue, **THU)
    make_session(
        scheduler,
        venue,
        internal_title="Men's group",
        starts_at="2026-12-03T10:00:00+01:00",
        ends_at="2026-12-03T12:00:00+01:00",
    )

    clash = _patch(scheduler, session["id"], starts_at="2026-12-03T11:00:00+01:00", ends_at="2026-12-03T13:00:00+01:00")
    assert clash.status_code == 409
    assert clash.json()["detail"] == "Room 2 is booked 10:00–12:00 on Thu 3 Dec 2026 by 'Men's group'."
    late = _patch(scheduler, session["id"], ends_at="2026-12-03T19:00:00+01:00")
    assert (late.status_code, late.json()["error"]) == (422, "OutsideOpeningHours")
    small = _patch(scheduler, session["id"], room_id=venue["rooms"][1]["id"])
    assert small.json() == {
        "error": "CapacityTooLarge",
        "detail": "capacity 10 is more than room Small room holds (4).",
    }
    backwards = _patch(scheduler, session["id"], ends_at="2026-12-03T13:00:00+01:00")
    assert (backwards.status_code, backwards.json()["error"]) == (422, "EndsBeforeStart")
    same = _patch(scheduler, session["id"], **THU)
    assert same.json() == {
        "error": "NothingToChange",
        "detail": "The session already has this time, room and venue; nothing was changed.",
    }
    foreign = _patch(scheduler, session["id"], room_id=make_venue(scheduler)["rooms"][0]["id"])
    assert (foreign.status_code, foreign.json()["error"]) == (404, "RoomNotFound")
    assert events("scheduling.session.rescheduled") == []
    overlapping_itself = _patch(
        scheduler, session["id"], starts_at="2026-12-03T13:00:00+01:00", ends_at="2026-12-03T15:00:00+01:00"
    )
    assert overlapping_itself.status_code == 200, overlapping_itself.text


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({}, "give at least one of starts_at, ends_at, room_id, venue_id"),
        ({"venue_id": "x"}, "a new venue_id needs a room_id of that venue"),
        ({"starts_at": "2026-12-03T14:00:00"}, "timezone"),
        ({"status": "cancelled"}, "Extra inputs are not permitted"),
    ],
)
def test_a_bad_reschedule_is_refused_with_the_reason(
    scheduler: httpx.Client, body: dict[str, object], reason: str
) -> None:
    session = make_session(scheduler)
    response = scheduler.patch(f"/api/v1/sessions/{session['id']}", json=body)
    assert response.status_code == 422
    assert reason in response.text


def test_cancelling_closes_the_session_with_a_reason_code(scheduler: httpx.Client, events: Events) -> None:
    session = make_session(scheduler)
    book(scheduler, session["id"])
    url = f"/api/v1/sessions/{session['id']}/cancel"
    cancelled = scheduler.post(url, json={"reason_code": "venue_unavailable"})
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["cancel_reason"]) == ("cancelled", "venue_unavailable")
    assert events("scheduling.session.cancelled") == [{"session_id": session["id"], "reason_code": "venue_unavailable"}]
    again = scheduler.post(url, json={"reason_code": "other"})
    assert again.json() == {"error": "SessionNotOpen", "detail": "This session is cancelled; it takes no more changes."}
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/bookings", json={}).json()["error"] == "SessionNotOpen"
    moved = _patch(scheduler, session["id"], ends_at="2030-01-01T00:00:00+01:00")
    assert moved.status_code == 409


def test_a_cancellation_needs_a_known_reason_code(scheduler: httpx.Client) -> None:
    session = make_session(scheduler)
    response = scheduler.post(f"/api/v1/sessions/{session['id']}/cancel", json={"reason_code": "topic too sensitive"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "reason_code" and "'facilitator_unavailable'" in error["msg"]
    assert scheduler.post("/api/v1/sessions/nope/cancel", json={"reason_code": "other"}).status_code == 404
