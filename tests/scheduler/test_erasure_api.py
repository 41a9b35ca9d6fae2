"""Erasure in the scheduler: what is wiped, what becomes of the seat, what the notifier is told."""

from __future__ import annotations

import httpx
from sqlalchemy import Engine, text

from tests.scheduler.conftest import Events
from tests.support.clock import until_started
from tests.support.factories import book, make_session, make_user, signed_in
from tests.support.servers import ThreadedServer


def test_erasing_a_booking_of_a_session_ahead_frees_its_seat_for_the_waitlist_and_wipes_the_row(
    scheduler: httpx.Client, engine: Engine, events: Events
) -> None:
    session = make_session(scheduler, capacity=1)
    erased = book(scheduler, session["id"], nickname="Zarifa", phone="06 13572468", feedback_consent=True)
    waiting = book(scheduler, session["id"])
    assert waiting["status"] == "waitlisted"

    answer = scheduler.post(f"/api/v1/bookings/{erased['code']}/erasure").json()
    assert (answer["seat"], answer["already_erased"]) == ("released", False)

    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT status, nickname, sealed_contact, locale, feedback_consent FROM booking WHERE code = :c"),
            {"c": erased["code"]},
        ).one()
    assert tuple(row) == ("cancelled", None, None, "und", False)
    assert [e["booking_code"] for e in events("scheduling.booking.erased")] == [erased["code"]]
    assert events("scheduling.booking.cancelled") == []  # that could still mail a calendar cancellation
    confirmed = events("scheduling.booking.confirmed")
    assert [(e["booking_code"], e["promoted"]) for e in confirmed] == [(erased["code"], False), (waiting["code"], True)]
    assert confirmed[0]["sealed_contact"] is None  # blanked in the outbox too


def test_erasing_a_booking_of_a_completed_session_keeps_the_seat_and_the_attendance(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    session = make_session(scheduler)
    erased = book(scheduler, session["id"], nickname="Zarifa")
    scheduler.post(f"/api/v1/sessions/{session['id']}/check-ins", json={"booking_code": erased["code"]})
    until_started(scheduler_server.app, session)
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/complete").json()["attendance"] == 1

    answer = scheduler.post(f"/api/v1/bookings/{erased['code']}/erasure").json()
    assert answer["seat"] == "kept"
    assert scheduler.get(f"/api/v1/sessions/{session['id']}").json()["confirmed"] == 1
    assert scheduler.post(f"/api/v1/bookings/{erased['code']}/erasure").json()["already_erased"] is True
    assert len(scheduler.get("/api/v1/audit", params={"action": "booking.erased"}).json()["entries"]) == 1


def test_only_coordinators_erase_and_an_unknown_code_is_a_clear_404(
    scheduler: httpx.Client, scheduler_server: ThreadedServer
) -> None:
    ambassador = make_user(scheduler)
    session = make_session(scheduler, ambassador_ids=[ambassador["id"]])
    booking = book(scheduler, session["id"])
    with scheduler_server.client() as other:
        assert other.post(f"/api/v1/bookings/{booking['code']}/erasure").status_code == 401
        assert (
            signed_in(other, ambassador["email"]).post(f"/api/v1/bookings/{booking['code']}/erasure").status_code == 403
        )
    unknown = scheduler.post("/api/v1/bookings/ZZZZ-ZZZZ/erasure")
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "BookingNotFound"
