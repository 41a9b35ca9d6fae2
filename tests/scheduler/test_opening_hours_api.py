"""Opening hours: sessions fit in the venue's hours on its own clock, DST change days included."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.clock import EARLY_2026, set_clock
from tests.support.factories import make_venue
from tests.support.servers import ThreadedServer


@pytest.fixture
def scheduler(scheduler: httpx.Client, scheduler_server: ThreadedServer) -> httpx.Client:
    """The coordinator's client, on a scheduler whose clock is set before the fixed dates these tests plan on
    (tests/support/clock.py)."""
    set_clock(scheduler_server.app, EARLY_2026)
    return scheduler


WEEKEND = [
    {"weekday": "thu", "opens": "10:00", "closes": "16:00"},
    {"weekday": "sat", "opens": "10:00", "closes": "16:00"},
    {"weekday": "sun", "opens": "10:00", "closes": "16:00"},
]


def _plan(client: httpx.Client, venue: dict[str, Any], starts_at: str, ends_at: str) -> httpx.Response:
    return client.post(
        "/api/v1/sessions",
        json={
            "venue_id": venue["id"],
            "room_id": venue["rooms"][0]["id"],
            "starts_at": starts_at,
            "ends_at": ends_at,
            "languages": ["fa-AF"],
            "internal_title": "x",
            "public_title": "Meeting",
            "capacity": 5,
        },
    )


def test_hours_are_stored_with_the_venue_and_shown_back(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler, opening_hours=list(reversed(WEEKEND)), closed_on=["2026-12-24"])
    shown = scheduler.get(f"/api/v1/venues/{venue['id']}").json()
    assert [(h["weekday"], h["opens"], h["closes"]) for h in shown["opening_hours"]] == [
        ("thu", "10:00:00", "16:00:00"),
        ("sat", "10:00:00", "16:00:00"),
        ("sun", "10:00:00", "16:00:00"),
    ]
    assert shown["closed_on"] == ["2026-12-24"]


def test_a_venue_without_hours_takes_any_time(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    assert _plan(scheduler, venue, "2026-12-07T02:00:00+01:00", "2026-12-07T03:00:00+01:00").status_code == 201


def test_a_session_outside_the_hours_is_refused_with_the_days_hours(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler, name="Bibliotheek Oost", opening_hours=WEEKEND)
    late = _plan(scheduler, venue, "2026-12-03T15:00:00+01:00", "2026-12-03T17:00:00+01:00")
    assert late.status_code == 422
    assert late.json() == {
        "error": "OutsideOpeningHours",
        "detail": "Bibliotheek Oost is open 10:00–16:00 on Thursday 3 December 2026 (Europe/Amsterdam); "
        "the session runs 15:00–17:00 there.",
    }
    monday = _plan(scheduler, venue, "2026-12-07T11:00:00+01:00", "2026-12-07T12:00:00+01:00")
    assert monday.json()["detail"] == "Bibliotheek Oost is closed on Mondays; it is open on Thursday, Saturday, Sunday."
    assert _plan(scheduler, venue, "2026-12-03T10:00:00+01:00", "2026-12-03T16:00:00+01:00").status_code == 201


def test_a_closed_day_is_refused_although_its_weekday_has_hours(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler, name="Buurthuis", opening_hours=WEEKEND, closed_on=["2026-12-24"])
    refused = _plan(scheduler, venue, "2026-12-24T11:00:00+01:00", "2026-12-24T12:00:00+01:00")
    assert refused.status_code == 422
    assert refused.json()["detail"] == "Buurthuis is closed on Thursday 24 December 2026; pick another day."


@pytest.mark.parametrize(
    ("utc_start", "local", "accepted"),
    [
        ("2026-03-28T08:30:00Z", "09:30", False),  # Saturday, still CET (UTC+1)
        ("2026-03-29T08:30:00Z", "10:30", True),  # Sunday, CEST (UTC+2) from 02:00
        ("2026-03-29T07:30:00Z", "09:30", False),
        ("2026-10-24T08:30:00Z", "10:30", True),  # Saturday, still CEST
        ("2026-10-25T08:30:00Z", "09:30", False),  # Sunday, CET again from 03:00
        ("2026-10-25T09:00:00Z", "10:00", True),
    ],
)
def test_the_dst_change_days_are_judged_on_the_local_clock(
    scheduler: httpx.Client, utc_start: str, local: str, accepted: bool
) -> None:
    venue = make_venue(scheduler, opening_hours=WEEKEND)
    end = utc_start.replace("T08:30", "T10:00").replace("T07:30", "T10:00").replace("T09:00", "T10:00")
    response = _plan(scheduler, venue, utc_start, end)
    assert response.status_code == (201 if accepted else 422), response.text
    if not accepted:
        assert f"the session runs {local}–" in response.json()["detail"]


def test_a_venue_in_another_zone_is_judged_on_its_own_clock(scheduler: httpx.Client) -> None:
    """28 March 2026: New York already on summer time (UTC-4), Amsterdam not yet (UTC+1)."""
    venue = make_venue(scheduler, name="Community room", timezone="America/New_York", opening_hours=WEEKEND)
    assert _plan(scheduler, venue, "2026-03-28T15:00:00+01:00", "2026-03-28T17:00:00+01:00").status_code == 201
    early = _plan(scheduler, venue, "2026-03-28T14:30:00+01:00", "2026-03-28T16:00:00+01:00")
    assert early.json()["detail"] == (
        "Community room is open 10:00–16:00 on Saturday 28 March 2026 (America/New_York); "
        "the session runs 09:30–11:00 there."
    )


def test_a_session_past_midnight_does_not_fit_one_days_hours(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler, opening_hours=[{"weekday": "sat", "opens": "08:00", "closes": "23:59"}])
    response = _plan(scheduler, venue, "2026-12-05T23:00:00+01:00", "2026-12-06T01:00:00+01:00")
    assert response.status_code == 422
    assert response.json()["error"] == "OutsideOpeningHours"


def test_a_coordinator_edits_the_hours_and_can_remove_them(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler, opening_hours=WEEKEND)
    monday = ("2026-12-07T11:00:00+01:00", "2026-12-07T12:00:00+01:00")
    assert _plan(scheduler, venue, *monday).status_code == 422
    hours = [{"weekday": "mon", "opens": "09:00", "closes": "13:00"}]
    edited = scheduler.put(f"/api/v1/venues/{venue['id']}/hours", json={"opening_hours": hours})
    assert edited.status_code == 200
    assert [h["weekday"] for h in edited.json()["opening_hours"]] == ["mon"]
    assert _plan(scheduler, venue, *monday).status_code == 201
    thursday = ("2026-12-03T11:00:00+01:00", "2026-12-03T12:00:00+01:00")
    assert _plan(scheduler, venue, *thursday).status_code == 422
    cleared = scheduler.put(f"/api/v1/venues/{venue['id']}/hours", json={})
    assert cleared.json()["opening_hours"] == [] and cleared.json()["closed_on"] == []
    assert _plan(scheduler, venue, *thursday).status_code == 201
    missing = scheduler.put("/api/v1/venues/nope/hours", json={})
    assert missing.status_code == 404 and missing.json()["error"] == "VenueNotFound"


@pytest.mark.parametrize(
    ("hours", "reason"),
    [
        ([{"weekday": "mon", "opens": "17:00", "closes": "09:00"}], "mon: closes (09:00) must be after opens (17:00)"),
        (
            [
                {"weekday": "tue", "opens": "09:00", "closes": "12:00"},
                {"weekday": "tue", "opens": "13:00", "closes": "17:00"},
            ],
            "give each weekday once; tue appears more than once",
        ),
        ([{"weekday": "monday", "opens": "09:00", "closes": "12:00"}], "'mon', 'tue', 'wed'"),
        ([{"weekday": "mon", "opens": "25:00", "closes": "26:00"}], "valid time"),
    ],
)
def test_bad_hours_are_refused_naming_the_field(scheduler: httpx.Client, hours: list[object], reason: str) -> None:
    venue = make_venue(scheduler)
    response = scheduler.put(f"/api/v1/venues/{venue['id']}/hours", json={"opening_hours": hours})
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert "opening_hours" in error["loc"]
    assert reason in error["msg"]


def test_hours_with_a_zone_are_refused_as_the_venue_keeps_its_own_clock(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    refused = scheduler.put(
        f"/api/v1/venues/{venue['id']}/hours",
        json={"opening_hours": [{"weekday": "fri", "opens": "02:17:28Z", "closes": "09:25:08+01:00"}]},
    )
    assert refused.status_code == 422
    fields = [error["loc"][-1] for error in refused.json()["detail"]]
    assert fields == ["opens", "closes"]
    assert "without a zone" in refused.json()["detail"][0]["msg"]
