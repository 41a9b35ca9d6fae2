"""The scheduler's staff pages over HTTP (no browser): sign-in, access, the door, planning, venues, hours.

One scheduler for the module (real NATS; on PostgreSQL when
BRUG_TEST_POSTGRES_URL names one, else SQLite), so the pages are tested in
seconds; each test makes its own users and sessions. Sign-in attempts are
counted per client: the server trusts 127.0.0.1 as a proxy, so each test
names its own client address in X-Forwarded-For and no test uses up
another's allowance of wrong passwords.
"""

from __future__ import annotations

import ast
import html
import itertools
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, get_args
from zoneinfo import ZoneInfo

import httpx
import pytest
from babel.messages.pofile import read_po

from scheduler.app import create_app
from scheduler.sessions.schemas import Audience, IntegrationPhase
from scheduler.staff.labels import AUDIENCES, INTEGRATION_PHASES, TOPIC_NAMES, VENUE_KINDS
from scheduler.venues.schemas import VenueKind
from shared.natsserver import NatsServer
from shared.topics import TOPICS
from tests.conftest import POSTGRES_URL, _postgres_database
from tests.support.clock import EARLY_2026, set_clock, until_started
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD, Keys, scheduler_settings
from tests.support.factories import PASSWORD, book, log_hours, make_session, make_user, make_venue, signed_in
from tests.support.servers import ThreadedServer

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_ADDRESSES = (f"198.51.100.{n}" for n in itertools.count(1))


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """PostgreSQL when BRUG_TEST_POSTGRES_URL names one (as in production), else SQLite: once, not on both."""
    if POSTGRES_URL:
        yield from _postgres_database()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('staff-pages-db') / 'scheduler.db'}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, database: str) -> Iterator[ThreadedServer]:
    root = tmp_path_factory.mktemp("staff-pages")
    nats = NatsServer(root / "nats", log_file=root / "nats.log").start()
    settings = scheduler_settings(nats.url, database, Keys(), rate_limit_trusted_proxies=["127.0.0.1/32"])
    try:
        with ThreadedServer(create_app(settings)) as running:
            yield running
    finally:
        nats.stop()


@pytest.fixture(scope="module")
def api(server: ThreadedServer) -> Iterator[httpx.Client]:
    """The API, signed in as the coordinator (for setting things up and looking them up)."""
    with httpx.Client(base_url=server.url, timeout=10, headers={"X-Forwarded-For": "192.0.2.1"}) as client:
        yield signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)


def browser(server: ThreadedServer) -> httpx.Client:
    """A client that acts like a browser of its own: cookies, and its own address."""
    return httpx.Client(base_url=server.url, timeout=10, headers={"X-Forwarded-For": next(_ADDRESSES)})


def csrf_of(response: httpx.Response) -> str:
    found = CSRF.search(response.text)
    assert found, response.text[:500]
    return html.unescape(found.group(1))


def sign_in(client: httpx.Client, email: str, password: str = PASSWORD, next_page: str | None = None) -> httpx.Response:
    form = client.get("/staff/sign-in", params={"next": next_page} if next_page else None)
    body = {"email": email, "password": password, "csrf": csrf_of(form)}
    if next_page is not None:
        body["next"] = next_page
    return client.post("/staff/sign-in", data=body)


@pytest.fixture(autouse=True)
def _planned_back_then(server: ThreadedServer) -> None:
    """Some tests plan in months of 2026 gone by: each test starts on the scheduler's clock at the start of
    2026 (tests/support/clock.py); one that closes a session moves it to the session's start."""
    set_clock(server.app, EARLY_2026)


@pytest.fixture
def staffed(server: ThreadedServer, api: httpx.Client) -> Iterator[dict[str, Any]]:
    """Two ambassadors, each signed in on their own "browser", and a session the first one runs."""
    first, second = make_user(api), make_user(api)
    with browser(server) as mine, browser(server) as theirs:
        assert sign_in(mine, first["email"]).status_code == 303
        assert sign_in(theirs, second["email"]).status_code == 303
        session = make_session(api, ambassador_ids=[first["id"]])
        yield {"me": first, "other": second, "mine": mine, "theirs": theirs, "session": session}


