"""Time as a new user meets it: nothing planned, moved or booked into the past; completion only once
the session has started (issue: the README's own 3 December example was created, booked, texted and
moved on 7 December; a session of 14 December was completed on 7 December)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from scheduler.settings import SchedulerSettings
from shared.clock import Clock
from shared.settings import SettingsError, load_settings
from tests.support.clock import advance, set_clock, until_started
from tests.support.config import Keys
from tests.support.factories import book, make_session, make_venue
from tests.support.servers import ThreadedServer


def _past(days: float = 4) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat()


def test_a_session_in_the_past_is_refused_naming_starts_at(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    start = datetime.now(UTC) - timedelta(days=4)
    body = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()}
    response = scheduler.post("/api/v1/sessions", json=_body(venue, **body))
    assert response.status_code == 422, response.text
    assert "starts_at" in response.text and "past" in response.text


def test_a_series_starting_in_the_past_is_refused_naming_starts_at(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    start = datetime.now(UTC) - timedelta(days=4)
    body = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()}
    response = scheduler.post("/api/v1/sessions/series", json=_body(venue, **body, rrule="FREQ=WEEKLY;COUNT=3"))
    assert response.status_code == 422, response.text
    assert "starts_at" in response.text


def test_a_session_is_not_moved_into_the_past(scheduler: httpx.Client) -> None:
    session = make_session(scheduler)
    start = datetime.now(UTC) - timedelta(days=4)
    moved = scheduler.patch(
        f"/api/v1/sessions/{session['id']}",
        json={"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()},
    )
    assert moved.status_code == 422, moved.text
    assert "starts_at" in moved.text
    assert scheduler.get(f"/api/v1/sessions/{session['id']}").json()["revision"] == 0


def test_bookings_close_when_the_session_starts(scheduler: httpx.Client, scheduler_server: ThreadedServer) -> None:
    session = make_session(scheduler)
    book(scheduler, session["id"])
    until_started(scheduler_server.app, session)
    late = scheduler.post(f"/api/v1/sessions/{session['id']}/bookings", json={"locale": "ar"})
    assert late.status_code == 409, late.text
    assert late.json()["error"] == "BookingsClosed"
    assert scheduler.get(f"/api/v1/sessions/{session['id']}").json()["confirmed"] == 1


def test_completion_before_the_start_is_refused_naming_it(scheduler: httpx.Client) -> None:
    session = make_session(scheduler)
    early = scheduler.post(f"/api/v1/sessions/{session['id']}/complete")
    assert early.status_code == 409, early.text
    assert early.json()["error"] == "SessionNotStarted"
    assert "Europe/Amsterdam" in early.json()["detail"]
    assert scheduler.get(f"/api/v1/sessions/{session['id']}").json()["status"] == "published"


def test_a_started_session_completes(scheduler: httpx.Client, scheduler_server: ThreadedServer) -> None:
    session = make_session(scheduler)
    advance(scheduler_server.app, timedelta(days=30))
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/complete").status_code == 200


def _body(venue: dict[str, object], **overrides: object) -> dict[str, object]:
    rooms = venue["rooms"]
    assert isinstance(rooms, list)
    return {
        "venue_id": venue["id"],
        "room_id": rooms[0]["id"],
        "languages": ["ar"],
        "internal_title": "x",
        "public_title": "Meeting",
        "capacity": 5,
        **overrides,
    }


@pytest.mark.parametrize(
    ("starts", "shown"),
    [
        ("2026-03-29T10:00:00+02:00", "Sun 29 Mar 2026 10:00 (Europe/Amsterdam)"),  # the first day of summer time
        ("2026-10-25T10:00:00+01:00", "Sun 25 Oct 2026 10:00 (Europe/Amsterdam)"),  # the first day of winter time
    ],
)
def test_bookings_close_at_the_start_on_the_days_the_clocks_change(
    scheduler: httpx.Client, scheduler_server: ThreadedServer, starts: str, shown: str
) -> None:
    start = datetime.fromisoformat(starts)
    set_clock(scheduler_server.app, start - timedelta(days=1))
    session = make_session(scheduler, starts_at=starts, ends_at=(start + timedelta(hours=2)).isoformat())
    set_clock(scheduler_server.app, start - timedelta(seconds=30))  # half a minute before it starts
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/bookings", json={"locale": "ar"}).status_code == 201
    set_clock(scheduler_server.app, start + timedelta(seconds=1))
    late = scheduler.post(f"/api/v1/sessions/{session['id']}/bookings", json={"locale": "ar"})
    assert (late.status_code, late.json()["detail"]) == (
        409,
        f"Registration for this session closed when it started, {shown}.",
    )
    early = scheduler.post(f"/api/v1/sessions/{session['id']}/complete")
    assert early.status_code == 200  # and it may be completed from then on


def test_completion_names_the_start_on_the_venues_clock_across_a_change(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    set_clock(scheduler_server.app, datetime(2026, 10, 24, 12, tzinfo=UTC))  # Saturday, still summer time
    session = make_session(scheduler, starts_at="2026-10-25T10:00:00+01:00", ends_at="2026-10-25T12:00:00+01:00")
    early = scheduler.post(f"/api/v1/sessions/{session['id']}/complete")
    assert early.json()["detail"].startswith("This session starts Sun 25 Oct 2026 10:00 (Europe/Amsterdam)")


def test_the_test_clock_is_refused_outside_tests(keys: Keys, tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="BRUG_TEST_CLOCK_FILE .* is for the test suite only"):
        load_settings(
            SchedulerSettings,
            notifier_public_key=keys.public,
            scheduler_signing_key=keys.signing,
            test_clock_file=str(tmp_path / "clock"),
        )
    allowed = load_settings(
        SchedulerSettings,
        notifier_public_key=keys.public,
        scheduler_signing_key=keys.signing,
        environment="test",
        test_clock_file=str(tmp_path / "clock"),
    )
    Clock(tmp_path / "clock").advance(timedelta(days=3))
    assert allowed.clock.now() - datetime.now(UTC) > timedelta(days=2, hours=23)


def test_bookings_close_at_the_cut_off_its_ambassadors_set(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    session = make_session(scheduler, booking_cutoff_minutes=120)
    assert session["booking_cutoff_minutes"] == 120
    start = datetime.fromisoformat(session["starts_at"]).replace(tzinfo=UTC)
    set_clock(scheduler_server.app, start - timedelta(hours=2, seconds=30))
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/bookings", json={"locale": "ar"}).status_code == 201
    set_clock(scheduler_server.app, start - timedelta(hours=2) + timedelta(seconds=1))
    late = scheduler.post(f"/api/v1/sessions/{session['id']}/bookings", json={"locale": "ar"})
    assert late.status_code == 409 and late.json()["error"] == "BookingsClosed"
    assert "120 minutes before it starts" in late.json()["detail"]
    reopened = scheduler.patch(f"/api/v1/sessions/{session['id']}", json={"booking_cutoff_minutes": 0})
    assert reopened.status_code == 200 and reopened.json()["booking_cutoff_minutes"] == 0
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/bookings", json={"locale": "ar"}).status_code == 201
    too_long = scheduler.patch(f"/api/v1/sessions/{session['id']}", json={"booking_cutoff_minutes": 7 * 24 * 60 + 1})
    assert too_long.status_code == 422 and "booking_cutoff_minutes" in too_long.text
