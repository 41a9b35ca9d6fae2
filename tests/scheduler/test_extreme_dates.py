"""Extreme dates are refused naming the field, never a 500 (abuse issue, item 8).

Year 9999 or year 1 with an offset, far-apart dates, a session of years: each
date input of the scheduler's API is tried with hand-picked values and with
hypothesis (``make fuzz`` tries new ones each run).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.support.factories import make_session, make_user, make_venue

EXTREMES = [
    ("0001-01-01T00:00:00+01:00", "0001-01-01T02:00:00+01:00"),
    ("0001-01-01T00:00:00-01:00", "0001-01-01T02:00:00-01:00"),
    ("9999-12-31T22:00:00-01:00", "9999-12-31T23:59:59-01:00"),
    ("9999-12-31T20:00:00+00:00", "9999-12-31T23:00:00+00:00"),
    ("2027-01-10T10:00:00+01:00", "9999-12-31T23:00:00+01:00"),
    ("2027-01-10T10:00:00+01:00", "2027-03-10T10:00:00+01:00"),
    ("2200-01-10T10:00:00+01:00", "2200-01-10T12:00:00+01:00"),
]
#: any moment pydantic can read, with any offset it takes
MOMENTS = st.datetimes(timezones=st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m))))
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def _body(venue: dict[str, Any], starts: str, ends: str, **extra: object) -> dict[str, Any]:
    return {
        "venue_id": venue["id"],
        "room_id": venue["rooms"][0]["id"],
        "starts_at": starts,
        "ends_at": ends,
        "languages": ["ar"],
        "internal_title": "x",
        "public_title": "Meeting",
        "capacity": 5,
        **extra,
    }


def _refused_naming_a_field(response: httpx.Response) -> None:
    assert response.status_code == 422, response.text
    assert any(name in response.text for name in ("starts_at", "ends_at", "rrule", "date", "closed_on")), response.text


@pytest.mark.parametrize(("starts", "ends"), EXTREMES)
def test_an_extreme_session_is_refused_naming_the_field(scheduler: httpx.Client, starts: str, ends: str) -> None:
    venue = make_venue(scheduler)
    _refused_naming_a_field(scheduler.post("/api/v1/sessions", json=_body(venue, starts, ends)))
    series = _body(venue, starts, ends, rrule="FREQ=WEEKLY;COUNT=3")
    _refused_naming_a_field(scheduler.post("/api/v1/sessions/series", json=series))
    session = make_session(scheduler, venue)
    moved = scheduler.patch(f"/api/v1/sessions/{session['id']}", json={"starts_at": starts, "ends_at": ends})
    _refused_naming_a_field(moved)


def test_a_series_far_into_the_future_is_refused(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    body = _body(
        venue, start.isoformat(), (start + timedelta(hours=2)).isoformat(), rrule="FREQ=MONTHLY;UNTIL=99991231"
    )
    response = scheduler.post("/api/v1/sessions/series", json=body)
    assert response.status_code in (201, 422), response.text
    if response.status_code == 201:
        latest = max(s["starts_at"] for s in response.json()["created"])
        assert latest < (datetime.now(UTC) + timedelta(days=5 * 366)).isoformat()


def test_extreme_dates_of_hours_and_closures_are_refused(scheduler: httpx.Client) -> None:
    ambassador = make_user(scheduler)
    for day in ("0001-01-01", "9999-12-31"):
        body = {"kind": "admin", "date": day, "hours": 1, "user_id": ambassador["id"]}
        logged = scheduler.post("/api/v1/hours", json=body)
        _refused_naming_a_field(logged)
        venue = make_venue(scheduler)
        closed = scheduler.put(
            f"/api/v1/venues/{venue['id']}/hours",
            json={"opening_hours": [{"weekday": "mon", "opens": "09:00", "closes": "17:00"}], "closed_on": [day]},
        )
        assert closed.status_code in (200, 422), closed.text


@PROPERTY
@given(starts=MOMENTS, length=st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=4000)))
@example(starts=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))), length=timedelta(hours=2))
@example(starts=datetime(9999, 12, 31, 22, tzinfo=timezone(timedelta(hours=-1))), length=timedelta(hours=1))
def test_any_moment_is_planned_or_refused_never_a_500(
    scheduler: httpx.Client, starts: datetime, length: timedelta
) -> None:
    venue = make_venue(scheduler)
    try:
        ends = (starts + length).isoformat()
    except OverflowError:
        ends = "9999-12-31T23:59:59+00:00"
    response = scheduler.post("/api/v1/sessions", json=_body(venue, starts.isoformat(), ends))
    assert response.status_code in (201, 409, 422), response.text
    series = scheduler.post(
        "/api/v1/sessions/series", json=_body(venue, starts.isoformat(), ends, rrule="FREQ=WEEKLY;COUNT=2")
    )
    assert series.status_code in (201, 409, 422), series.text
