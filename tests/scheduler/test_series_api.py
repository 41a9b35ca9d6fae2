"""Series: one request plans a weekly or monthly recurrence and names every date it could not plan."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.scheduler.conftest import Events
from tests.support.clock import EARLY_2026, set_clock
from tests.support.factories import make_provider, make_session, make_venue
from tests.support.servers import ThreadedServer


@pytest.fixture
def scheduler(scheduler: httpx.Client, scheduler_server: ThreadedServer) -> httpx.Client:
    """The coordinator's client, on a scheduler whose clock is set before the fixed dates these tests plan on
    (tests/support/clock.py)."""
    set_clock(scheduler_server.app, EARLY_2026)
    return scheduler


def _series(client: httpx.Client, venue: dict[str, Any], rrule: str, **overrides: Any) -> httpx.Response:
    body = {
        "venue_id": venue["id"],
        "room_id": venue["rooms"][0]["id"],
        "starts_at": "2026-03-19T19:00:00+01:00",
        "ends_at": "2026-03-19T21:00:00+01:00",
        "languages": ["ti"],
        "audience": "women",
        "topics": ["health_system"],
        "internal_title": "Health system, Tigrinya",
        "public_title": "Thursday evening",
        "capacity": 8,
        "rrule": rrule,
        **overrides,
    }
    return client.post("/api/v1/sessions/series", json=body)


def test_a_weekly_series_keeps_its_local_time_across_the_dst_change(scheduler: httpx.Client, events: Events) -> None:
    """19:00 in Amsterdam is 18:00 UTC before 29 March 2026 and 17:00 UTC after it."""
    provider = make_provider(scheduler)
    created = _series(scheduler, make_venue(scheduler), "FREQ=WEEKLY;COUNT=3", provider_id=provider["id"])
    assert created.status_code == 201, created.text
    body = created.json()
    assert [(s["starts_at"][:16], s["ends_at"][:16]) for s in body["created"]] == [
        ("2026-03-19T18:00", "2026-03-19T20:00"),
        ("2026-03-26T18:00", "2026-03-26T20:00"),
        ("2026-04-02T17:00", "2026-04-02T19:00"),
    ]
    assert body["skipped"] == []
    assert {s["series_id"] for s in body["created"]} == {body["series_id"]}
    assert all(s["provider_id"] == provider["id"] and s["capacity"] == 8 for s in body["created"])
    published = [e["session_id"] for e in events("scheduling.session.published")]
    assert published == [s["id"] for s in body["created"]]
    listed = scheduler.get("/api/v1/sessions").json()
    assert sorted(s["id"] for s in listed) == sorted(published)


def test_a_monthly_series_by_weekday_runs_until_the_date_given(scheduler: httpx.Client) -> None:
    """The first Thursday of each month, UNTIL a date that includes that whole day."""
    venue = make_venue(scheduler, timezone="Europe/London")
    created = _series(scheduler, venue, "FREQ=MONTHLY;BYDAY=1TH;UNTIL=20260604")
    assert created.status_code == 201, created.text
    starts = [s["starts_at"][:16] for s in created.json()["created"]]
    # London: 18:00 local = 18:00 UTC in winter, 17:00 UTC from 29 March (BST).
    assert starts == ["2026-04-02T17:00", "2026-05-07T17:00", "2026-06-04T17:00"]


def test_clashing_dates_are_reported_and_the_others_created(scheduler: httpx.Client) -> None:
    venue = make_venue(
        scheduler, closed_on=["2026-04-02"], opening_hours=[{"weekday": "thu", "opens": "09:00", "closes": "22:00"}]
    )
    make_session(
        scheduler,
        venue,
        internal_title="Women's group",
        starts_at="2026-03-26T18:30:00+01:00",
        ends_at="2026-03-26T20:00:00+01:00",
    )
    response = _series(scheduler, venue, "FREQ=WEEKLY;COUNT=4")
    assert response.status_code == 201, response.text
    body = response.json()
    assert [s["starts_at"][:10] for s in body["created"]] == ["2026-03-19", "2026-04-09"]
    assert body["skipped"] == [
        {
            "starts_at": "2026-03-26T18:00:00Z",
            "ends_at": "2026-03-26T20:00:00Z",
            "error": "SessionClash",
            "detail": "Room 2 is booked 18:30–20:00 on Thu 26 Mar 2026 by 'Women's group'.",
        },
        {
            "starts_at": "2026-04-02T17:00:00Z",
            "ends_at": "2026-04-02T19:00:00Z",
            "error": "OutsideOpeningHours",
            "detail": "Centrum Seksueel Geweld Amsterdam is closed on Thursday 2 April 2026; pick another day.",
        },
    ]


def test_a_series_with_no_free_date_creates_nothing_and_says_why(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler, opening_hours=[{"weekday": "mon", "opens": "09:00", "closes": "17:00"}])
    response = _series(scheduler, venue, "FREQ=WEEKLY;COUNT=2")
    assert response.status_code == 409
    assert response.json()["error"] == "NothingPlanned"
    assert response.json()["detail"].startswith("None of the 2 dates could be planned, so nothing was created. ")
    assert "is closed on Thursdays; it is open on Monday" in response.json()["detail"]
    assert scheduler.get("/api/v1/sessions").json() == []


def test_a_rule_giving_more_than_52_dates_is_refused(scheduler: httpx.Client) -> None:
    response = _series(scheduler, make_venue(scheduler), "FREQ=WEEKLY;UNTIL=20270401")
    assert response.status_code == 422
    assert response.json()["error"] == "SeriesTooLong"
    assert "more than 52 sessions" in response.json()["detail"]
    assert scheduler.get("/api/v1/sessions").json() == []


BAD_SERIES: list[tuple[dict[str, Any], str, str]] = [
    ({"rrule": "FREQ=DAILY;COUNT=3"}, "rrule", "FREQ must be WEEKLY or MONTHLY"),
    ({"rrule": "FREQ=WEEKLY"}, "rrule", "give COUNT or UNTIL"),
    ({"rrule": "FREQ=WEEKLY;COUNT=53"}, "rrule", "COUNT must be a number from 1 to 52"),
    ({"rrule": "FREQ=WEEKLY;COUNT=2;BYDAY=XX"}, "rrule", "is not a valid RRULE"),
    ({"rrule": "FREQ=WEEKLY;INTERVAL=0;COUNT=2"}, "rrule", "INTERVAL must be a number from 1 to 12"),
    ({"rrule": "FREQ=MONTHLY;INTERVAL=-1;COUNT=2"}, "rrule", "INTERVAL must be a number from 1 to 12"),
    ({"rrule": "FREQ=MONTHLY;INTERVAL=13;COUNT=2"}, "rrule", "INTERVAL must be a number from 1 to 12"),
    ({"rrule": "FREQ=WEEKLY;COUNT=²"}, "rrule", "COUNT must be a number from 1 to 52"),
    ({"rrule": "FREQ=WEEKLY;COUNT=2;DTSTART=20260101"}, "rrule", "DTSTART is not supported here"),
    ({"topics": ["violence"]}, "topics", "'violence' is not a topic of the catalogue"),
    ({"languages": ["tigrinya"]}, "languages", "'tigrinya' is not a BCP 47 language code"),
    ({"capacity": 0}, "capacity", "greater than 0"),
]


def test_a_bad_series_is_refused_naming_the_field(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    for overrides, field, reason in BAD_SERIES:
        response = _series(scheduler, venue, **{"rrule": "FREQ=WEEKLY;COUNT=2", **overrides})
        assert response.status_code == 422, overrides
        [error] = response.json()["detail"]
        assert (error["loc"], reason in error["msg"]) == (["body", field], True), (overrides, error)
    assert scheduler.get("/api/v1/sessions").json() == []
