"""A coordinator's tools as pages: erasure by booking code (two steps), the audit log (filters, paging)
and the events the scheduler gave up on (each replayed once). Every one refuses the other roles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import select

from scheduler.feedback_summaries.models import SessionFeedback
from shared.events import Envelope, ReportPublished
from shared.tables import DeadLetter
from shared.unit_of_work import UnitOfWork
from tests.scheduler.staff_pages.pages import AMSTERDAM, browser, csrf_of, sign_in, text_of
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.factories import book, make_session, make_user, make_venue
from tests.support.servers import ThreadedServer

ENTRY = re.compile(r'id="entry-(\d+)"')


@pytest.fixture(scope="module")
def coordinator(server: ThreadedServer) -> Iterator[httpx.Client]:
    with browser(server) as client:
        assert sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 303
        yield client


@pytest.fixture(scope="module")
def ambassador(server: ThreadedServer, api: httpx.Client) -> Iterator[httpx.Client]:
    with browser(server) as client:
        assert sign_in(client, make_user(api)["email"]).status_code == 303
        yield client


def _confirm(client: httpx.Client, code: str) -> httpx.Response:
    return client.post("/staff/erasure/confirm", data={"csrf": csrf_of(client.get("/staff/erasure")), "code": code})


def test_only_coordinators_open_the_tools(ambassador: httpx.Client) -> None:
    for path in ("/staff/erasure", "/staff/audit", "/staff/dead-letters"):
        refused = ambassador.get(path)
        assert refused.status_code == 403, path
        assert "For coordinators only" in refused.text
    token = csrf_of(ambassador.get("/staff/password"))
    assert ambassador.post("/staff/erasure", data={"csrf": token, "code": "ABCD-EFGH"}).status_code == 403
    assert ambassador.post("/staff/dead-letters/1/replay", data={"csrf": token}).status_code == 403


def test_erasure_says_what_will_go_without_the_data_then_erases_once_and_audits(
    coordinator: httpx.Client, api: httpx.Client
) -> None:
    session = make_session(api, capacity=1)
    booking = book(api, session["id"], nickname="Zarifa", phone="06 13572468", feedback_consent=True)
    assert book(api, session["id"])["status"] == "waitlisted"
    typed = booking["code"].lower().replace("-", " ")

    step = _confirm(coordinator, typed)
    assert step.status_code == 200
    assert text_of(step, "erasure-booking").startswith(f"Booking {booking['code']} for {session['public_title']},")
    goes = step.text[step.text.index('id="erasure-goes"') : step.text.index("</ul>", step.text.index("erasure-goes"))]
    assert "The name they gave" in goes and "phone number or e-mail address" in goes and "feedback" in goes
    assert "the seat goes to the first person on the waitlist" in text_of(step, "erasure-seat")
    for secret in ("Zarifa", "13572468", session["internal_title"]):
        assert secret not in step.text

    erased = coordinator.post("/staff/erasure", data={"csrf": csrf_of(step), "code": booking["code"]})
    assert erased.status_code == 303 and erased.headers["location"] == "/staff/erasure?done=released"
    assert text_of(coordinator.get(erased.headers["location"]), "erasure-done").startswith("The data is erased.")
    counts = api.get(f"/api/v1/sessions/{session['id']}").json()
    assert (counts["confirmed"], counts["waitlisted"]) == (1, 0)  # the one waiting got the seat
    entries = api.get("/api/v1/audit", params={"action": "booking.erased"}).json()["entries"]
    assert [(e["targets"]["session_id"], e["targets"]["seat"]) for e in entries] == [(session["id"], "released")]
    assert booking["code"] not in str(entries)

    again = _confirm(coordinator, booking["code"])
    assert "nothing is left to erase" in text_of(again, "erasure-already") and "Erase the data" not in again.text
    twice = coordinator.post("/staff/erasure", data={"csrf": csrf_of(again), "code": booking["code"]})
    assert twice.headers["location"] == "/staff/erasure?done=already"
    assert len(api.get("/api/v1/audit", params={"action": "booking.erased"}).json()["entries"]) == 1


def test_erasure_explains_an_empty_a_malformed_and_an_unknown_code(coordinator: httpx.Client) -> None:
    empty = _confirm(coordinator, "  ")
    assert (empty.status_code, text_of(empty, "code-error")) == (422, "Type the booking code, like EGU4-KHET.")
    assert 'aria-invalid="true" aria-describedby="code-error"' in empty.text
    malformed = _confirm(coordinator, "ABC-12")
    assert malformed.status_code == 422 and text_of(malformed, "code-error").startswith("A booking code has 8")
    ambiguous = _confirm(coordinator, "ABCD-EFG0")  # a zero: never in a code
    assert ambiguous.status_code == 422
    unknown = _confirm(coordinator, "zzzz zzzz")
    assert unknown.status_code == 404
    assert text_of(unknown, "code-error") == "No booking has the code ZZZZ-ZZZZ. Check the code the attendee gave."
    forged = coordinator.post("/staff/erasure", data={"csrf": "made-up", "code": "ZZZZ-ZZZZ"})
    assert forged.status_code == 403


def test_the_audit_log_filters_by_action_actor_and_dates_and_pages_both_ways(
    coordinator: httpx.Client, api: httpx.Client
) -> None:
    made = [make_venue(api)["id"] for _ in range(23)]
    me = api.get("/api/v1/auth/me").json()["id"]
    today = datetime.now(AMSTERDAM).date()
    filters = {"action": "venue.created", "actor": me, "from": today.isoformat(), "to": today.isoformat()}

    first = coordinator.get("/staff/audit", params=filters)
    assert first.status_code == 200
    ids = [int(i) for i in ENTRY.findall(first.text)]
    assert len(ids) == 20 and ids == sorted(ids, reverse=True)  # newest first
    assert made[-1] in first.text and made[0] not in first.text
    assert "Newer</a>" not in first.text
    older_link = re.search(r'href="(/staff/audit\?[^"]+)" rel="next"', first.text)
    assert older_link is not None and "action=venue.created" in older_link.group(1)
    older = coordinator.get(older_link.group(1).replace("&amp;", "&"))
    older_ids = [int(i) for i in ENTRY.findall(older.text)]
    assert older_ids and max(older_ids) < min(ids) and made[0] in older.text
    newer_link = re.search(r'href="(/staff/audit\?[^"]+)" rel="prev"', older.text)
    assert newer_link is not None
    back = coordinator.get(newer_link.group(1).replace("&amp;", "&"))
    assert [int(i) for i in ENTRY.findall(back.text)] == ids

    by_prefix = coordinator.get("/staff/audit", params={"action": "venue."})
    assert ENTRY.findall(by_prefix.text)[0] == str(ids[0])
    assert '"audit-action">session.' not in by_prefix.text and '"audit-action">venue.created' in by_prefix.text
    tomorrow = (today + timedelta(days=1)).isoformat()
    none = coordinator.get("/staff/audit", params={**filters, "from": tomorrow, "to": tomorrow})
    assert text_of(none, "audit-empty") == "No entry matches these filters."
    stranger = coordinator.get("/staff/audit", params={**filters, "actor": "nobody-by-this-id"})
    assert ENTRY.findall(stranger.text) == []

    bad = coordinator.get("/staff/audit", params={"from": "7-12-2026"})
    assert bad.status_code == 422 and text_of(bad, "from-error").startswith("Give the date as YYYY-MM-DD")
    backwards = coordinator.get("/staff/audit", params={"from": tomorrow, "to": today.isoformat()})
    assert backwards.status_code == 422 and text_of(backwards, "to-error") == "The end date is before the start date."


def _letter(server: ThreadedServer, envelope: Envelope | None, reason: str) -> int:
    """A letter as the scheduler's consumer records one when it gives up on a report."""
    letter = DeadLetter(
        consumer="scheduler",
        stream="FEEDBACK",
        stream_seq=1,
        subject=ReportPublished.type,
        event_id=envelope.id if envelope else None,
        reason=reason,
        body=envelope.to_json().decode() if envelope else None,
    )
    with UnitOfWork(server.app.state.runtime.engine) as db:
        db.add(letter)
        db.flush()
        assert letter.id is not None
        return letter.id


