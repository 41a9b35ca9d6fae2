"""Ambassadors' hours: logging, who sees whose, month totals against the allowance cap, the CSV statement."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest

from scheduler.app import create_app
from shared.natsserver import NatsServer
from tests.support.clock import EARLY_2026, set_clock
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD, Keys, scheduler_settings
from tests.support.factories import log_hours, make_session, make_user, make_venue, signed_in
from tests.support.servers import ThreadedServer


@pytest.fixture
def scheduler(scheduler: httpx.Client, scheduler_server: ThreadedServer) -> httpx.Client:
    """The coordinator's client, on a scheduler whose clock is set before the fixed dates these tests plan on
    (tests/support/clock.py)."""
    set_clock(scheduler_server.app, EARLY_2026)
    return scheduler


#: sessions on fixed days in 2026, so their month (and the year's cap) never depend on today's date.
MARCH = [f"2026-03-{day:02d}T10:00:00+01:00" for day in (3, 10, 17, 24)]


@dataclass
class Team:
    coordinator: httpx.Client
    a: httpx.Client
    b: httpx.Client
    staff: httpx.Client
    a_id: str
    b_id: str
    venue: dict[str, Any]

    def session(self, starts_at: str, *ambassadors: str) -> str:
        ends_at = starts_at.replace("T10:", "T12:")
        ids = list(ambassadors) or [self.a_id]
        body = {"starts_at": starts_at, "ends_at": ends_at, "ambassador_ids": ids}
        return make_session(self.coordinator, self.venue, **body)["id"]  # type: ignore[no-any-return]


@pytest.fixture
def team(scheduler: httpx.Client, scheduler_server: ThreadedServer) -> Iterator[Team]:
    a, b = make_user(scheduler, "ambassador"), make_user(scheduler, "ambassador")
    staff = make_user(scheduler, "provider_staff")
    with ExitStack() as stack:
        clients = [signed_in(stack.enter_context(scheduler_server.client()), u["email"]) for u in (a, b, staff)]
        yield Team(scheduler, *clients, a_id=a["id"], b_id=b["id"], venue=make_venue(scheduler))


def _month(client: httpx.Client, user_id: str, month: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/hours/{user_id}/{month}")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_an_ambassador_logs_session_and_unpaid_work_and_both_show_in_the_month(team: Team) -> None:
    session = team.session(MARCH[1])
    logged = log_hours(team.a, kind="session", session_id=session, hours=2.5, travel_cost="7.40", allowance=50)
    assert logged["entry"] == {
        "id": logged["entry"]["id"],
        "user_id": team.a_id,
        "kind": "session",
        "session_id": session,
        "date": "2026-03-10",
        "hours": "2.50",
        "travel_cost": "7.40",
        "allowance": "50.00",
        "note": "",
        "logged_by": team.a_id,
    }
    log_hours(
        team.a,
        kind="translation",
        date="2026-03-12",
        hours="1.5",
        note="Translated the flyer for 2026-03-24 into Tigrinya",
    )
    log_hours(team.a, kind="meeting", date="2026-04-01", hours=1)  # another month

    totals = _month(team.a, team.a_id, "2026-03")
    assert totals == {
        "user_id": team.a_id,
        "month": "2026-03",
        "session_hours": "2.50",
        "unpaid_hours": "1.50",
        "travel_cost": "7.40",
        "allowance": "50.00",
        "cap": "170.00",
        "cap_source": "legal",
        "remaining": "120.00",
        "over_cap": False,
        "warning": None,
        "entries": 2,
    }
    assert logged["month"] == {**totals, "unpaid_hours": "0.00", "entries": 1}
    listed = team.a.get("/api/v1/hours", params={"month": "2026-03"}).json()
    assert [(e["kind"], e["date"]) for e in listed] == [("session", "2026-03-10"), ("translation", "2026-03-12")]
    assert len(team.a.get("/api/v1/hours").json()) == 3


def test_the_month_warns_when_the_allowance_reaches_and_when_it_passes_the_cap(team: Team) -> None:
    first, second, third = (team.session(day) for day in MARCH[:3])
    below = log_hours(team.coordinator, kind="session", session_id=first, user_id=team.a_id, hours=2, allowance=100)
    assert below["month"]["warning"] is None and below["entry"]["logged_by"] != team.a_id

    reached = log_hours(team.a, kind="session", session_id=second, hours=2, allowance="70.00")["month"]
    assert (reached["allowance"], reached["remaining"], reached["over_cap"]) == ("170.00", "0.00", False)
    assert reached["warning"] == (
        "The allowance for 2026-03 has reached the monthly cap of EUR 170.00; any further allowance "
        "this month can cut the ambassador's benefit."
    )
    over = team.coordinator.post(
        "/api/v1/hours",
        json={"kind": "session", "session_id": third, "user_id": team.a_id, "hours": 1, "allowance": "0.01"},
    )
    assert over.status_code == 201  # the work was done: stored, but the coordinator is told
    month = over.json()["month"]
    assert (month["allowance"], month["remaining"], month["over_cap"]) == ("170.01", "0.00", True)
    assert month["warning"] == (
        "The allowance for 2026-03 is EUR 170.01, EUR 0.01 over the monthly cap of EUR 170.00; paying it "
        "can cut the ambassador's benefit. Do not pay the excess."
    )
    assert _month(team.coordinator, team.a_id, "2026-03") == month


def test_ambassadors_see_and_log_only_their_own_hours_and_provider_staff_none(team: Team) -> None:
    session = team.session(MARCH[0])
    log_hours(team.a, date="2026-03-02")
    log_hours(team.b, date="2026-03-02")
    own_only = {
        "error": "NotYourHours",
        "detail": "You can see and log only your own hours; a coordinator can see anyone's.",
    }
    for response in (
        team.b.get(f"/api/v1/hours/{team.a_id}/2026-03"),
        team.b.get(f"/api/v1/hours/{team.a_id}/2026-03.csv"),
        team.b.get("/api/v1/hours", params={"user_id": team.a_id}),
        team.b.post("/api/v1/hours", json={"kind": "admin", "date": "2026-03-02", "hours": 1, "user_id": team.a_id}),
    ):
        assert (response.status_code, response.json()) == (403, own_only)
    assert {e["user_id"] for e in team.b.get("/api/v1/hours").json()} == {team.b_id}
    assert {e["user_id"] for e in team.coordinator.get("/api/v1/hours").json()} == {team.a_id, team.b_id}
    only_a = team.coordinator.get("/api/v1/hours", params={"user_id": team.a_id, "month": "2026-03"}).json()
    assert {e["user_id"] for e in only_a} == {team.a_id}

    not_on_it = team.b.post("/api/v1/hours", json={"kind": "session", "session_id": session, "hours": 2})
    assert not_on_it.status_code == 403
    assert not_on_it.json()["error"] == "NotYourSession"
    for_b = team.coordinator.post(
        "/api/v1/hours", json={"kind": "session", "session_id": session, "hours": 2, "user_id": team.b_id}
    )
    assert (for_b.status_code, for_b.json()) == (
        422,
        {
            "error": "NotOnSession",
            "detail": f"{team.b_id} is not one of this session's ambassadors; log hours only for those named on it.",
        },
    )
    staff_listing = team.staff.get("/api/v1/hours")
    assert staff_listing.status_code == 403
    assert team.staff.post("/api/v1/hours", json={"kind": "admin", "date": "2026-03-02", "hours": 1}).status_code == 403


def test_a_coordinator_may_log_for_any_ambassador_named_on_the_session_but_must_name_one(team: Team) -> None:
    shared = team.session(MARCH[3], team.a_id, team.b_id)
    for user_id in (team.a_id, team.b_id):
        log_hours(team.coordinator, kind="session", session_id=shared, user_id=user_id, hours=2, allowance=20)
    unnamed = team.coordinator.post("/api/v1/hours", json={"kind": "admin", "date": "2026-03-02", "hours": 1})
    assert unnamed.status_code == 422
    assert unnamed.json() == {
        "error": "NotAnAmbassador",
        "detail": "Name the ambassador whose hours these are in user_id; see GET /api/v1/users.",
    }
    coordinator_id = team.coordinator.get("/api/v1/auth/me").json()["id"]
    for_coordinator = team.coordinator.post(
        "/api/v1/hours", json={"kind": "admin", "date": "2026-03-02", "hours": 1, "user_id": coordinator_id}
    )
    assert for_coordinator.json()["error"] == "NotAnAmbassador"
    twice = team.a.post("/api/v1/hours", json={"kind": "session", "session_id": shared, "hours": 2})
    assert (twice.status_code, twice.json()["error"]) == (409, "HoursAlreadyLogged")


def test_a_session_counts_in_the_month_of_its_day_at_the_venue(team: Team) -> None:
    """23:30 UTC on 31 March is 01:30 on 1 April in Amsterdam: the April statement holds it."""
    session = make_session(
        team.coordinator,
        team.venue,
        starts_at="2026-03-31T23:30:00+00:00",
        ends_at="2026-04-01T01:00:00+00:00",
        ambassador_ids=[team.a_id],
    )["id"]
    entry = log_hours(team.a, kind="session", session_id=session, hours=2, allowance=10)["entry"]
    assert entry["date"] == "2026-04-01"
    assert _month(team.a, team.a_id, "2026-04")["allowance"] == "10.00"
    assert _month(team.a, team.a_id, "2026-03")["entries"] == 0


def test_a_year_without_a_cap_is_refused_naming_the_year_to_add(team: Team) -> None:
    missing = {
        "error": "AllowanceCapMissing",
        "detail": 'No monthly allowance cap is set for 2027 (set for: 2026); add "2027" with the legal amount in '
        'euro to the setting BRUG_ALLOWANCE_CAPS, e.g. {"2027": 170.00}.',
    }
    month = team.a.get(f"/api/v1/hours/{team.a_id}/2027-01")
    assert (month.status_code, month.json()) == (422, missing)
    logging = team.a.post("/api/v1/hours", json={"kind": "admin", "date": "2027-01-05", "hours": 1})
    assert (logging.status_code, logging.json()) == (422, missing)
    assert team.a.get("/api/v1/hours", params={"month": "2027-01"}).json() == []  # not stored


def test_each_year_has_the_cap_the_setting_gives_it(nats: NatsServer, database_url: str, keys: Keys) -> None:
    caps = {2026: Decimal("170.00"), 2027: Decimal("180.50")}
    app = create_app(scheduler_settings(nats.url, database_url, keys, allowance_caps=caps))
    with ThreadedServer(app) as server, server.client() as client:
        coordinator = signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        a = make_user(coordinator, "ambassador")["id"]
        log_hours(coordinator, user_id=a, date="2027-02-01", hours=3)
        totals = _month(coordinator, a, "2027-02")
        assert (totals["cap"], totals["remaining"], totals["unpaid_hours"]) == ("180.50", "180.50", "3.00")
        assert _month(coordinator, a, "2026-02")["cap"] == "170.00"


def test_the_csv_statement_has_a_row_per_entry_and_a_totals_row(team: Team) -> None:
    session = team.session(MARCH[2])
    log_hours(team.a, kind="session", session_id=session, hours=2, travel_cost="12.30", allowance=170)
    log_hours(team.a, kind="other", date="2026-03-20", hours="0.75", note="=HYPERLINK(1) set up chairs, made tea")

    response = team.a.get(f"/api/v1/hours/{team.a_id}/2026-03.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == f'attachment; filename="hours-{team.a_id}-2026-03.csv"'
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["date", "kind", "session_id", "hours", "travel_cost_eur", "allowance_eur", "note"]
    assert rows[1] == ["2026-03-17", "session", session, "2.00", "12.30", "170.00", ""]
    assert rows[2] == ["2026-03-20", "other", "", "0.75", "0.00", "0.00", "'=HYPERLINK(1) set up chairs, made tea"]
    total = rows[3]
    assert total[:6] == ["total", "", "", "2.75", "12.30", "170.00"]
    assert total[6].startswith("session 2.00 h, unpaid 0.75 h, cap 170.00 EUR. The allowance for 2026-03 has reached")
    assert len(rows) == 4
    assert team.coordinator.get(f"/api/v1/hours/{team.a_id}/2026-03.csv").text == response.text


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "admin", "date": "2026-03-02", "hours": 0},
        {"kind": "admin", "date": "2026-03-02", "hours": "24.5"},
        {"kind": "admin", "date": "2026-03-02", "hours": "1.125"},
        {"kind": "admin", "date": "2026-03-02"},
        {"kind": "admin", "hours": 1},
        {"kind": "cooking", "date": "2026-03-02", "hours": 1},
        {"kind": "admin", "date": "2026-03-02", "hours": 1, "allowance": 20},
        {"kind": "meeting", "date": "2026-03-02", "hours": 1, "note": "Called Amina on 06 12345678"},
        {"kind": "meeting", "date": "2026-03-02", "hours": 1, "note": "Texted +31 6 1234 5678"},
        {"kind": "meeting", "date": "2026-03-02", "hours": 1, "note": "Mailed amina@example.org"},
        {"kind": "meeting", "date": "2026-03-02", "hours": 1, "note": "x" * 201},
        {"kind": "session", "session_id": "{session}", "hours": 2, "travel_cost": -1},
        {"kind": "session", "session_id": "{session}", "hours": 2, "allowance": "1.005"},
        {"kind": "session", "session_id": "{session}", "hours": 2, "date": "2026-03-02"},
        {"kind": "session", "hours": 2},
    ],
)
def test_invalid_entries_are_refused_and_nothing_is_stored(team: Team, body: dict[str, Any]) -> None:
    session = team.session(MARCH[0])
    payload = {k: session if v == "{session}" else v for k, v in body.items()}
    response = team.a.post("/api/v1/hours", json=payload)
    assert response.status_code == 422, response.text
    assert team.a.get("/api/v1/hours").json() == []


def test_unknown_sessions_users_and_malformed_months_are_4xx(team: Team) -> None:
    unknown = team.a.post("/api/v1/hours", json={"kind": "session", "session_id": "nope", "hours": 2})
    assert (unknown.status_code, unknown.json()["error"]) == (404, "SessionNotFound")
    nobody = team.coordinator.get("/api/v1/hours/nobody/2026-03")
    assert (nobody.status_code, nobody.json()["error"]) == (404, "UserNotFound")
    for path in (
        f"/api/v1/hours/{team.a_id}/2026-13",
        f"/api/v1/hours/{team.a_id}/2026-3.csv",
        "/api/v1/hours?month=26-03",
        "/api/v1/hours?month=0000-01",  # found by make fuzz: a 500
        f"/api/v1/hours/{team.a_id}/9999-12",
    ):
        assert team.a.get(path).status_code == 422, path
