"""Clashes: a room or an ambassador holds one session at a time, with a buffer between sessions."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from scheduler.app import create_app
from shared.natsserver import NatsServer
from tests.support.clock import EARLY_2026, set_clock
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD, Keys, scheduler_settings
from tests.support.factories import make_session, make_user, make_venue, signed_in
from tests.support.servers import ThreadedServer


@pytest.fixture
def scheduler(scheduler: httpx.Client, scheduler_server: ThreadedServer) -> httpx.Client:
    """The coordinator's client, on a scheduler whose clock is set before the fixed dates these tests plan on
    (tests/support/clock.py)."""
    set_clock(scheduler_server.app, EARLY_2026)
    return scheduler


def _at(start: str, end: str, day: str = "2026-12-03") -> dict[str, str]:
    return {"starts_at": f"{day}T{start}:00+01:00", "ends_at": f"{day}T{end}:00+01:00"}


def _attempt(client: httpx.Client, venue: dict[str, Any], **overrides: Any) -> httpx.Response:
    body = {
        "venue_id": venue["id"],
        "room_id": venue["rooms"][0]["id"],
        "languages": ["ti"],
        "internal_title": "Second group",
        "public_title": "Meeting",
        "capacity": 5,
        **overrides,
    }
    return client.post("/api/v1/sessions", json=body)


def test_the_same_room_at_an_overlapping_time_is_refused_naming_the_other_session(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    make_session(scheduler, venue, internal_title="Women's group", **_at("14:00", "16:00"))
    refused = _attempt(scheduler, venue, **_at("15:00", "17:00"))
    assert refused.status_code == 409
    assert refused.json() == {
        "error": "SessionClash",
        "detail": "Room 2 is booked 14:00–16:00 on Thu 3 Dec 2026 by 'Women's group'.",
    }
    assert len(scheduler.get("/api/v1/sessions").json()) == 1


def test_the_buffer_keeps_sessions_apart_and_says_so(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    make_session(scheduler, venue, internal_title="Women's group", **_at("14:00", "16:00"))
    too_close = _attempt(scheduler, venue, **_at("16:10", "17:00"))
    assert too_close.status_code == 409
    assert too_close.json()["detail"] == (
        "Room 2 is booked 14:00–16:00 on Thu 3 Dec 2026 by 'Women's group'; "
        "sessions in one room or with one ambassador need 15 minutes between them."
    )
    before = _attempt(scheduler, venue, **_at("11:00", "13:50"))
    assert before.status_code == 409
    assert _attempt(scheduler, venue, **_at("16:15", "17:00")).status_code == 201
    assert _attempt(scheduler, venue, **_at("12:00", "13:45")).status_code == 201


def test_another_room_of_the_same_venue_is_free(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler, rooms=[{"name": "Room 2", "capacity": 10}, {"name": "Room 3", "capacity": 10}])
    make_session(scheduler, venue, **_at("14:00", "16:00"))
    assert _attempt(scheduler, venue, room_id=venue["rooms"][1]["id"], **_at("14:00", "16:00")).status_code == 201


def test_an_ambassador_cannot_run_two_sessions_at_once_even_in_different_venues(scheduler: httpx.Client) -> None:
    amal = make_user(scheduler, "ambassador", display_name="Amal")
    here, there = make_venue(scheduler), make_venue(scheduler, name="Bibliotheek Oost")
    make_session(scheduler, here, internal_title="Women's group", ambassador_ids=[amal["id"]], **_at("14:00", "16:00"))
    refused = _attempt(scheduler, there, ambassador_ids=[amal["id"]], **_at("16:00", "18:00"))
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "Amal runs 'Women's group' 14:00–16:00 on Thu 3 Dec 2026 at Centrum Seksueel Geweld Amsterdam; "
        "sessions in one room or with one ambassador need 15 minutes between them."
    )
    someone_else = make_user(scheduler, "ambassador")
    assert _attempt(scheduler, there, ambassador_ids=[someone_else["id"]], **_at("16:00", "18:00")).status_code == 201


def test_an_ambassador_planning_their_own_session_meets_their_own_clash(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    amal = make_user(scheduler, "ambassador", display_name="Amal")
    with scheduler_server.client() as client:
        ambassador = signed_in(client, amal["email"])
        assert _attempt(ambassador, make_venue(scheduler), **_at("10:00", "12:00")).status_code == 201
        refused = _attempt(ambassador, make_venue(scheduler), **_at("11:00", "12:30"))
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("Amal runs 'Second group' 10:00–12:00 on Thu 3 Dec 2026")


def test_a_cancelled_session_never_clashes(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    first = make_session(scheduler, venue, **_at("14:00", "16:00"))
    assert scheduler.post(f"/api/v1/sessions/{first['id']}/cancel", json={"reason_code": "illness"}).status_code == 200
    assert _attempt(scheduler, venue, **_at("14:00", "16:00")).status_code == 201


def test_times_are_named_in_the_clashing_venues_zone(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler, timezone="Europe/London")
    make_session(scheduler, venue, internal_title="Evening group", **_at("19:00", "21:00"))
    refused = _attempt(scheduler, venue, **_at("20:00", "21:00"))
    assert refused.json()["detail"] == "Room 2 is booked 18:00–20:00 on Thu 3 Dec 2026 by 'Evening group'."


def test_the_buffer_is_a_setting(nats: NatsServer, database_url: str, keys: Keys) -> None:
    settings = scheduler_settings(nats.url, database_url, keys, clash_buffer_minutes=0)
    with ThreadedServer(create_app(settings)) as server, server.client() as client:
        coordinator = signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        set_clock(server.app, EARLY_2026)
        venue = make_venue(coordinator)
        make_session(coordinator, venue, **_at("14:00", "16:00"))
        assert _attempt(coordinator, venue, **_at("16:00", "17:00")).status_code == 201
        assert _attempt(coordinator, venue, **_at("13:00", "14:01")).status_code == 409


@pytest.mark.parametrize("minutes", [-1, 1441])
def test_a_buffer_out_of_range_stops_start_up_naming_the_setting(minutes: int, keys: Keys) -> None:
    with pytest.raises(ValidationError, match="clash_buffer_minutes"):
        scheduler_settings("nats://127.0.0.1:1", "sqlite://", keys, clash_buffer_minutes=minutes)
