"""Signing in and out of the staff pages, the limits on wrong passwords, CSRF and deactivated accounts."""

from __future__ import annotations

import html
from typing import Any

import httpx
import pytest

from tests.scheduler.staff_pages.pages import browser, csrf_of, sign_in, text_of
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.factories import PASSWORD, book, make_user
from tests.support.servers import ThreadedServer


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


def test_a_deactivated_account_is_signed_out_of_the_pages_at_once(server: ThreadedServer, api: httpx.Client) -> None:
    someone = make_user(api)
    with browser(server) as client:
        sign_in(client, someone["email"])
        assert client.get("/staff").status_code == 200
        assert api.post(f"/api/v1/users/{someone['id']}/deactivate").status_code == 200
        gone = client.get("/staff")
        assert gone.status_code == 401 and "Please sign in again" in gone.text
        assert "brug_staff" not in client.cookies
