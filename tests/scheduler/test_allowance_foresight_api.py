"""Planning foresees an ambassador's month against their allowance cap, from their usual allowance per session."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.support.clock import EARLY_2026, set_clock
from tests.support.factories import log_hours, make_session, make_user, make_venue
from tests.support.servers import ThreadedServer


@pytest.fixture
def scheduler(scheduler: httpx.Client, scheduler_server: ThreadedServer) -> httpx.Client:
    """The coordinator's client, on a scheduler whose clock is set before the fixed dates these tests plan on
    (tests/support/clock.py)."""
    set_clock(scheduler_server.app, EARLY_2026)
    return scheduler


#: Tuesdays in March 2026 (the cap for 2026 is EUR 170.00), so nothing depends on today.
TUESDAYS = [f"2026-03-{day:02d}T10:00:00+01:00" for day in (3, 10, 17, 24, 31)]
APRIL = "2026-04-07T10:00:00+02:00"


def _plan(client: httpx.Client, venue: dict[str, Any], ambassador: dict[str, Any], day: str) -> dict[str, Any]:
    ends = (datetime.fromisoformat(day) + timedelta(hours=2)).isoformat()
    return make_session(client, venue, starts_at=day, ends_at=ends, ambassador_ids=[ambassador["id"]])


def test_the_session_that_would_take_the_month_over_the_cap_says_so(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    ambassador = make_user(scheduler, display_name="Amina", session_allowance="50")
    assert ambassador["session_allowance"] == "50.00"
    first, second, third = (_plan(scheduler, venue, ambassador, day) for day in TUESDAYS[:3])
    assert [s["allowance_warnings"] for s in (first, second, third)] == [[], [], []]  # 150.00 of 170.00
    # paid less than usual for the first: 20.00 logged, two to run at 50.00 = 120.00
    log_hours(scheduler, kind="session", session_id=first["id"], user_id=ambassador["id"], hours=2, allowance="20")
    assert _plan(scheduler, venue, ambassador, TUESDAYS[3])["allowance_warnings"] == []  # exactly 170.00

    [warning] = _plan(scheduler, venue, ambassador, TUESDAYS[4])["allowance_warnings"]

    assert warning == (
        "Amina: the sessions planned in 2026-03 would bring the allowance to EUR 220.00 (1 logged, 4 still to run "
        "at EUR 50.00 each), EUR 50.00 over the monthly cap of EUR 170.00; paying it all can cut their benefit. "
        "Plan another ambassador, or agree on unpaid work."
    )
    # another month starts afresh, and the session that warned was planned all the same
    assert _plan(scheduler, venue, ambassador, APRIL)["allowance_warnings"] == []
    listed = scheduler.get("/api/v1/sessions", params={"from": "2026-03-01", "to": "2026-03-31"})
    assert len([s for s in listed.json() if ambassador["id"] in s["ambassador_ids"]]) == 5


def test_a_month_of_a_year_without_a_cap_says_which_year_to_add(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    ambassador = make_user(scheduler, display_name="Amina", session_allowance="50")
    [warning] = _plan(scheduler, venue, ambassador, "2027-01-05T10:00:00+01:00")["allowance_warnings"]
    assert warning == (
        'Amina: No monthly allowance cap is set for 2027 (set for: 2026); add "2027" with the legal amount in euro '
        'to the setting BRUG_ALLOWANCE_CAPS, e.g. {"2027": 170.00}.'
    )


def test_cancelled_sessions_are_not_foreseen_and_moving_one_in_is(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    ambassador = make_user(scheduler, session_allowance="60")
    first, second = (_plan(scheduler, venue, ambassador, day) for day in TUESDAYS[:2])
    assert scheduler.post(f"/api/v1/sessions/{first['id']}/cancel", json={"reason_code": "illness"}).is_success
    assert _plan(scheduler, venue, ambassador, TUESDAYS[2])["allowance_warnings"] == []  # 120.00
    april = _plan(scheduler, venue, ambassador, APRIL)
    assert april["allowance_warnings"] == []

    moved = scheduler.patch(
        f"/api/v1/sessions/{april['id']}",
        json={"starts_at": TUESDAYS[3], "ends_at": TUESDAYS[3].replace("T10:", "T12:")},
    )

    assert moved.status_code == 200, moved.text
    [warning] = moved.json()["allowance_warnings"]
    assert "EUR 180.00 (0 logged, 3 still to run at EUR 60.00 each), EUR 10.00 over the monthly cap" in warning
    assert "allowance_warnings" in moved.json() and second["allowance_warnings"] == []


def test_a_personal_limit_counts_and_an_uncapped_or_unset_ambassador_is_never_warned(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    limited = make_user(scheduler, display_name="Bilal", monthly_allowance_limit="100", session_allowance="40")
    uncapped = make_user(scheduler, allowance_capped=False, session_allowance="100")
    unset = make_user(scheduler)
    for day in TUESDAYS[:2]:
        assert _plan(scheduler, venue, limited, day)["allowance_warnings"] == []
        assert _plan(scheduler, venue, uncapped, day.replace("T10:", "T13:"))["allowance_warnings"] == []
        assert _plan(scheduler, venue, unset, day.replace("T10:", "T16:"))["allowance_warnings"] == []

    [warning] = _plan(scheduler, venue, limited, TUESDAYS[2])["allowance_warnings"]

    assert warning.startswith("Bilal: the sessions planned in 2026-03 would bring the allowance to EUR 120.00")
    assert "EUR 20.00 over the personal monthly limit of EUR 100.00" in warning
    assert _plan(scheduler, venue, uncapped, TUESDAYS[2].replace("T10:", "T13:"))["allowance_warnings"] == []


def test_a_series_warns_on_each_session_past_the_cap(scheduler: httpx.Client) -> None:
    venue = make_venue(scheduler)
    ambassador = make_user(scheduler, session_allowance="45")
    template = make_session(scheduler, venue, starts_at=APRIL, ends_at=APRIL.replace("T10:", "T12:"))
    body = {
        key: template[key]
        for key in ("venue_id", "room_id", "languages", "audience", "topics", "internal_title", "public_title")
    }
    series = scheduler.post(
        "/api/v1/sessions/series",
        json={
            **body,
            "capacity": 10,
            "starts_at": TUESDAYS[0].replace("T10:", "T14:"),
            "ends_at": TUESDAYS[0].replace("T10:", "T16:"),
            "rrule": "FREQ=WEEKLY;COUNT=5",
            "ambassador_ids": [ambassador["id"]],
        },
    )

    assert series.status_code == 201, series.text
    # 45.00 a session: the fourth (180.00) and the fifth (225.00) go over 170.00
    assert [len(s["allowance_warnings"]) for s in series.json()["created"]] == [0, 0, 0, 1, 1]


def test_the_usual_allowance_is_set_and_cleared_for_ambassadors_only(scheduler: httpx.Client) -> None:
    ambassador = make_user(scheduler)
    assert ambassador["session_allowance"] is None
    changed = scheduler.patch(f"/api/v1/users/{ambassador['id']}", json={"session_allowance": "35.5"})
    assert (changed.status_code, changed.json()["session_allowance"]) == (200, "35.50")
    cleared = scheduler.patch(f"/api/v1/users/{ambassador['id']}", json={"session_allowance": None})
    assert cleared.json()["session_allowance"] is None

    coordinator = make_user(scheduler, "coordinator")
    refused = scheduler.patch(f"/api/v1/users/{coordinator['id']}", json={"session_allowance": "10"})

    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("session_allowance is recorded for ambassadors only")
