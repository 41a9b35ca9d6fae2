"""The door: who may open a session's page, checking in by code, walk-ins and closing."""

from __future__ import annotations

import hashlib
import html
import re
from typing import Any

import httpx

from scheduler.pages.door_code import qr_data_uri
from shared.pages.kit import STATIC_DIR
from tests.scheduler.staff_pages.pages import browser, csrf_of, post_form, sign_in, text_of
from tests.support.clock import until_started
from tests.support.factories import book, make_session, make_user
from tests.support.servers import ThreadedServer

LICENCE_SHA256 = "c6596eb7be8581c18be736c846fb9173b69eccf6ef94c5135893ec56bd92ba08"  # jsqr 1.4.0's LICENSE


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


def test_the_door_lists_who_is_expected_to_tap_in_and_counts_walk_ins_up_and_down(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    session_id = staffed["session"]["id"]
    door = f"/staff/sessions/{session_id}"
    named = book(api, session_id, nickname="Amira")
    unnamed = book(api, session_id)
    page = staffed["mine"].get(door)
    assert page.status_code == 200
    assert page.text.index('id="check-in-heading"') < page.text.index('id="expected"') < page.text.index("count-booked")
    tap = re.compile(r'name="code" value="([^"]+)">\s*<button[^>]*><bdi>([^<]+)</bdi>')
    assert sorted(tap.findall(page.text)) == sorted([(named["code"], "Amira"), (unnamed["code"], unnamed["code"])])
    assert page.headers["Permissions-Policy"].startswith("camera=(self),")  # to scan; the rest as every page
    assert "script-src 'self';" in page.headers["Content-Security-Policy"]

    tapped = staffed["mine"].post(f"{door}/check-in", data={"csrf": csrf_of(page), "code": named["code"]})
    assert tapped.status_code == 200 and text_of(tapped, "door-result") == f"Checked in: {named['code']}"
    assert tap.findall(tapped.text) == [(unnamed["code"], unnamed["code"])]  # Amira is in: no button any more
    assert 'Amira</bdi> <span class="muted">checked in' in tapped.text

    plus = post_form(staffed["mine"], door, f"{door}/walk-ins", count="1")
    plus = post_form(staffed["mine"], door, f"{door}/walk-ins", count="1")
    assert text_of(plus, "walk-ins-now") == "2"
    minus = post_form(staffed["mine"], door, f"{door}/walk-ins/remove")
    assert minus.status_code == 200 and text_of(minus, "door-result") == "One walk-in taken off."
    assert text_of(minus, "walk-ins-now") == "1" and text_of(minus, "count-walk-ins") == "1"
    post_form(staffed["mine"], door, f"{door}/walk-ins/remove")
    none_left = post_form(staffed["mine"], door, f"{door}/walk-ins/remove")
    assert none_left.status_code == 422 and "none to take off" in text_of(none_left, "door-detail")
    assert 'id="walk-in-minus" aria-label="One walk-in fewer" disabled' in none_left.text
    assert post_form(staffed["theirs"], "/staff", f"{door}/walk-ins/remove").status_code == 403


def test_the_booking_page_shows_the_code_as_a_qr_code_and_not_the_secret_link(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    """The QR code holds the booking code alone (scheduler.pages.door_code): whoever photographs it gets
    nothing that opens the booking. The browser test reads it with the door's own JavaScript."""
    booked = book(api, staffed["session"]["id"])
    page = api.get(f"/b/{booked['code']}", params={"token": booked["manage_token"]})
    assert page.status_code == 200
    source = re.search(r'id="door-qr" src="([^"]+)"', page.text)
    assert source and html.unescape(source.group(1)) == qr_data_uri(booked["code"])
    assert booked["manage_token"] not in page.text.split('id="door-qr"')[1].split(">")[0]
    cancelled = api.post(f"/api/v1/bookings/{booked['code']}/cancel", params={"token": booked["manage_token"]})
    assert cancelled.status_code == 200, cancelled.text
    gone = api.get(f"/b/{booked['code']}", params={"token": booked["manage_token"]})
    assert gone.status_code == 200 and 'id="door-qr"' not in gone.text  # nothing to show at a door


def test_the_qr_decoder_is_jsqr_from_npm_unchanged_with_its_licence() -> None:
    """jsQR.js is ``dist/jsQR.js`` of the npm package ``jsqr`` 1.4.0 and jsQR-LICENSE.txt its ``LICENSE``
    (Apache-2.0), byte for byte: upgrading means replacing them and these hashes. Plain JavaScript, no
    WebAssembly, so the door page keeps the shared CSP; it evaluates no strings as code."""
    vendored = {
        "jsQR.js": "bc40c8a15196236b2314db0856f72ca0b49980cd5413b8c852a7349f5fee0859",
        "jsQR-LICENSE.txt": LICENCE_SHA256,
    }
    for name, digest in vendored.items():
        assert hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest() == digest, name
    code = (STATIC_DIR / "jsQR.js").read_bytes()
    assert b"eval(" not in code and b"new Function" not in code and b"WebAssembly" not in code
    assert "Apache License" in (STATIC_DIR / "jsQR-LICENSE.txt").read_text()
