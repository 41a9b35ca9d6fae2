"""Changing a venue: only the fields given change, a hidden address stays hidden, attendees hear of a new place."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from shared.db import make_engine
from tests.scheduler.conftest import Events
from tests.support.clock import advance
from tests.support.factories import make_session, make_user, make_venue, signed_in
from tests.support.servers import ThreadedServer

HIDDEN = {"public_name": "Centrum West", "neighbourhood": "Grachtengordel", "address_hidden_until_hours": 24}
RESCHEDULED = "scheduling.session.rescheduled"
NEW_ADDRESS = "Herengracht 300, 1016 CE Amsterdam"


def _patch(client: httpx.Client, venue_id: str, body: dict[str, Any]) -> httpx.Response:
    return client.patch(f"/api/v1/venues/{venue_id}", json=body)


def _starting_in(hours: float) -> dict[str, str]:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=hours)
    return {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat()}


def test_a_venue_keeps_its_accessibility_notes_and_private_entrance(scheduler: httpx.Client) -> None:
    notes = "step-free entrance on the side; lift to floor 2"
    venue = make_venue(scheduler, accessibility_notes=notes, private_entrance=True)
    assert (venue["accessibility_notes"], venue["private_entrance"]) == (notes, True)
    read = scheduler.get(f"/api/v1/venues/{venue['id']}").json()
    assert (read["accessibility_notes"], read["private_entrance"]) == (notes, True)
    plain = make_venue(scheduler)
    assert (plain["accessibility_notes"], plain["private_entrance"]) == (None, False)
    too_long = scheduler.post("/api/v1/venues", json={**_body(), "accessibility_notes": "x" * 1001})
    assert too_long.status_code == 422
    assert too_long.json()["detail"][0]["loc"] == ["body", "accessibility_notes"]


def test_only_the_fields_given_change_and_the_change_is_audited(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler, accessibility_notes="Lift at the back", neighbourhood="Centrum")
    changed = _patch(scheduler, venue["id"], {"name": "CSG Amsterdam", "private_entrance": True})
    assert changed.status_code == 200, changed.text
    after = changed.json()
    assert (after["name"], after["private_entrance"]) == ("CSG Amsterdam", True)
    unchanged = {k: v for k, v in after.items() if k not in ("name", "private_entrance")}
    assert unchanged == {k: v for k, v in venue.items() if k not in ("name", "private_entrance")}
    assert scheduler.get(f"/api/v1/venues/{venue['id']}").json() == after
    [entry] = scheduler.get("/api/v1/audit", params={"action": "venue.updated"}).json()["entries"]
    assert entry["targets"] == {"venue_id": venue["id"]}


def test_an_explicit_null_clears_a_field_that_may_be_empty_and_only_those(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler, accessibility_notes="Lift at the back", **HIDDEN)
    cleared = _patch(
        scheduler, venue["id"], {"accessibility_notes": None, "address_hidden_until_hours": None, "neighbourhood": None}
    )
    assert cleared.status_code == 200, cleared.text
    body = cleared.json()
    assert (body["accessibility_notes"], body["address_hidden_until_hours"], body["neighbourhood"]) == (None,) * 3
    assert body["public_name"] == "Centrum West"
    for field in ("name", "public_name", "kind", "address", "city", "private_entrance"):
        refused = _patch(scheduler, venue["id"], {field: None})
        assert refused.status_code == 422, field
        assert refused.json()["detail"][0]["loc"] == ["body", field]


@pytest.mark.parametrize(
    ("body", "where", "reason"),
    [
        ({}, ["body"], "give at least one of name, public_name, kind, address, city, neighbourhood"),
        ({"timezone": "Europe/London"}, ["body", "timezone"], "Extra inputs are not permitted"),
        ({"rooms": []}, ["body", "rooms"], "Extra inputs are not permitted"),
        ({"accessibility_notes": "x" * 1001}, ["body", "accessibility_notes"], "at most 1000 characters"),
        ({"kind": "castle"}, ["body", "kind"], "'library'"),
    ],
)
def test_a_body_that_changes_nothing_or_too_much_is_refused(
    scheduler: httpx.Client, body: dict[str, Any], where: list[str], reason: str
) -> None:
    venue = make_venue(scheduler)
    response = _patch(scheduler, venue["id"], body)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == where and reason in error["msg"], error


def test_only_coordinators_change_a_venue(scheduler: httpx.Client, scheduler_server: ThreadedServer) -> None:
    venue = make_venue(scheduler)
    for role in ("ambassador", "provider_staff"):
        with scheduler_server.client() as other:
            signed_in(other, make_user(scheduler, role)["email"])
            assert _patch(other, venue["id"], {"name": "Mine now"}).status_code == 403, role
    with scheduler_server.client() as anonymous:
        assert _patch(anonymous, venue["id"], {"name": "Mine now"}).status_code == 401
    assert scheduler.get(f"/api/v1/venues/{venue['id']}").json()["name"] == venue["name"]


def test_an_unknown_venue_is_not_found(scheduler: httpx.Client) -> None:
    missing = _patch(scheduler, "nope", {"name": "Anything"})
    assert missing.status_code == 404 and missing.json()["error"] == "VenueNotFound"


@pytest.mark.parametrize(
    ("start", "change", "reason"),
    [
        ({}, {"address_hidden_until_hours": 24}, "address_hidden_until_hours needs a neighbourhood"),
        (HIDDEN, {"neighbourhood": None}, "address_hidden_until_hours needs a neighbourhood"),
        (HIDDEN, {"public_name": "Keizersgracht 12"}, "public_name is part of the address"),
        (HIDDEN, {"address": "Centrum West 1, Amsterdam"}, "public_name is part of the address"),
        ({"neighbourhood": "Centrum"}, {"address_hidden_until_hours": 24}, "public_name is part of the address"),
    ],
)
def test_a_change_that_would_give_a_hidden_address_away_is_refused_naming_the_field(
    scheduler: httpx.Client, events: Events, start: dict[str, Any], change: dict[str, Any], reason: str
) -> None:
    venue = make_venue(scheduler, **start)
    make_session(scheduler, venue, **_starting_in(72))
    refused = _patch(scheduler, venue["id"], change)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"] == "AddressNotHidden"
    assert reason in refused.json()["detail"]
    assert scheduler.get(f"/api/v1/venues/{venue['id']}").json() == venue
    assert events(RESCHEDULED) == []


def test_a_new_address_is_announced_to_upcoming_sessions_as_a_reschedule(
    scheduler: httpx.Client, scheduler_server: ThreadedServer, events: Events
) -> None:
    venue = make_venue(scheduler)
    upcoming = make_session(scheduler, venue, **_starting_in(72))
    moved = scheduler.patch(f"/api/v1/sessions/{upcoming['id']}", json=_starting_in(96))
    assert moved.status_code == 200 and moved.json()["revision"] == 1
    advance(scheduler_server.app, timedelta(hours=-72))  # planned three days ago, over by now
    past = make_session(scheduler, venue, **_starting_in(-48))
    advance(scheduler_server.app, timedelta(hours=72))
    cancelled = make_session(scheduler, venue, **_starting_in(120))
    assert (
        scheduler.post(f"/api/v1/sessions/{cancelled['id']}/cancel", json={"reason_code": "illness"}).status_code == 200
    )
    other_venue = make_session(scheduler, make_venue(scheduler), **_starting_in(72))

    changed = _patch(scheduler, venue["id"], {"address": NEW_ADDRESS})
    assert changed.status_code == 200, changed.text

    first, announced = events(RESCHEDULED)
    assert first["revision"] == 1
    assert announced["session_id"] == upcoming["id"]
    assert (announced["revision"], announced["address"]) == (2, NEW_ADDRESS)
    assert announced["venue_public_name"] == "Keizersgracht 12"
    assert (announced["starts_at"], announced["ends_at"]) == (first["starts_at"], first["ends_at"])
    after = scheduler.get(f"/api/v1/sessions/{upcoming['id']}").json()
    assert (after["revision"], after["room_id"], after["starts_at"]) == (
        2,
        moved.json()["room_id"],
        moved.json()["starts_at"],
    )
    for untouched in (past, cancelled, other_venue):
        assert scheduler.get(f"/api/v1/sessions/{untouched['id']}").json()["revision"] == 0


def test_hiding_the_address_announces_only_the_neighbourhood(scheduler: httpx.Client, events: Events) -> None:
    venue = make_venue(scheduler, public_name="Centrum West", neighbourhood="Grachtengordel")
    session = make_session(scheduler, venue, **_starting_in(72))
    changed = _patch(scheduler, venue["id"], {"address_hidden_until_hours": 24})
    assert changed.status_code == 200, changed.text
    [announced] = events(RESCHEDULED)
    assert (announced["session_id"], announced["revision"]) == (session["id"], 1)
    assert (announced["address"], announced["neighbourhood"]) == ("Grachtengordel, Amsterdam", "Grachtengordel")
    assert announced["address_released_at"] is not None


def test_a_change_attendees_cannot_see_announces_nothing(scheduler: httpx.Client, events: Events) -> None:
    venue = make_venue(scheduler)
    session = make_session(scheduler, venue, **_starting_in(72))
    for change in (
        {"accessibility_notes": "Lift to floor 2"},
        {"name": "CSG Amsterdam", "kind": "municipal", "private_entrance": True},
        {"address": venue["address"], "city": venue["city"]},  # the same place again
    ):
        assert _patch(scheduler, venue["id"], change).status_code == 200, change
    assert events(RESCHEDULED) == []
    assert scheduler.get(f"/api/v1/sessions/{session['id']}").json()["revision"] == 0


def _body() -> dict[str, Any]:
    return {
        "name": "Bibliotheek Oost",
        "public_name": "Linnaeusstraat 44",
        "kind": "library",
        "address": "Linnaeusstraat 44, Amsterdam",
        "city": "Amsterdam",
        "rooms": [{"name": "Zaal 1", "capacity": 10}],
    }


def test_a_session_moved_to_a_venue_being_changed_waits_and_is_announced_with_the_new_place(
    scheduler: httpx.Client, events: Events, database_url: str
) -> None:
    """Moving a session to another venue reads that venue under a lock: a change to the venue that is
    not yet committed is waited for, so the move's announcement never carries the old address."""
    session = make_session(scheduler, make_venue(scheduler), **_starting_in(72))
    target = make_venue(scheduler, name="Buurthuis West", public_name="Buurthuis", address="Oude Straat 1, Amsterdam")
    engine = make_engine(database_url)
    try:
        with engine.connect() as other, ThreadPoolExecutor(max_workers=1) as pool:
            changing = other.begin()  # another request's venue change, not yet committed
            other.execute(text("UPDATE venue SET address = :a WHERE id = :v"), {"a": NEW_ADDRESS, "v": target["id"]})
            move = {"venue_id": target["id"], "room_id": target["rooms"][0]["id"]}
            moving = pool.submit(scheduler.patch, f"/api/v1/sessions/{session['id']}", json=move)
            time.sleep(1.0)
            assert not moving.done(), "the move read the venue while its change was still open"
            changing.commit()
            assert moving.result(timeout=30).status_code == 200
    finally:
        engine.dispose()
    [announced] = [e for e in events(RESCHEDULED) if e["session_id"] == session["id"]]
    assert announced["address"] == NEW_ADDRESS
