"""Changing a session's details: no event, no new revision, the capacity within the room and the seats taken."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from tests.scheduler.conftest import Events
from tests.support.factories import book, make_provider, make_session, make_user, make_venue, signed_in
from tests.support.servers import ThreadedServer


def _patch(client: httpx.Client, session_id: str, **body: object) -> httpx.Response:
    return client.patch(f"/api/v1/sessions/{session_id}", json=body)


def _subjects(engine: Engine) -> list[str]:
    """Every subject the scheduler wrote to its outbox, in order."""
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT subject FROM outbox ORDER BY seq")).scalars())


def _listed(client: httpx.Client) -> list[str]:
    response = client.get("/api/v1/public/sessions")
    assert response.status_code == 200, response.text
    return [s["id"] for s in response.json()]


def _shown(client: httpx.Client, booking: dict[str, Any]) -> dict[str, Any]:
    return client.get(f"/api/v1/bookings/{booking['code']}", params={"token": booking["manage_token"]}).json()  # type: ignore[no-any-return]


def _audited(client: httpx.Client, action: str) -> list[dict[str, str]]:
    return [e["targets"] for e in client.get("/api/v1/audit", params={"action": action}).json()["entries"]]


def test_listing_a_session_publicly_and_back_emits_nothing(scheduler: httpx.Client, engine: Engine) -> None:
    session = make_session(scheduler)
    before = _subjects(engine)
    assert session["id"] not in _listed(scheduler)

    listed = _patch(scheduler, session["id"], public=True)
    assert listed.status_code == 200, listed.text
    assert (listed.json()["public"], listed.json()["revision"]) == (True, 0)
    assert session["id"] in _listed(scheduler)

    unlisted = _patch(scheduler, session["id"], public=False)
    assert unlisted.json()["public"] is False
    assert session["id"] not in _listed(scheduler)
    assert _subjects(engine) == before
    assert _audited(scheduler, "session.rescheduled") == []
    assert _audited(scheduler, "session.changed") == [
        {"session_id": session["id"], "fields": "public"},
        {"session_id": session["id"], "fields": "public"},
    ]


def test_only_the_details_given_change_and_the_revision_stays(scheduler: httpx.Client, events: Events) -> None:
    provider = make_provider(scheduler)
    session = make_session(scheduler, interpreter_present=True, integration_phase="reception")
    changed = _patch(
        scheduler,
        session["id"],
        internal_title="Where to find help, Arabic and Dari",
        languages=["ar", "fa-AF"],
        topics=["sexual_health", "where_to_find_help", "sexual_health"],
        audience="open",
        interpreter_present=False,
        integration_phase=None,
        provider_id=provider["id"],
    )
    assert changed.status_code == 200, changed.text
    shown = scheduler.get(f"/api/v1/sessions/{session['id']}").json()
    assert shown == changed.json()
    expected = {
        "internal_title": "Where to find help, Arabic and Dari",
        "languages": ["ar", "fa-AF"],
        "topics": ["sexual_health", "where_to_find_help"],
        "audience": "open",
        "interpreter_present": False,
        "integration_phase": None,
        "provider_id": provider["id"],
    }
    untouched = {"public_title", "capacity", "public", "starts_at", "ends_at", "room_id", "venue_id", "revision"}
    assert {k: shown[k] for k in expected} == expected
    assert {k: shown[k] for k in untouched} == {k: session[k] for k in untouched}
    assert shown["revision"] == 0
    assert events("scheduling.session.rescheduled") == []
    [entry] = _audited(scheduler, "session.changed")
    assert entry == {
        "session_id": session["id"],
        "fields": "audience,integration_phase,internal_title,interpreter_present,languages,provider_id,topics",
    }

    no_provider = _patch(scheduler, session["id"], provider_id=None)
    assert (no_provider.json()["provider_id"], no_provider.json()["internal_title"]) == (
        None,
        expected["internal_title"],
    )


def test_the_capacity_stays_within_the_room(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler, rooms=[{"name": "Room 2", "capacity": 12}])
    session = make_session(scheduler, venue, capacity=10)
    too_large = _patch(scheduler, session["id"], capacity=13)
    assert too_large.status_code == 422
    assert too_large.json() == {
        "error": "CapacityTooLarge",
        "detail": "capacity 13 is more than room Room 2 holds (12).",
    }
    assert _patch(scheduler, session["id"], capacity=12).json()["capacity"] == 12


def test_the_capacity_cannot_go_below_the_seats_taken(scheduler: httpx.Client) -> None:
    session = make_session(scheduler, capacity=10)
    for _ in range(3):
        book(scheduler, session["id"])
    group = scheduler.post(
        f"/api/v1/sessions/{session['id']}/group-bookings", json={"languages": ["ar"], "headcount": 2}
    )
    assert group.status_code == 201, group.text

    refused = _patch(scheduler, session["id"], capacity=4, internal_title="Smaller group")
    assert refused.status_code == 409
    assert refused.json() == {
        "error": "CapacityBelowSeatsTaken",
        "detail": "5 seats are already taken (confirmed bookings and group seats); the capacity cannot go below 5. "
        "Cancel bookings first, or keep the capacity.",
    }
    shown = scheduler.get(f"/api/v1/sessions/{session['id']}").json()
    assert (shown["capacity"], shown["internal_title"]) == (10, session["internal_title"])
    exactly = _patch(scheduler, session["id"], capacity=5)
    assert (exactly.json()["capacity"], exactly.json()["seats_left"]) == (5, 0)


def test_a_larger_capacity_seats_the_front_of_the_waitlist(scheduler: httpx.Client, events: Events) -> None:
    session = make_session(scheduler, capacity=1)
    seated = book(scheduler, session["id"])
    first, second = book(scheduler, session["id"]), book(scheduler, session["id"])
    assert [b["status"] for b in (seated, first, second)] == ["confirmed", "waitlisted", "waitlisted"]

    raised = _patch(scheduler, session["id"], capacity=2)
    assert raised.status_code == 200, raised.text
    assert (raised.json()["confirmed"], raised.json()["waitlisted"], raised.json()["revision"]) == (2, 1, 0)
    assert (_shown(scheduler, first)["status"], _shown(scheduler, first)["waitlist_position"]) == ("confirmed", None)
    assert (_shown(scheduler, second)["status"], _shown(scheduler, second)["waitlist_position"]) == ("waitlisted", 1)
    promoted = [e for e in events("scheduling.booking.confirmed") if e["promoted"]]
    assert [(e["booking_code"], e["session_id"]) for e in promoted] == [(first["code"], session["id"])]
    assert events("scheduling.session.rescheduled") == []


def test_only_the_sessions_own_ambassadors_and_coordinators_change_it_while_it_is_open(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    own, other = make_user(scheduler, "ambassador"), make_user(scheduler, "ambassador")
    session = make_session(scheduler, ambassador_ids=[own["id"]])
    with scheduler_server.client() as client:
        refused = _patch(signed_in(client, other["email"]), session["id"], public=True)
        assert refused.status_code == 403
        assert refused.json()["error"] == "NotYourSession"
        assert _patch(signed_in(client, own["email"]), session["id"], public=True).json()["public"] is True
    assert scheduler.get(f"/api/v1/sessions/{session['id']}").json()["public"] is True

    assert scheduler.post(f"/api/v1/sessions/{session['id']}/cancel", json={"reason_code": "other"}).status_code == 200
    closed = _patch(scheduler, session["id"], public=False)
    assert closed.json() == {
        "error": "SessionNotOpen",
        "detail": "This session is cancelled; it takes no more changes.",
    }


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"public_title": "Friday meeting"}, "public_title", "Extra inputs are not permitted"),
        ({"capacity": None}, "capacity", "capacity cannot be null"),
        ({"public": None, "internal_title": "x"}, "public", "public cannot be null"),
        ({"languages": ["Arabic"]}, "languages", "not a BCP 47 language code"),
        ({"topics": ["politics"]}, "topics", "not a topic of the catalogue"),
        ({"capacity": 0}, "capacity", "greater than 0"),
    ],
)
def test_a_bad_detail_is_refused_naming_the_field(
    scheduler: httpx.Client, body: dict[str, object], field: str, reason: str
) -> None:
    session = make_session(scheduler)
    response = _patch(scheduler, session["id"], **body)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", field] and reason in error["msg"]
    assert scheduler.get(f"/api/v1/sessions/{session['id']}").json() == session


def test_a_move_and_new_details_in_one_request_do_both(scheduler: httpx.Client, events: Events) -> None:
    venue = make_venue(scheduler, rooms=[{"name": "Room 2", "capacity": 10}, {"name": "Hall", "capacity": 30}])
    rooms = {room["name"]: room["id"] for room in venue["rooms"]}
    session = make_session(scheduler, venue, room_id=rooms["Room 2"], capacity=10)
    hall = rooms["Hall"]
    too_large_for_room_2 = _patch(scheduler, session["id"], capacity=25)
    assert too_large_for_room_2.json()["error"] == "CapacityTooLarge"

    both = _patch(scheduler, session["id"], room_id=hall, capacity=25, public=True)
    assert both.status_code == 200, both.text
    assert (both.json()["room_id"], both.json()["capacity"], both.json()["public"]) == (hall, 25, True)
    assert both.json()["revision"] == 1
    [moved] = events("scheduling.session.rescheduled")
    assert (moved["session_id"], moved["revision"]) == (session["id"], 1)
    assert _audited(scheduler, "session.rescheduled") == [{"session_id": session["id"], "revision": "1"}]
    assert _audited(scheduler, "session.changed") == [{"session_id": session["id"], "fields": "capacity,public"}]

    same_place = _patch(scheduler, session["id"], room_id=hall, internal_title="Renamed")
    assert same_place.json()["error"] == "NothingToChange"
    assert scheduler.get(f"/api/v1/sessions/{session['id']}").json()["internal_title"] == session["internal_title"]


def test_an_unknown_provider_is_refused_and_nothing_changes(scheduler: httpx.Client) -> None:
    session = make_session(scheduler)
    unknown = _patch(scheduler, session["id"], provider_id="no-such-provider", capacity=5)
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "ProviderNotFound"
    shown = scheduler.get(f"/api/v1/sessions/{session['id']}").json()
    assert (shown["provider_id"], shown["capacity"]) == (session["provider_id"], session["capacity"])
