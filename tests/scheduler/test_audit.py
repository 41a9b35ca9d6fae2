"""Coordinators can see who did what and when; the log names objects by id and holds no attendee's data."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from shared import audit
from tests.support.clock import until_started
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.factories import book, make_provider, make_session, make_user, make_venue, signed_in
from tests.support.servers import ThreadedServer


def _log(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/audit", params=params)
    assert response.status_code == 200, response.text
    return response.json()["entries"]  # type: ignore[no-any-return]


def test_privileged_actions_are_logged_with_who_what_and_when_and_no_attendee_data(
    scheduler: httpx.Client, scheduler_server: ThreadedServer, engine: Engine
) -> None:
    me = scheduler.get("/api/v1/auth/me").json()
    provider = make_provider(scheduler)
    ambassador = make_user(scheduler)
    session = make_session(scheduler, ambassador_ids=[ambassador["id"]])
    booking = book(scheduler, session["id"], nickname="Amal", phone="06 12345678", email="amal@example.net")
    checked = scheduler.post(f"/api/v1/sessions/{session['id']}/check-ins", json={"booking_code": booking["code"]})
    assert checked.status_code == 200
    until_started(scheduler_server.app, session)
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/complete").status_code == 200
    assert scheduler.post(f"/api/v1/users/{ambassador['id']}/deactivate").status_code == 200

    entries = _log(scheduler, actor=me["id"])
    actions = [e["action"] for e in reversed(entries)]  # oldest first
    assert actions[0] == "account.signed_in"
    for expected in (
        "provider.created",
        "account.created",
        "venue.created",
        "session.created",
        "session.checked_in",
        "session.completed",
        "account.deactivated",
    ):
        assert expected in actions, actions
    assert all(e["actor_role"] == "coordinator" and e["at"] for e in entries)
    by_action = {e["action"]: e["targets"] for e in entries}
    assert by_action["provider.created"] == {"provider_id": provider["id"]}
    assert by_action["session.completed"]["session_id"] == session["id"]
    assert by_action["account.deactivated"] == {"account_id": ambassador["id"]}
    assert by_action["session.checked_in"]["booking"].startswith("hmac:")

    with engine.connect() as connection:
        stored = str(connection.execute(text("SELECT * FROM audit_log")).all())
    for personal in ("Amal", "612345678", "12345678", "amal@example.net", booking["code"], booking["manage_token"]):
        assert personal not in stored


def test_a_refused_action_leaves_no_entry(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    first = make_session(scheduler, venue)
    clash = scheduler.post(
        "/api/v1/sessions",
        json={
            "venue_id": venue["id"],
            "room_id": venue["rooms"][0]["id"],
            "starts_at": first["starts_at"],
            "ends_at": first["ends_at"],
            "languages": ["ar"],
            "audience": "women",
            "internal_title": "x",
            "public_title": "Thursday meeting",
            "capacity": 5,
        },
    )
    assert clash.status_code == 409, clash.text
    assert [e["targets"]["session_id"] for e in _log(scheduler, action="session.created")] == [first["id"]]


def test_the_log_pages_and_filters_by_action_and_date_for_coordinators_only(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    for _ in range(3):
        make_provider(scheduler)
    make_venue(scheduler)

    pages, before = [], None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"before": before} if before else {})}
        page = scheduler.get("/api/v1/audit", params=params).json()
        pages.append(page["entries"])
        before = page["next_before"]
        if before is None:
            break
    everything = [e for page in pages for e in page]
    assert all(len(page) <= 2 for page in pages) and len(pages) >= 3
    assert [e["id"] for e in everything] == sorted((e["id"] for e in everything), reverse=True)
    assert everything == _log(scheduler, limit=200)

    assert len(_log(scheduler, action="provider.created")) == 3
    assert {e["action"] for e in _log(scheduler, action="venue.")} == {"venue.created"}
    today = everything[0]["at"][:10]
    assert len(_log(scheduler, **{"from": today, "to": today})) == len(everything)
    assert _log(scheduler, **{"from": "2999-01-01"}) == []

    with scheduler_server.client() as anonymous:
        assert anonymous.get("/api/v1/audit").status_code == 401
        ambassador = make_user(scheduler)
        assert signed_in(anonymous, ambassador["email"]).get("/api/v1/audit").status_code == 403
        staff = make_user(scheduler, role="provider_staff")
        assert signed_in(anonymous, staff["email"]).get("/api/v1/audit").status_code == 403
    assert signed_in(scheduler, ADMIN_EMAIL, ADMIN_PASSWORD).get("/api/v1/audit").status_code == 200


@pytest.mark.parametrize("personal", ["+31612345678", "0612345678", "amal@example.net", "Amal Khan", "Zarifa\n"])
def test_a_value_that_looks_like_personal_data_is_kept_only_as_a_hash(personal: str) -> None:
    db = Session()
    audit.record(db, None, "booking.erased", booking=personal, session_id="a1b2c3")
    (entry,) = db.new
    assert entry.targets["session_id"] == "a1b2c3"
    assert entry.targets["booking"].startswith("sha256:") and personal.strip() not in entry.targets["booking"]


def test_a_list_is_kept_joined_by_commas_each_value_checked_on_its_own() -> None:
    db = Session()
    audit.record(
        db, None, "session.changed", session_id="a1b2c3", fields=["capacity", "public"], odd=["ok", "Amal Khan"]
    )
    (entry,) = db.new
    assert entry.targets["fields"] == "capacity,public"
    kept, hashed = entry.targets["odd"].split(",")
    assert kept == "ok" and hashed.startswith("sha256:") and "Amal" not in hashed