def text_of(response: httpx.Response, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</', response.text, flags=re.S)
    assert found, f"no #{element_id} in {response.text[:300]}"
    return " ".join(html.unescape(found.group(1)).split())


def post_form(client: httpx.Client, page: str, target: str, **fields: Any) -> httpx.Response:
    """Open ``page`` and send one of its forms to ``target``, with its CSRF token, as a browser would."""
    return client.post(target, data={"csrf": csrf_of(client.get(page)), **fields})


# sign-in ----------------------------------------------------------------------------------------


def test_a_wrong_password_shows_the_form_again_with_the_reason_and_no_cookie(
    server: ThreadedServer, api: httpx.Client
) -> None:
    someone = make_user(api)
    with browser(server) as client:
        answer = sign_in(client, someone["email"], "not the password")
        assert answer.status_code == 401
        assert "The e-mail address or password is not right." in answer.text
        assert f'value="{someone["email"]}"' in answer.text  # the address is kept, the password not
        assert "not the password" not in answer.text
        assert "brug_staff" not in client.cookies
        assert client.get("/staff").status_code == 303


def test_a_signed_out_visitor_is_sent_to_sign_in_and_then_back_to_the_page(server: ThreadedServer) -> None:
    with browser(server) as client:
        away = client.get("/staff/hours?month=2026-12")
        assert away.status_code == 303
        assert away.headers["location"] == "/staff/sign-in?next=%2Fstaff%2Fhours%3Fmonth%3D2026-12"
        form = client.get(away.headers["location"])
        assert 'name="next" value="/staff/hours?month=2026-12"' in form.text
        back = sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD, next_page="/staff/hours?month=2026-12")
        assert back.status_code == 303 and back.headers["location"] == "/staff/hours?month=2026-12"
        assert client.get("/staff/hours?month=2026-12").status_code == 200


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/staff", "/\\evil.example", "staff"])
def test_a_next_that_points_off_site_is_ignored(server: ThreadedServer, elsewhere: str) -> None:
    with browser(server) as client:
        answer = sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD, next_page=elsewhere)
        assert answer.status_code == 303 and answer.headers["location"] == "/staff"


def test_signing_out_ends_the_staff_session(server: ThreadedServer) -> None:
    with browser(server) as client:
        sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        home = client.get("/staff")
        assert home.status_code == 200 and "All sessions" in home.text
        out = client.post("/staff/sign-out", data={"csrf": csrf_of(home)})
        assert out.status_code == 303 and out.headers["location"] == "/staff/sign-in"
        assert "brug_staff" not in client.cookies
        assert client.get("/staff").status_code == 303


