"""Venues and sessions: what is stored, what is refused and why."""

from __future__ import annotations

import httpx
import pytest

from tests.scheduler.conftest import Events
from tests.support.clock import EARLY_2026, set_clock, until_started
from tests.support.factories import make_session, make_user, make_venue
from tests.support.servers import ThreadedServer


@pytest.fixture
def scheduler(scheduler: httpx.Client, scheduler_server: ThreadedServer) -> httpx.Client:
    """The coordinator's client, on a scheduler whose clock is set before the fixed dates these tests plan on
    (tests/support/clock.py)."""
    set_clock(scheduler_server.app, EARLY_2026)
    return scheduler


def test_a_session_is_stored_in_utc_and_shown_with_its_venue_zone(scheduler: httpx.Client) -> None:
    session = make_session(scheduler, starts_at="2026-03-29T01:30:00+01:00", ends_at="2026-03-29T04:00:00+02:00")
    shown = scheduler.get(f"/api/v1/sessions/{session['id']}").json()
    assert shown["starts_at"].startswith("2026-03-29T00:30:00")  # UTC
    assert shown["ends_at"].startswith("2026-03-29T02:00:00")
    assert shown["timezone"] == "Europe/Amsterdam"
    assert shown["status"] == "published"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        (
            {"ends_at": "2026-12-01T10:00:00+01:00", "starts_at": "2026-12-01T12:00:00+01:00"},
            "ends_at must be after starts_at",
        ),
        ({"languages": ["arabic"]}, "'arabic' is not a BCP 47 language code"),
        ({"starts_at": "2026-12-01T12:00:00"}, "timezone"),
        ({"audience": "everyone"}, "'open', 'women', 'men', 'lgbtqi', 'youth' or 'parents'"),
        ({"topics": ["violence"]}, "'violence' is not a topic of the catalogue; use one of health_system,"),
    ],
)
def test_an_invalid_session_is_refused_with_the_reason(
    scheduler: httpx.Client, overrides: dict[str, object], reason: str
) -> None:
    venue = make_venue(scheduler)
    body = {
        "venue_id": venue["id"],
        "room_id": venue["rooms"][0]["id"],
        "starts_at": "2026-12-01T12:00:00+01:00",
        "ends_at": "2026-12-01T14:00:00+01:00",
        "languages": ["ar"],
        "internal_title": "x",
        "public_title": "Meeting",
        "capacity": 5,
        **overrides,
    }
    response = scheduler.post("/api/v1/sessions", json=body)
    assert response.status_code == 422
    assert reason in response.text


def test_capacity_above_the_room_names_the_room(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler, rooms=[{"name": "Small room", "capacity": 6}])
    response = scheduler.post(
        "/api/v1/sessions",
        json={
            "venue_id": venue["id"],
            "room_id": venue["rooms"][0]["id"],
            "starts_at": "2026-12-01T12:00:00+01:00",
            "ends_at": "2026-12-01T14:00:00+01:00",
            "languages": ["so"],
            "internal_title": "x",
            "public_title": "Meeting",
            "capacity": 7,
        },
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": "CapacityTooLarge",
        "detail": "capacity 7 is more than room Small room holds (6).",
    }


def test_a_room_of_another_venue_is_refused(scheduler: httpx.Client) -> None:
    one, other = make_venue(scheduler), make_venue(scheduler, name="Bibliotheek Oost")
    response = scheduler.post(
        "/api/v1/sessions",
        json={
            "venue_id": one["id"],
            "room_id": other["rooms"][0]["id"],
            "starts_at": "2026-12-01T12:00:00+01:00",
            "ends_at": "2026-12-01T14:00:00+01:00",
            "languages": ["so"],
            "internal_title": "x",
            "public_title": "Meeting",
            "capacity": 5,
        },
    )
    assert response.status_code == 404
    assert response.json()["error"] == "RoomNotFound"


def test_an_unknown_time_zone_is_refused_with_an_example(scheduler: httpx.Client) -> None:
    response = scheduler.post(
        "/api/v1/venues",
        json={
            "name": "x",
            "public_name": "x",
            "kind": "library",
            "address": "x",
            "city": "x",
            "timezone": "Amsterdam",
            "rooms": [{"name": "a", "capacity": 3}],
        },
    )
    assert response.status_code == 422
    assert "use an IANA name such as Europe/Amsterdam" in response.text


def test_check_in_refuses_an_unknown_code_and_a_second_check_in(scheduler: httpx.Client) -> None:
    session = make_session(scheduler)
    code = scheduler.post(f"/api/v1/sessions/{session['id']}/bookings", json={}).json()["code"]
    url = f"/api/v1/sessions/{session['id']}/check-ins"
    assert scheduler.post(url, json={"booking_code": "ZZZZ-ZZZZ"}).status_code == 404
    assert scheduler.post(url, json={"booking_code": code}).status_code == 200
    again = scheduler.post(url, json={"booking_code": code})
    assert again.status_code == 409
    assert again.json() == {"error": "AlreadyCheckedIn", "detail": f"Booking {code} is already checked in."}
    assert scheduler.post(url, json={}).status_code == 422


def test_the_published_and_completed_events_name_the_ambassadors(
    scheduler: httpx.Client, scheduler_server: ThreadedServer, events: Events
) -> None:
    """The feedback service learns from them who may print a session's feedback cards."""
    ambassador = make_user(scheduler, "ambassador")
    session = make_session(scheduler, ambassador_ids=[ambassador["id"]])
    until_started(scheduler_server.app, session)
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/complete").status_code == 200
    [published] = events("scheduling.session.published")
    [completed] = events("scheduling.session.completed")
    assert published["ambassador_ids"] == completed["ambassador_ids"] == [ambassador["id"]]
