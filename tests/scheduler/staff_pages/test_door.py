"""The door: who may open a session's page, checking in by code, walk-ins and closing."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx

from tests.scheduler.staff_pages.pages import browser, csrf_of, post_form, sign_in, text_of
from tests.support.clock import until_started
from tests.support.factories import book, make_session, make_user
from tests.support.servers import ThreadedServer


def test_an_ambassador_cannot_open_or_run_another_ambassadors_session(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    session_id = staffed["session"]["id"]
    page = staffed["theirs"].get(f"/staff/sessions/{session_id}")
    assert page.status_code == 403
    assert "not one of this session's ambassadors" in html.unescape(page.text)
    assert staffed["session"]["internal_title"] not in page.text
    code = book(api, session_id)["code"]
    at_the_door = post_form(staffed["theirs"], "/staff", f"/staff/sessions/{session_id}/check-in", code=code)
    assert at_the_door.status_code == 403
    assert post_form(staffed["theirs"], "/staff", f"/staff/sessions/{session_id}/edit").status_code == 403
    assert staffed["theirs"].get(f"/staff/sessions/{session_id}/cards.pdf").status_code == 403
    assert staffed["theirs"].get("/staff/sessions/no-such-session").status_code == 404
    listed = staffed["theirs"].get("/staff")
    assert session_id not in listed.text and session_id in staffed["mine"].get("/staff").text


def test_check_in_by_code_says_clearly_what_happened(staffed: dict[str, Any], api: httpx.Client) -> None:
    session_id = staffed["session"]["id"]
    code = book(api, session_id)["code"]
    door = f"/staff/sessions/{session_id}"
    typed = code.lower().replace("-", " ")  # as someone reads it out

    done = post_form(staffed["mine"], door, f"{door}/check-in", code=typed)
    assert done.status_code == 200
    assert text_of(done, "door-result") == f"Checked in: {code}"
    assert text_of(done, "count-checked-in") == "1"
    assert 'id="code" name="code" class="door-code" value=""' in done.text  # empty again for the next person

    again = post_form(staffed["mine"], door, f"{door}/check-in", code=code)
    assert again.status_code == 409
    assert text_of(again, "door-result") == f"Not checked in: {code}"
    assert text_of(again, "door-detail") == f"Booking {code} is already checked in."
    unknown = post_form(staffed["mine"], door, f"{door}/check-in", code="ZZZZ-ZZZZ")
    assert unknown.status_code == 404 and "check the code" in text_of(unknown, "door-detail")
    assert 'role="alert"' in unknown.text
    empty = post_form(staffed["mine"], door, f"{door}/check-in", code="")
    assert empty.status_code == 422 and "Type the booking code" in empty.text


def test_walk_ins_are_counted_and_closing_reports_the_attendance(
    staffed: dict[str, Any], api: httpx.Client, server: ThreadedServer
) -> None:
    session_id = staffed["session"]["id"]
    door = f"/staff/sessions/{session_id}"
    first, _second = book(api, session_id), book(api, session_id)
    post_form(staffed["mine"], door, f"{door}/check-in", code=first["code"])
    walked = post_form(staffed["mine"], door, f"{door}/walk-ins", count="2")
    assert walked.status_code == 200 and text_of(walked, "count-walk-ins") == "2"
    assert text_of(walked, "count-booked") == "2"

    unconfirmed = post_form(staffed["mine"], door, f"{door}/complete")
    assert unconfirmed.status_code == 422 and "tick the box" in text_of(unconfirmed, "door-result")
    early = post_form(staffed["mine"], door, f"{door}/complete", confirm="yes")
    assert early.status_code == 409 and "it can be completed once it has started" in text_of(early, "door-detail")
    until_started(server.app, staffed["session"])
    closed = post_form(staffed["mine"], door, f"{door}/complete", confirm="yes")
    assert 'id="undo-form"' in closed.text  # for BRUG_COMPLETION_UNDO_MINUTES
    reopened = post_form(staffed["mine"], door, f"{door}/reopen")
    assert reopened.status_code == 200 and "open again" in text_of(reopened, "door-result")
    assert api.get(f"/api/v1/sessions/{session_id}").json()["status"] == "published"
    closed = post_form(staffed["mine"], door, f"{door}/complete", confirm="yes")
    assert closed.status_code == 200
    assert text_of(closed, "door-result") == "The session is closed. Attendance: 3."
    assert api.get(f"/api/v1/sessions/{session_id}").json()["status"] == "completed"
    assert 'id="cards-link" href="/staff/sessions/' in closed.text
    assert 'action="/staff/sessions/' + session_id + '/check-in"' not in closed.text  # no door form any more
    late = staffed["mine"].post(f"{door}/check-in", data={"csrf": csrf_of(closed), "code": first["code"]})
    assert late.status_code == 409 and "completed" in text_of(late, "door-detail")


def test_provider_staff_see_their_organisations_session_but_do_not_run_it(
    server: ThreadedServer, api: httpx.Client
) -> None:
    staff = make_user(api, role="provider_staff")
    session = make_session(api, provider_id=staff["provider_id"])
    elsewhere = make_session(api)
    with browser(server) as client:
        sign_in(client, staff["email"])
        page = client.get(f"/staff/sessions/{session['id']}")
        assert page.status_code == 200 and text_of(page, "count-booked") == "0"
        assert 'id="code"' not in page.text and "/complete" not in page.text
        assert post_form(client, "/staff", f"/staff/sessions/{session['id']}/complete").status_code == 403
        assert client.get(f"/staff/sessions/{elsewhere['id']}").status_code == 403
        assert client.get("/staff/sessions/new").status_code == 403
        assert client.get("/staff/hours").status_code == 403
    assert api.get(f"/api/v1/sessions/{session['id']}").json()["status"] == "published"


def test_the_door_reads_codes_and_numbers_typed_with_persian_digits(staffed: dict[str, Any], api: httpx.Client) -> None:
    session_id = staffed["session"]["id"]
    door = f"/staff/sessions/{session_id}"
    code = next(c for c in (book(api, session_id)["code"] for _ in range(40)) if re.search(r"\d", c))
    persian = code.lower().translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    done = post_form(staffed["mine"], door, f"{door}/check-in", code=persian)
    assert done.status_code == 200 and text_of(done, "door-result") == f"Checked in: {code}"
    walked = post_form(staffed["mine"], door, f"{door}/walk-ins", count="۲")
    assert walked.status_code == 200 and text_of(walked, "count-walk-ins") == "2"
    cards = post_form(staffed["mine"], door, f"{door}/cards/extra", count="۳")
    assert "Give a number of cards" not in cards.text  # read as 3 (this module runs no feedback service to ask)
