"""Whether an interpreter is present and the integration phase: kept, searched, announced, never public."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from shared.tls import client_context
from tests.scheduler.conftest import Events
from tests.support.clock import until_started
from tests.support.factories import make_session, make_venue
from tests.support.servers import ThreadedServer

DETAILS = ("interpreter_present", "integration_phase")


def _details(session: dict[str, Any]) -> tuple[Any, Any]:
    return session["interpreter_present"], session["integration_phase"]


def _body(venue: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    starts = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=5)
    return {
        "venue_id": venue["id"],
        "room_id": venue["rooms"][0]["id"],
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "languages": ["ti"],
        "internal_title": "Health system, Tigrinya",
        "public_title": "Thursday evening",
        "capacity": 8,
        **overrides,
    }


def test_a_session_keeps_its_interpreter_and_phase(
    scheduler: httpx.Client, scheduler_server: ThreadedServer, events: Events
) -> None:
    created = make_session(scheduler, interpreter_present=True, integration_phase="reception")
    assert _details(created) == (True, "reception")
    assert _details(scheduler.get(f"/api/v1/sessions/{created['id']}").json()) == (True, "reception")
    [published] = events("scheduling.session.published")
    assert _details(published) == (True, "reception")

    until_started(scheduler_server.app, created)
    done = scheduler.post(f"/api/v1/sessions/{created['id']}/complete")
    assert done.status_code == 200, done.text
    [completed] = events("scheduling.session.completed")
    assert _details(completed) == (True, "reception")


def test_without_them_there_is_no_interpreter_and_no_phase(scheduler: httpx.Client, events: Events) -> None:
    created = make_session(scheduler)
    assert _details(created) == (False, None)
    assert _details(scheduler.get(f"/api/v1/sessions/{created['id']}").json()) == (False, None)
    [published] = events("scheduling.session.published")
    assert _details(published) == (False, None)


@pytest.mark.parametrize("phase", ["asylum", "Reception", ""])
def test_an_unknown_phase_is_refused_naming_the_field(scheduler: httpx.Client, phase: str) -> None:
    refused = scheduler.post("/api/v1/sessions", json=_body(make_venue(scheduler), integration_phase=phase))
    assert refused.status_code == 422
    [error] = refused.json()["detail"]
    assert error["loc"] == ["body", "integration_phase"]
    assert "'reception', 'integration' or 'settled'" in error["msg"]
    assert scheduler.get("/api/v1/sessions").json() == []


def test_a_series_gives_them_to_every_session(scheduler: httpx.Client, events: Events) -> None:
    body = _body(make_venue(scheduler), rrule="FREQ=WEEKLY;COUNT=3")
    created = scheduler.post(
        "/api/v1/sessions/series", json={**body, "interpreter_present": True, "integration_phase": "integration"}
    )
    assert created.status_code == 201, created.text
    sessions = created.json()["created"]
    assert [_details(s) for s in sessions] == [(True, "integration")] * 3
    assert [_details(e) for e in events("scheduling.session.published")] == [(True, "integration")] * 3


def test_staff_search_by_phase(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    reception = make_session(scheduler, venue, integration_phase="reception")
    settled = make_session(scheduler, venue, integration_phase="settled", interpreter_present=True)
    make_session(scheduler, venue)

    def found(**params: str) -> list[str]:
        response = scheduler.get("/api/v1/sessions", params=params)
        assert response.status_code == 200, response.text
        return [s["id"] for s in response.json()]

    assert found(integration_phase="reception") == [reception["id"]]
    assert found(integration_phase="settled") == [settled["id"]]
    assert found(integration_phase="integration") == []
    assert len(found()) == 3
    wrong = scheduler.get("/api/v1/sessions", params={"integration_phase": "asylum"})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["query", "integration_phase"]


def test_the_public_listing_names_neither(scheduler: httpx.Client) -> None:
    session = make_session(scheduler, public=True, interpreter_present=True, integration_phase="reception")
    listing = httpx.get(f"{scheduler.base_url}/api/v1/public/sessions", verify=client_context())
    assert listing.status_code == 200
    assert [s["id"] for s in listing.json()] == [session["id"]]
    for name in DETAILS:
        assert name not in listing.text
    assert "reception" not in listing.text
    refused = httpx.get(
        f"{scheduler.base_url}/api/v1/public/sessions",
        params={"integration_phase": "reception"},
        verify=client_context(),
    )
    assert refused.status_code == 422  # not a public filter: a filter tells what it matches