def test_wrong_passwords_on_the_page_and_the_api_share_one_limit_and_the_page_says_wait(
    server: ThreadedServer,
) -> None:
    with browser(server) as client:
        for number in range(10):  # ten addresses, so no account is locked: this is the client's limit
            assert sign_in(client, f"nobody-{number}@example.org", "still not it").status_code == 401
        refused = sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("text/html")
        assert int(refused.headers["Retry-After"]) > 0
        assert "Too many attempts" in refused.text
        api = client.post("/api/v1/auth/token", data={"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        assert api.status_code == 429  # the same client, the same window


def test_an_account_locked_out_by_wrong_passwords_is_refused_on_the_page_too(
    server: ThreadedServer, api: httpx.Client
) -> None:
    someone = make_user(api)
    with browser(server) as client:
        for _ in range(5):
            sign_in(client, someone["email"], "a guess")
        refused = sign_in(client, someone["email"], PASSWORD)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 60
        said = client.post("/api/v1/auth/token", data={"username": someone["email"], "password": PASSWORD})
        assert said.status_code == 429
        assert html.escape(said.json()["detail"], quote=False) in refused.text  # the accounts service's words
        assert "brug_staff" not in client.cookies


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    session_id = staffed["session"]["id"]
    code = book(api, session_id)["code"]
    refused = staffed["mine"].post(f"/staff/sessions/{session_id}/check-in", data={"code": code})
    assert refused.status_code == 403 and "This page was open too long" in refused.text
    forged = staffed["mine"].post(f"/staff/sessions/{session_id}/complete", data={"csrf": "made-up"})
    assert forged.status_code == 403
    page = staffed["mine"].get(f"/staff/sessions/{session_id}")
    assert text_of(page, "count-checked-in") == "0"
    assert api.get(f"/api/v1/sessions/{session_id}").json()["status"] == "published"


# the session at the door ------------------------------------------------------------------------


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


def test_a_deactivated_account_is_signed_out_of_the_pages_at_once(server: ThreadedServer, api: httpx.Client) -> None:
    someone = make_user(api)
    with browser(server) as client:
        sign_in(client, someone["email"])
        assert client.get("/staff").status_code == 200
        assert api.post(f"/api/v1/users/{someone['id']}/deactivate").status_code == 200
        gone = client.get("/staff")
        assert gone.status_code == 401 and "Please sign in again" in gone.text
        assert "brug_staff" not in client.cookies


# planning ---------------------------------------------------------------------------------------


def _slot(days: int, hour: int) -> tuple[datetime, datetime]:
    day = (datetime.now(AMSTERDAM) + timedelta(days=days)).date()
    starts = datetime(day.year, day.month, day.day, hour, tzinfo=AMSTERDAM)
    return starts, starts + timedelta(hours=2)


def _form(room_id: str, starts: datetime, ends: datetime, **fields: Any) -> dict[str, Any]:
    return {
        "room_id": room_id,
        "day": starts.date().isoformat(),
        "starts": f"{starts:%H:%M}",
        "ends": f"{ends:%H:%M}",
        "languages": "ar, nl",
        "audience": "women",
        "topics": ["where_to_find_help"],
        "internal_title": "Where to find help (Arabic)",
        "public_title": "Thursday meeting",
        "capacity": "8",
        **fields,
    }


def _titles(api: httpx.Client, title: str) -> int:
    return sum(s["internal_title"] == title for s in api.get("/api/v1/sessions", params={"limit": 500}).json())


def test_a_clash_is_shown_before_saving_and_nothing_is_saved_until_it_is_solved(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    venue = make_venue(
        api,
        opening_hours=[
            {"weekday": d, "opens": "09:00", "closes": "18:00"}
            for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        ],
    )
    room = venue["rooms"][0]["id"]
    starts, ends = _slot(10, 14)
    make_session(api, venue, starts_at=starts.isoformat(), ends_at=ends.isoformat(), internal_title="Women's group")
    client, title = staffed["mine"], f"Planned on the page {staffed['me']['id']}"
    new = "/staff/sessions/new"

    checked = post_form(
        client, new, new, action="check", **_form(room, starts + timedelta(hours=1), ends, internal_title=title)
    )
    assert checked.status_code == 409
    assert "The room is taken" in checked.text and "Room 2 is booked" in checked.text
    assert "Women&#39;s group" in checked.text
    assert 'value="Thursday meeting"' in checked.text  # what was typed stays
    late = post_form(client, new, new, action="check", **_form(room, starts.replace(hour=17), ends.replace(hour=19)))
    assert "The venue is closed then" in late.text and "open 09:00–18:00" in late.text
    saved_anyway = post_form(client, new, new, action="save", **_form(room, starts, ends, internal_title=title))
    assert saved_anyway.status_code == 409 and "The room is taken" in saved_anyway.text
    assert _titles(api, title) == 0

    live = post_form(
        client, new, "/staff/sessions/check", room_id=room, day=starts.date().isoformat(), starts="15:00", ends="16:00"
    )
    assert live.status_code == 200
    assert [p["heading"] for p in live.json()["problems"]] == ["The room is taken"]

    free = post_form(
        client,
        new,
        new,
        action="check",
        **_form(room, starts.replace(hour=9), starts.replace(hour=11), internal_title=title),
    )
    assert free.status_code == 200 and "No clashes" in free.text and _titles(api, title) == 0
    details = {"interpreter_present": "yes", "integration_phase": "reception"}
    saved = post_form(
        client,
        new,
        new,
        action="save",
        **_form(room, starts.replace(hour=9), starts.replace(hour=11), internal_title=title, **details),
    )
    assert saved.status_code == 303
    session_id = saved.headers["location"].split("/")[-1].split("?")[0]
    stored = api.get(f"/api/v1/sessions/{session_id}").json()
    assert stored["internal_title"] == title and stored["ambassador_ids"] == [staffed["me"]["id"]]
    assert (stored["interpreter_present"], stored["integration_phase"]) == (True, "reception")
    assert datetime.fromisoformat(stored["starts_at"]).astimezone(AMSTERDAM).hour == 9
    page = client.get(saved.headers["location"])
    assert "The session is saved" in page.text
    assert text_of(page, "integration-phase") == "Reception: living in a reception centre"
    assert text_of(page, "interpreter") == "An interpreter is present"


def test_the_form_says_what_to_fix(staffed: dict[str, Any], api: httpx.Client) -> None:
    room = make_venue(api)["rooms"][0]["id"]
    starts, ends = _slot(12, 10)
    new = "/staff/sessions/new"
    form = staffed["mine"].get(new)
    assert 'name="interpreter_present"' in form.text and '<option value="settled">' in form.text
    unknown = post_form(staffed["mine"], new, new, action="check", **_form(room, starts, ends, integration_phase="x"))
    assert unknown.status_code == 422 and text_of(unknown, "integration_phase-error") == "This does not look right."
    wrong = post_form(
        staffed["mine"], new, new, action="check", **_form(room, ends, starts, languages="", capacity="0")
    )
    assert wrong.status_code == 422
    assert text_of(wrong, "ends-error") == "The end must be after the start."
    too_big = post_form(staffed["mine"], new, new, action="check", **_form(room, starts, ends, capacity="50"))
    assert too_big.status_code == 409 and "Too many places for this room" in too_big.text


def test_a_session_is_moved_after_the_same_check(staffed: dict[str, Any], api: httpx.Client) -> None:
    venue = make_venue(api)
    room = venue["rooms"][0]["id"]
    starts, ends = _slot(14, 10)
    mine = make_session(
        api, venue, starts_at=starts.isoformat(), ends_at=ends.isoformat(), ambassador_ids=[staffed["me"]["id"]]
    )
    make_session(
        api, venue, starts_at=(starts + timedelta(hours=4)).isoformat(), ends_at=(ends + timedelta(hours=4)).isoformat()
    )
    edit = f"/staff/sessions/{mine['id']}/edit"
    form = {"room_id": room, "day": starts.date().isoformat()}

    clash = post_form(staffed["mine"], edit, edit, action="save", starts="13:30", ends="15:00", **form)
    assert clash.status_code == 409 and "The room is taken" in clash.text
    assert api.get(f"/api/v1/sessions/{mine['id']}").json()["revision"] == 0
    moved = post_form(staffed["mine"], edit, edit, action="save", starts="11:00", ends="12:30", **form)
    assert moved.status_code == 303
    assert api.get(f"/api/v1/sessions/{mine['id']}").json()["revision"] == 1
    # audited as the API's move is
    entries = api.get("/api/v1/audit", params={"action": "session.rescheduled"}).json()["entries"]
    [entry] = [e for e in entries if e["targets"].get("session_id") == mine["id"]]
    assert (entry["actor_id"], entry["targets"]["revision"]) == (staffed["me"]["id"], "1")


# venues and hours -------------------------------------------------------------------------------


def test_coordinators_and_ambassadors_add_venues_and_provider_staff_only_see_them(
    server: ThreadedServer, staffed: dict[str, Any], api: httpx.Client
) -> None:
    fields = {
        "name": "Bibliotheek Oost",
        "public_name": "Linnaeusstraat 44",
        "kind": "library",
        "address": "Linnaeusstraat 44, Amsterdam",
        "city": "Amsterdam",
        "room_name": ["Zaal 1", "", ""],
        "room_capacity": ["15", "", ""],
        "opens": ["09:00", "", "", "", "", "", ""],  # Monday to Sunday, as the form sends them
        "closes": ["17:00", "", "", "", "", "", ""],
    }
    with browser(server) as provider_staff:
        sign_in(provider_staff, make_user(api, role="provider_staff")["email"])
        refused = post_form(provider_staff, "/staff/venues", "/staff/venues", **fields)
        assert refused.status_code == 403
        listed = provider_staff.get("/staff/venues")
        assert listed.status_code == 200 and 'action="/staff/venues"' not in listed.text
    by_ambassador = post_form(staffed["mine"], "/staff/venues", "/staff/venues", **{**fields, "name": "Taalcafé Oost"})
    assert by_ambassador.status_code == 303
    with browser(server) as coordinator:
        sign_in(coordinator, ADMIN_EMAIL, ADMIN_PASSWORD)
        missing = post_form(coordinator, "/staff/venues", "/staff/venues", **{**fields, "room_name": ["", "", ""]})
        assert missing.status_code == 422 and "Give at least one room" in missing.text
        half = post_form(coordinator, "/staff/venues", "/staff/venues", **{**fields, "closes": [""] * 7})
        assert half.status_code == 422 and "Give both times of an open day" in half.text
        access = {"accessibility_notes": "Step-free entrance on the side", "private_entrance": "yes"}
        added = post_form(coordinator, "/staff/venues", "/staff/venues", **fields, **access)
        assert added.status_code == 303
    listed = staffed["mine"].get("/staff/venues")
    assert "Bibliotheek Oost" in listed.text and "Taalcafé Oost" in listed.text and "Zaal 1: 15 places" in listed.text
    assert "Monday 09:00–17:00" in listed.text
    assert "Accessibility: Step-free entrance on the side" in listed.text
    assert listed.text.count("Private entrance: attendees are not seen going in") == 1  # the coordinator's only


def test_the_month_shows_the_allowance_against_the_cap_and_the_statement(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    me, month = staffed["me"], "2026-06"  # a month of a year with a cap (BRUG_ALLOWANCE_CAPS' default)
    june = datetime(2026, 6, 10, 14, tzinfo=AMSTERDAM)
    worked = make_session(
        api, starts_at=june.isoformat(), ends_at=(june + timedelta(hours=2)).isoformat(), ambassador_ids=[me["id"]]
    )
    log_hours(api, kind="session", session_id=worked["id"], user_id=me["id"], hours=2, allowance="150")
    page = staffed["mine"].get("/staff/hours", params={"month": month})
    assert page.status_code == 200
    meter = re.search(r"<meter[^>]*>", page.text)
    assert meter and 'max="170.00"' in meter.group(0) and 'value="150.00"' in meter.group(0)
    assert text_of(page, "allowance-text") == "EUR 150.00 of EUR 170.00; EUR 20.00 left this month."
    statement = staffed["mine"].get(f"/staff/hours/{me['id']}/{month}.csv")
    assert statement.status_code == 200 and statement.headers["content-type"].startswith("text/csv")
    assert statement.text.splitlines()[0].startswith("date,kind,session_id,hours")
    assert staffed["theirs"].get(f"/staff/hours/{me['id']}/{month}.csv").status_code == 403

    limited = api.patch(f"/api/v1/users/{me['id']}", json={"monthly_allowance_limit": "120"})
    assert limited.status_code == 200
    page = staffed["mine"].get("/staff/hours", params={"month": month})
    assert text_of(page, "allowance-text") == "EUR 150.00 of EUR 120.00; EUR 0.00 left this month."
    assert "personal monthly limit of EUR 120.00" in text_of(page, "cap-warning")
    dutch = staffed["mine"].get("/staff/hours", params={"month": month, "lang": "nl"})
    assert (
        "De vergoeding voor 2026-06 is EUR 150.00, EUR 30.00 boven de persoonlijke maandgrens van EUR 120.00; "
        "uitbetalen kan de uitkering van de ambassadeur verlagen. Betaal het deel erboven niet uit."
    ) in text_of(dutch, "cap-warning")
    assert staffed["mine"].get("/staff/hours", params={"lang": "en"}).status_code == 200  # the choice is remembered
    assert text_of(page, "cap-source") == "The cap is this ambassador's personal limit, lower than the legal one."
    uncapped = {"allowance_capped": False, "monthly_allowance_limit": None}
    assert api.patch(f"/api/v1/users/{me['id']}", json=uncapped).status_code == 200
    page = staffed["mine"].get("/staff/hours", params={"month": month})
    assert "<meter" not in page.text and 'id="cap-warning"' not in page.text
    assert text_of(page, "allowance-text") == "EUR 150.00 this month; no cap applies to this ambassador."


def test_a_coordinator_sets_an_ambassadors_allowance_on_the_hours_page_and_the_month_follows(
    server: ThreadedServer, staffed: dict[str, Any], api: httpx.Client
) -> None:
    me, month = staffed["me"], "2026-06"
    page = f"/staff/hours?user_id={me['id']}&month={month}"
    target = f"/staff/hours/{me['id']}/allowance"
    assert 'id="allowance-settings"' not in staffed["mine"].get("/staff/hours").text  # coordinators only
    refused = post_form(staffed["mine"], "/staff/hours", target, capped="yes", limit="1000")
    assert refused.status_code == 403
    assert api.get(f"/api/v1/users/{me['id']}").json()["monthly_allowance_limit"] is None

    with browser(server) as coordinator:
        sign_in(coordinator, ADMIN_EMAIL, ADMIN_PASSWORD)
        shown = coordinator.get(page)
        assert f'action="{target}"' in shown.text and 'name="capped" value="yes" checked' in shown.text
        saved = post_form(coordinator, page, target, month=month, capped="yes", limit="120,50", per_session="90")
        assert saved.status_code == 303 and saved.headers["location"].endswith("#allowance-settings")
        after = coordinator.get(saved.headers["location"])
        assert "The allowance settings are saved." in text_of(after, "allowance-saved")
        assert text_of(after, "allowance-text") == "EUR 0.00 of EUR 120.50; EUR 120.50 left this month."
        assert 'value="120.50"' in after.text and 'value="90.00"' in after.text  # the form shows what is stored
        account = api.get(f"/api/v1/users/{me['id']}").json()
        assert (account["monthly_allowance_limit"], account["session_allowance"]) == ("120.50", "90.00")
        entries = api.get("/api/v1/audit", params={"action": "account.updated"}).json()["entries"]
        assert [e for e in entries if e["targets"].get("account_id") == me["id"]]  # audited as the API's change is

        # what cannot be stored is said beside its field, and nothing changes
        for fields, field, message in [
            ({"capped": "yes", "limit": "a lot"}, "limit", "Give an amount in euro, like 120 or 120.50"),
            ({"capped": "yes", "per_session": "-5"}, "per_session", "Give an amount in euro, like 120 or 120.50"),
            ({"limit": "100"}, "limit", "A personal limit only applies with the cap: tick the box"),
            # a thousands separator is not taken for cents (it would pay 1.20), nor is any other way of writing
            ({"capped": "yes", "limit": "1,200"}, "limit", "Give an amount in euro, like 120 or 120.50"),
            ({"capped": "yes", "limit": "1.200"}, "limit", "Give an amount in euro, like 120 or 120.50"),
            ({"capped": "yes", "per_session": "1e3"}, "per_session", "Give an amount in euro, like 120 or 120.50"),
        ]:
            wrong = post_form(coordinator, page, target, month=month, **fields)
            assert wrong.status_code == 422 and message in text_of(wrong, f"{field}-error")
            assert f'id="{field}" name="{field}"' in wrong.text and 'aria-invalid="true"' in wrong.text
        assert api.get(f"/api/v1/users/{me['id']}").json()["monthly_allowance_limit"] == "120.50"

        # a month of a year the setting has no cap for: the settings can still be changed there
        no_cap = f"/staff/hours?user_id={me['id']}&month=2027-01"
        shown = coordinator.get(no_cap)
        assert shown.status_code == 422 and "No monthly allowance cap is set for 2027" in shown.text
        assert f'action="{target}"' in shown.text
        typo = post_form(coordinator, no_cap, target, month="2027-01", capped="yes", limit="12O")
        assert typo.status_code == 422 and 'value="12O"' in typo.text
        assert "Give an amount in euro" in text_of(typo, "limit-error")
        dutch = coordinator.get(f"{no_cap}&lang=nl")
        assert "Voor 2027 is geen maandmaximum voor de vergoeding ingesteld (wel voor: 2026)" in html.unescape(
            dutch.text
        )
        assert coordinator.get(page, params={"lang": "en"}).status_code == 200  # the choice is remembered
        # only ambassadors have allowance settings
        coordinator_id = api.get("/api/v1/auth/me").json()["id"]
        assert 'id="allowance-settings"' not in coordinator.get(f"/staff/hours?user_id={coordinator_id}").text

        # no longer on social assistance: no cap, and the limit cleared with it
        uncapped = post_form(coordinator, page, target, month=month, per_session="90")
        assert uncapped.status_code == 303
        assert (
            text_of(coordinator.get(page), "allowance-text")
            == "EUR 0.00 this month; no cap applies to this ambassador."
        )
        account = api.get(f"/api/v1/users/{me['id']}").json()
        assert (account["allowance_capped"], account["monthly_allowance_limit"]) == (False, None)


def test_dutch_pages_are_in_dutch(staffed: dict[str, Any]) -> None:
    page = staffed["mine"].get(f"/staff/sessions/{staffed['session']['id']}?lang=nl")
    assert page.status_code == 200 and '<html lang="nl"' in page.text
    assert "Inchecken" in page.text and "Check in" not in page.text


# texts ------------------------------------------------------------------------------------------

MESSAGE = re.compile(r"""(?:\b_|\bN_|\.gettext)\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
SOURCES = [
    *sorted((ROOT / "services" / "scheduler" / "staff").rglob("*.py")),
    *sorted((ROOT / "services" / "scheduler" / "staff" / "templates").glob("*.html")),
    ROOT / "shared" / "pages" / "staff.py",
    *sorted((ROOT / "shared" / "pages" / "templates").glob("staff_*.html")),
    # the allowance warnings, said in the reader's language on the hours and session pages
    ROOT / "services" / "scheduler" / "hours" / "allowance.py",
    ROOT / "services" / "scheduler" / "hours" / "foresight.py",
]


def _messages(path: Path) -> set[str]:
    """The texts ``path`` marks for translation; in Python read from its syntax tree, so that a long
    message written as adjacent strings is found whole."""
    if path.suffix != ".py":
        return {a or b for a, b in MESSAGE.findall(path.read_text())}
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name in ("_", "N_", "gettext") and isinstance(node.args[0].value, str):
            found.add(node.args[0].value)
    return found


def test_every_staff_text_has_a_dutch_translation_with_the_same_placeholders() -> None:
    found = set().union(*(_messages(path) for path in SOURCES))
    assert any(m.startswith("{name}: the sessions planned in {month}") for m in found)  # written as adjacent strings
    assert len(found) > 100 and "Check in" in found
    with (ROOT / "shared" / "locales" / "nl" / "LC_MESSAGES" / "staff-scheduler.po").open("rb") as source:
        catalog = read_po(source)
    missing = sorted(m for m in found if catalog.get(m) is None or not catalog.get(m).string)
    assert not missing, f"staff-scheduler.po lacks {len(missing)} texts: {missing[:8]}"
    for english in found:
        dutch = catalog.get(english)
        assert not dutch.fuzzy, english
        assert sorted(re.findall(r"\{\w+\}", dutch.string)) == sorted(re.findall(r"\{\w+\}", english)), english


def test_the_staff_catalog_changes_no_attendee_text() -> None:
    """shared/i18n.py merges staff-*.po over brug.po: a text both have must read the same in both,
    or the attendee's page would change with it (e.g. a cancelled *booking* read as a called-off session)."""
    folder = ROOT / "shared" / "locales" / "nl" / "LC_MESSAGES"
    with (folder / "brug.po").open("rb") as source:
        attendee = {m.id: m.string for m in read_po(source) if m.id}
    with (folder / "staff-scheduler.po").open("rb") as source:
        staff = {m.id: m.string for m in read_po(source) if m.id}
    assert {k: (attendee[k], staff[k]) for k in set(attendee) & set(staff) if attendee[k] != staff[k]} == {}


def test_every_code_the_api_takes_has_a_name_on_the_pages() -> None:
    assert set(AUDIENCES) == set(get_args(Audience))
    assert set(INTEGRATION_PHASES) == set(get_args(IntegrationPhase))
    assert set(TOPIC_NAMES) == set(TOPICS)
    assert set(VENUE_KINDS) == set(get_args(VenueKind))


def test_the_session_page_warns_when_the_month_would_go_over_an_ambassadors_allowance_cap(
    server: ThreadedServer, api: httpx.Client
) -> None:
    ambassador = make_user(api, display_name="Samira", session_allowance="90")
    venue = make_venue(api)
    days = [datetime(2026, 2, day, 10, tzinfo=ZoneInfo("Europe/Amsterdam")) for day in (3, 10)]
    first, second = (
        make_session(
            api,
            venue,
            starts_at=d.isoformat(),
            ends_at=(d + timedelta(hours=2)).isoformat(),
            ambassador_ids=[ambassador["id"]],
        )
        for d in days
    )
    assert second["allowance_warnings"] != []  # 180.00 of 170.00
    with browser(server) as mine:
        assert sign_in(mine, ambassador["email"]).status_code == 303
        page = mine.get(f"/staff/sessions/{first['id']}")
        assert page.status_code == 200
        assert 'id="allowance-warnings"' in page.text and "Over the allowance cap this month:" in page.text
        assert "Samira: the sessions planned in 2026-02 would bring the allowance to EUR 180.00" in page.text
        dutch = mine.get(f"/staff/sessions/{first['id']}", params={"lang": "nl"})
        assert (
            "Samira: met de bijeenkomsten gepland in 2026-02 komt de vergoeding op EUR 180.00 (0 geregistreerd, "
            in (html.unescape(dutch.text))
        )
        assert "over the monthly cap" not in dutch.text
        # once one is called off, the month fits again
        assert api.post(f"/api/v1/sessions/{second['id']}/cancel", json={"reason_code": "illness"}).is_success
        assert 'id="allowance-warnings"' not in mine.get(f"/staff/sessions/{first['id']}").text


# a session's details: listed or not, and its places ---------------------------------------------


def _listed(api: httpx.Client, session: dict[str, Any]) -> bool:
    starts = datetime.fromisoformat(session["starts_at"])
    window = {"from": starts.isoformat(), "to": (starts + timedelta(minutes=1)).isoformat()}
    listing = api.get("/api/v1/public/sessions", params=window)
    assert listing.status_code == 200, listing.text
    return session["id"] in {entry["id"] for entry in listing.json()}


def test_the_session_page_lists_it_on_the_public_page_and_back_and_audits_the_change(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    session = staffed["session"]
    door = f"/staff/sessions/{session['id']}"
    page = staffed["mine"].get(door)
    assert f'action="{door}/details"' in page.text and 'id="public"' in page.text
    assert not session["public"] and not _listed(api, session)

    listed = post_form(staffed["mine"], door, f"{door}/details", public="yes", capacity="10")
    assert listed.status_code == 200
    assert text_of(listed, "door-result") == "Saved."
    assert re.search(r'id="public"[^>]* checked', listed.text)
    assert _listed(api, session) and api.get(f"/api/v1/sessions/{session['id']}").json()["public"] is True
    entries = api.get("/api/v1/audit", params={"action": "session.changed"}).json()["entries"]
    mine = [e for e in entries if e["targets"].get("session_id") == session["id"]]
    assert len(mine) == 1 and mine[0]["actor_id"] == staffed["me"]["id"] and "public" in mine[0]["targets"]["fields"]

    unlisted = post_form(staffed["mine"], door, f"{door}/details", capacity="10")  # the box left empty
    assert unlisted.status_code == 200 and not re.search(r'id="public"[^>]* checked', unlisted.text)
    assert not _listed(api, session)
    in_dutch = post_form(staffed["mine"], f"{door}?lang=nl", f"{door}/details?lang=nl", capacity="10")
    assert "Te zien op de openbare pagina" in in_dutch.text


def test_more_places_seat_the_waitlist_and_fewer_than_taken_are_refused(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    session = make_session(api, capacity=2, ambassador_ids=[staffed["me"]["id"]])
    door = f"/staff/sessions/{session['id']}"
    seated = [book(api, session["id"]), book(api, session["id"])]
    waiting = [book(api, session["id"]), book(api, session["id"])]
    assert [b["status"] for b in seated + waiting] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]

    def shown(booking: dict[str, Any]) -> str:
        answer = api.get(f"/api/v1/bookings/{booking['code']}", params={"token": booking["manage_token"]})
        return str(answer.json()["status"])

    raised = post_form(staffed["mine"], door, f"{door}/details", capacity="3")
    assert raised.status_code == 200 and text_of(raised, "door-result") == "Saved."
    assert (text_of(raised, "count-booked"), text_of(raised, "count-waitlist")) == ("3", "1")
    assert [shown(b) for b in waiting] == ["confirmed", "waitlisted"]
    counts = api.get(f"/api/v1/sessions/{session['id']}").json()
    assert (counts["capacity"], counts["confirmed"], counts["waitlisted"]) == (3, 3, 1)

    lowered = post_form(staffed["mine"], door, f"{door}/details", public="yes", capacity="2")
    assert lowered.status_code == 409
    assert text_of(lowered, "door-result") == "That did not work."
    assert "3 seats are already taken" in text_of(lowered, "door-detail")
    after = api.get(f"/api/v1/sessions/{session['id']}").json()
    assert (after["capacity"], after["public"]) == (3, False)  # nothing changed, the listing neither
    assert 'id="capacity" name="capacity"' in lowered.text and 'value="3"' in lowered.text
    nonsense = post_form(staffed["mine"], door, f"{door}/details", capacity="0")
    assert nonsense.status_code == 422 and "Give a number of places, 1 or more." in nonsense.text
    assert api.get(f"/api/v1/sessions/{session['id']}").json()["capacity"] == 3


def test_the_details_form_needs_its_csrf_token_and_the_sessions_own_ambassador(
    server: ThreadedServer, staffed: dict[str, Any], api: httpx.Client
) -> None:
    session_id = staffed["session"]["id"]
    target = f"/staff/sessions/{session_id}/details"
    forged = staffed["mine"].post(target, data={"public": "yes", "capacity": "12"})
    assert forged.status_code == 403 and "This page was open too long" in forged.text
    made_up = staffed["mine"].post(target, data={"csrf": "made-up", "public": "yes", "capacity": "12"})
    assert made_up.status_code == 403
    other = post_form(staffed["theirs"], "/staff", target, public="yes", capacity="12")
    assert other.status_code == 403 and f'action="{target}"' not in other.text
    assert f'action="{target}"' not in staffed["theirs"].get(f"/staff/sessions/{session_id}").text
    staff = make_user(api, role="provider_staff")
    theirs = make_session(api, provider_id=staff["provider_id"])
    with browser(server) as client:
        sign_in(client, staff["email"])
        page = client.get(f"/staff/sessions/{theirs['id']}")
        assert page.status_code == 200 and 'id="details-form"' not in page.text
        refused = post_form(client, "/staff", f"/staff/sessions/{theirs['id']}/details", capacity="12")
        assert refused.status_code == 403
    assert api.get(f"/api/v1/sessions/{session_id}").json()["capacity"] == 10
    assert api.get(f"/api/v1/sessions/{theirs['id']}").json()["capacity"] == 10
    assert not api.get(f"/api/v1/sessions/{session_id}").json()["public"]


def test_a_coordinator_changes_a_venues_address_and_its_upcoming_sessions_are_re_announced(
    server: ThreadedServer, staffed: dict[str, Any], api: httpx.Client
) -> None:
    venue = make_venue(api, public_name="Oost", neighbourhood="Oost", address_hidden_until_hours=24)
    session = make_session(api, venue)
    fields = {
        "public_name": "Oost",
        "address": "Linnaeusstraat 44, 1093 EK Amsterdam",
        "city": "Amsterdam",
        "neighbourhood": "Oost",
        "accessibility_notes": "Lift to floor 2",
    }
    target = f"/staff/venues/{venue['id']}"
    listed = staffed["mine"].get("/staff/venues")
    assert listed.status_code == 200 and f'action="{target}"' not in listed.text  # an ambassador: no edit form
    refused = post_form(staffed["mine"], "/staff/venues", target, **fields)
    assert refused.status_code == 403
    assert api.get(f"/api/v1/venues/{venue['id']}").json()["address"] == venue["address"]
    with browser(server) as coordinator:
        sign_in(coordinator, ADMIN_EMAIL, ADMIN_PASSWORD)
        assert f'action="{target}"' in coordinator.get("/staff/venues").text
        given_away = post_form(coordinator, "/staff/venues", target, **{**fields, "public_name": "Linnaeusstraat 44"})
        assert given_away.status_code == 422
        assert "To hide the address, give a neighbourhood" in given_away.text
        assert 'value="Linnaeusstraat 44"' in given_away.text  # as typed, to correct
        empty = post_form(coordinator, "/staff/venues", target, **{**fields, "city": ""})
        assert empty.status_code == 422 and "Fill this in." in empty.text
        assert api.get(f"/api/v1/sessions/{session['id']}").json()["revision"] == 0

        changed = post_form(coordinator, "/staff/venues", target, **fields)
        assert changed.status_code == 303
        page = coordinator.get(changed.headers["location"])
        assert 'id="venue-changed"' in page.text and "The venue is changed." in page.text
    now = api.get(f"/api/v1/venues/{venue['id']}").json()
    assert (now["address"], now["accessibility_notes"], now["private_entrance"]) == (
        fields["address"],
        "Lift to floor 2",
        False,
    )
    assert api.get(f"/api/v1/sessions/{session['id']}").json()["revision"] == 1  # attendees are told
    entries = api.get("/api/v1/audit", params={"action": "venue.updated"}).json()["entries"]
    assert [e for e in entries if e["targets"].get("venue_id") == venue["id"]]


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


def test_a_capacity_typed_with_other_digits_is_read_and_a_superscript_is_refused(
    staffed: dict[str, Any], api: httpx.Client
) -> None:
    venue = make_venue(
        api,
        opening_hours=[
            {"weekday": d, "opens": "08:00", "closes": "20:00"} for d in ("mon", "tue", "wed", "thu", "fri")
        ],
    )
    room, (starts, ends) = venue["rooms"][0]["id"], _slot(12, 10)
    starts, ends = _weekday(starts), _weekday(ends)
    client, new = staffed["mine"], "/staff/sessions/new"
    title = f"Capacity in Arabic digits {staffed['me']['id']}"
    saved = post_form(client, new, new, action="save", **_form(room, starts, ends, internal_title=title, capacity="١٢"))
    assert saved.status_code == 303, saved.text[:500]
    session_id = saved.headers["location"].split("/")[-1].split("?")[0]
    assert api.get(f"/api/v1/sessions/{session_id}").json()["capacity"] == 12
    odd = post_form(client, new, new, action="save", **_form(room, starts, ends, capacity="²"))
    assert odd.status_code == 422 and "capacity" in odd.text.lower()


def _weekday(moment: datetime) -> datetime:
    """The same time on the next weekday, for a venue open on weekdays."""
    while moment.weekday() >= 5:
        moment += timedelta(days=1)
    return moment
