"""The right to erasure, across real processes: a coordinator erases one attendee by booking code, and
afterwards neither the scheduler's nor the notifier's database holds their number, address, nickname
or sealed contact in any column of any table; another attendee of the same session keeps theirs."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text

from shared.db import normalise_url
from tests.support.factories import book, make_session
from tests.support.servers import wait_until
from tests.support.system import System

PHONE, EMAIL, NICKNAME = "06 13572468", "amal.erase@example.net", "Zarifa-Q"
#: every form the number and the address could take (E.164, national, percent-encoded...) contains these.
TRACES = ("13572468", "amal.erase", "Zarifa")


def _everything(url: str) -> str:
    """Every row of every table of a database, as text: what a copy of it would give away."""
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            tables = inspect(connection).get_table_names()
            return "\n".join(
                f"{table}: {row}" for table in tables for row in connection.execute(text(f'SELECT * FROM "{table}"'))
            )
    finally:
        engine.dispose()


@pytest.mark.production_backend  # the whole system starts for it: once, on PostgreSQL when there is one
def test_an_erased_attendee_leaves_no_trace_in_either_database_and_the_audit_log_names_no_data(
    system: System,
) -> None:
    scheduler = system.client("scheduler")
    session = make_session(scheduler)
    erased = book(scheduler, session["id"], phone=PHONE, email=EMAIL, nickname=NICKNAME, locale="fa")
    kept = book(scheduler, session["id"], phone="06 24681357", locale="ar")
    wait_until(lambda: len(system.sms()) == 2 or None, message="both confirmation SMS")
    sealed = [
        system.scalar("scheduler", "SELECT sealed_contact FROM booking WHERE code = :c", c=erased["code"]),
        wait_until(
            lambda: system.scalar(
                "notifier", "SELECT sealed_contact FROM recipient WHERE booking_code = :c", c=erased["code"]
            ),
            message="the notifier's copy of the contact",
        ),
    ]
    assert all(sealed)

    answer = scheduler.post(f"/api/v1/bookings/{erased['code'].lower().replace('-', ' ')}/erasure")
    assert answer.status_code == 200, answer.text
    assert answer.json()["seat"] == "released"  # the session is still ahead
    assert answer.json()["already_erased"] is False

    wait_until(
        lambda: (
            system.scalar("notifier", "SELECT count(*) FROM recipient WHERE booking_code = :c", c=erased["code"]) == 0
            or None
        ),
        message="the notifier to delete the recipient",
    )
    wait_until(
        lambda: (
            system.scalar("notifier", "SELECT count(*) FROM delivery WHERE booking_code = :c", c=erased["code"]) == 0
            or None
        ),
        message="the notifier to blank the deliveries",
    )
    scheduler_db, notifier_db = (
        _everything(system.database_urls["scheduler"]),
        _everything(system.database_urls["notifier"]),
    )
    for trace in (*TRACES, *sealed):
        assert trace not in scheduler_db, trace
        assert trace not in notifier_db, trace
    assert "24681357" not in scheduler_db  # sealed, as ever
    assert system.scalar("notifier", "SELECT count(*) FROM recipient WHERE booking_code = :c", c=kept["code"]) == 1
    assert system.scalar("notifier", "SELECT count(*) FROM delivery WHERE booking_code = ''") >= 1  # counts stay

    # the seat went back, the secret link no longer opens anything, and asking again changes nothing
    assert scheduler.get(f"/api/v1/sessions/{session['id']}").json()["confirmed"] == 1
    link = scheduler.get(f"/api/v1/bookings/{erased['code']}", params={"token": erased["manage_token"]})
    assert link.status_code == 404
    again = scheduler.post(f"/api/v1/bookings/{erased['code']}/erasure").json()
    assert again["already_erased"] is True

    [entry] = scheduler.get("/api/v1/audit", params={"action": "booking.erased"}).json()["entries"]
    assert entry["actor_role"] == "coordinator"
    assert entry["targets"]["session_id"] == session["id"]
    assert entry["targets"]["booking"].startswith("hmac:")
    assert erased["code"] not in str(entry)
    assert not any(trace in system.logs() for trace in TRACES)