def _feedback(server: ThreadedServer, session_id: str) -> list[SessionFeedback]:
    with UnitOfWork(server.app.state.runtime.engine) as db:
        return list(db.exec(select(SessionFeedback).where(SessionFeedback.session_id == session_id)).all())


def _replay(client: httpx.Client, letter_id: int) -> httpx.Response:
    token = csrf_of(client.get("/staff/dead-letters"))
    return client.post(f"/staff/dead-letters/{letter_id}/replay", data={"csrf": token})


def test_a_dead_letter_is_listed_with_its_reason_and_replayed_once(
    coordinator: httpx.Client, api: httpx.Client, server: ThreadedServer
) -> None:
    session = make_session(api)
    report = ReportPublished(session_id=session["id"], response_count=7, summary={"useful": 5})
    envelope = Envelope.wrap(report, producer="feedback")
    first = _letter(server, envelope, "failed 3 times; last error OperationalError: database is locked")
    same_event = _letter(server, envelope, "failed 3 times; last error OperationalError: database is locked")
    unreadable = _letter(server, None, "not JSON: Expecting value")

    listed = coordinator.get("/staff/dead-letters")
    card = listed.text[listed.text.index(f'id="letter-{first}"') :]
    assert "feedback.report.published" in card and "database is locked" in card
    assert f'action="/staff/dead-letters/{first}/replay"' in listed.text
    assert f'action="/staff/dead-letters/{unreadable}/replay"' not in listed.text
    assert "No event was kept" in listed.text

    replayed = _replay(coordinator, first)
    assert replayed.status_code == 303 and replayed.headers["location"] == "/staff/dead-letters?done=applied"
    assert text_of(coordinator.get(replayed.headers["location"]), "replay-result") == "Replayed: the event is applied."
    assert [(f.response_count, f.summary) for f in _feedback(server, session["id"])] == [(7, {"useful": 5})]

    again = _replay(coordinator, first)
    assert again.status_code == 409 and "replayed before" in text_of(again, "replay-result")
    duplicate = _replay(coordinator, same_event)
    assert duplicate.headers["location"] == "/staff/dead-letters?done=duplicate"  # the inbox had it: not run again
    assert _replay(coordinator, unreadable).status_code == 409
    assert _replay(coordinator, 10**9).status_code == 404
    entries = api.get("/api/v1/audit", params={"action": "dead_letter.replayed"}).json()["entries"]
    assert [(e["targets"]["letter_id"], e["targets"]["outcome"]) for e in entries] == [
        (str(same_event), "duplicate"),
        (str(first), "applied"),
    ]


def test_the_tools_speak_dutch(coordinator: httpx.Client) -> None:
    pages: dict[str, Any] = {"/staff/erasure": "Gegevens van een deelnemer wissen", "/staff/audit": "Auditlog"}
    pages["/staff/dead-letters"] = "Opgegeven gebeurtenissen"
    for path, heading in pages.items():
        assert f"<h1>{heading}</h1>" in coordinator.get(path, params={"lang": "nl"}).text
