"""A venue may hide its address until shortly before a session: pages, booking links and events name the area."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
from sqlalchemy import text

from notifier.invites.calendar import build_invite
from notifier.invites.service import invite_facts
from notifier.recipients.models import SessionCopy
from notifier.recipients.sessions import on_session_published
from notifier.reminders.service import Planner
from shared import migrate
from shared.db import make_engine
from shared.events import SessionPublished, parse_event, utcnow
from shared.unit_of_work import UnitOfWork
from tests.scheduler.conftest import Events
from tests.support.config import Keys, notifier_settings
from tests.support.factories import book, make_session, make_venue
from tests.support.servers import ThreadedServer

ADDRESS = "Keizersgracht 12, 1015 CS Amsterdam"
HIDDEN = {"public_name": "Centrum West", "neighbourhood": "Grachtengordel", "address_hidden_until_hours": 24}


def _starting_in(hours: float) -> dict[str, str]:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=hours)
    return {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat()}


def _public_place(client: httpx.Client, session_id: str) -> dict[str, Any]:
    [entry] = [s for s in client.get("/api/v1/public/sessions").json() if s["id"] == session_id]
    return entry["place"]  # type: ignore[no-any-return]


def test_until_the_release_only_the_neighbourhood_leaves_the_system(
    scheduler: httpx.Client, scheduler_server: ThreadedServer, events: Events
) -> None:
    venue = make_venue(scheduler, **HIDDEN)
    assert (venue["neighbourhood"], venue["address_hidden_until_hours"]) == ("Grachtengordel", 24)
    session = make_session(scheduler, venue, public=True, **_starting_in(72))
    released_at = datetime.fromisoformat(session["starts_at"]) - timedelta(hours=24)
    booking = book(scheduler, session["id"], phone="0612345678")
    with scheduler_server.client() as anonymous:
        listed = _public_place(anonymous, session["id"])
        manage = anonymous.get(f"/api/v1/bookings/{booking['code']}", params={"token": booking["manage_token"]})
        everything = anonymous.get("/api/v1/public/sessions").text + manage.text
    assert listed == {
        "venue_public_name": "Centrum West",
        "city": "Amsterdam",
        "neighbourhood": "Grachtengordel",
        "address": None,
        "address_released_at": released_at.isoformat().replace("+00:00", "Z"),
    }
    assert manage.json()["session"]["place"] == listed
    assert manage.json()["session"]["public_title"] == "Thursday afternoon meeting"
    assert "Keizersgracht" not in everything
    [published] = events("scheduling.session.published")
    assert published["address"] == "Grachtengordel, Amsterdam"
    assert published["neighbourhood"] == "Grachtengordel"
    assert datetime.fromisoformat(published["address_released_at"]) == released_at


def test_from_the_release_on_the_address_is_shown_and_sent(
    scheduler: httpx.Client, scheduler_server: ThreadedServer, events: Events
) -> None:
    venue = make_venue(scheduler, **HIDDEN)
    soon = make_session(scheduler, venue, public=True, **_starting_in(20))
    booking = book(scheduler, soon["id"])
    with scheduler_server.client() as anonymous:
        assert _public_place(anonymous, soon["id"])["address"] == ADDRESS
        manage = anonymous.get(f"/api/v1/bookings/{booking['code']}", params={"token": booking["manage_token"]})
    assert manage.json()["session"]["place"]["address"] == ADDRESS
    assert events("scheduling.session.published")[0]["address"] == ADDRESS


def test_a_reschedule_sends_the_address_only_once_it_may_be_shown(scheduler: httpx.Client, events: Events) -> None:
    venue = make_venue(scheduler, **HIDDEN)
    session = make_session(scheduler, venue, **_starting_in(20))
    later = scheduler.patch(f"/api/v1/sessions/{session['id']}", json=_starting_in(96))
    assert later.status_code == 200, later.text
    sooner = scheduler.patch(f"/api/v1/sessions/{session['id']}", json=_starting_in(10))
    assert sooner.status_code == 200, sooner.text
    sent = events("scheduling.session.rescheduled")
    assert [e["address"] for e in sent] == ["Grachtengordel, Amsterdam", ADDRESS]
    assert all(e["neighbourhood"] == "Grachtengordel" for e in sent)


def test_a_venue_that_does_not_hide_its_address_shows_it_always(scheduler: httpx.Client, events: Events) -> None:
    session = make_session(scheduler, make_venue(scheduler), **_starting_in(500))
    [published] = events("scheduling.session.published")
    assert (published["address"], published["address_released_at"]) == (ADDRESS, None)
    assert scheduler.get(f"/api/v1/sessions/{session['id']}").status_code == 200


BAD_SETTINGS: list[tuple[dict[str, Any], str | None, str]] = [
    ({"address_hidden_until_hours": 24}, None, "needs a neighbourhood"),
    (
        {"address_hidden_until_hours": 24, "neighbourhood": "Centrum", "public_name": "Keizersgracht 12"},
        None,
        "public_name is part of the address",
    ),
    ({**HIDDEN, "address_hidden_until_hours": 0}, "address_hidden_until_hours", "greater than or equal to 1"),
    ({**HIDDEN, "address_hidden_until_hours": 337}, "address_hidden_until_hours", "less than or equal to 336"),
    ({"neighbourhood": ""}, "neighbourhood", "at least 1 character"),
]


def test_a_hidden_address_setting_that_would_not_hide_it_is_refused(scheduler: httpx.Client) -> None:
    for overrides, field, reason in BAD_SETTINGS:
        _refused(scheduler, overrides, field, reason)
    assert scheduler.get("/api/v1/venues").json() == []


def _refused(scheduler: httpx.Client, overrides: dict[str, Any], field: str | None, reason: str) -> None:
    body = {
        "name": "Centrum Seksueel Geweld Amsterdam",
        "public_name": "Keizersgracht 12",
        "kind": "sexual_violence_centre",
        "address": ADDRESS,
        "city": "Amsterdam",
        "rooms": [{"name": "Room 2", "capacity": 20}],
        **overrides,
    }
    response = scheduler.post("/api/v1/venues", json=body)
    assert response.status_code == 422, overrides
    [error] = response.json()["detail"]
    assert error["loc"] == (["body", field] if field else ["body"]), (overrides, error)
    assert reason in error["msg"], (overrides, error)


def test_the_notifiers_invite_made_from_the_event_names_only_the_neighbourhood(
    scheduler: httpx.Client, database_url: str, tmp_path: Path
) -> None:
    """The contract end to end in one process: the scheduler's real event, the notifier's real handler and invite."""
    session = make_session(scheduler, make_venue(scheduler, **HIDDEN), **_starting_in(72))
    scheduler_db = make_engine(database_url)
    with scheduler_db.connect() as connection:
        query = text("SELECT body FROM outbox WHERE subject = 'scheduling.session.published'")
        [body] = connection.execute(query).scalars()
    scheduler_db.dispose()
    notifier_db = make_engine(f"sqlite:///{tmp_path / 'notifier.db'}")
    migrate.upgrade(notifier_db, "notifier")
    planner = Planner.from_settings(notifier_settings("nats://127.0.0.1:1", "sqlite://", Keys()))
    with UnitOfWork(notifier_db) as db:
        envelope = parse_event(body.encode())
        assert isinstance(envelope.payload, SessionPublished)
        on_session_published(planner, db, envelope.payload, envelope)
        copy = db.get(SessionCopy, session["id"])
        assert copy is not None
        attendee = SimpleNamespace(booking_code="ABCD-EFGH", locale="nl")
        invite = build_invite(invite_facts(attendee, copy), "PUBLISH", stamp=utcnow())  # type: ignore[arg-type]
    notifier_db.dispose()
    assert b"Grachtengordel" in invite
    assert b"Keizersgracht" not in invite
