"""``/staff/password``: every staff member changes their own password; wrong current passwords count as
wrong sign-ins; no password reaches the page, the audit log or another account."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from shared.tls import client_context
from tests.scheduler.staff_pages.pages import browser, csrf_of, post_form, sign_in, text_of
from tests.support.factories import PASSWORD, make_user
from tests.support.servers import ThreadedServer

PAGE = "/staff/password"
NEW = "a brand new pass phrase"


def _change(client: httpx.Client, current: str = PASSWORD, new: str = NEW, repeat: str | None = None) -> httpx.Response:
    fields = {"current_password": current, "new_password": new, "repeat_password": new if repeat is None else repeat}
    return post_form(client, PAGE, PAGE, **fields)


@pytest.fixture
def someone(server: ThreadedServer, api: httpx.Client) -> Any:
    """An ambassador signed in on a browser of their own."""
    user = make_user(api)
    with browser(server) as client:
        assert sign_in(client, user["email"]).status_code == 303
        yield user, client


def test_a_changed_password_signs_in_and_the_old_one_no_longer_does(server: ThreadedServer, someone: Any) -> None:
    user, client = someone
    changed = _change(client)
    assert changed.status_code == 303 and changed.headers["location"] == f"{PAGE}?changed=1"
    confirmed = client.get(changed.headers["location"])
    assert "Your password is changed." in text_of(confirmed, "password-changed")
    with browser(server) as fresh:
        assert sign_in(fresh, user["email"], PASSWORD).status_code == 401
        assert sign_in(fresh, user["email"], NEW).status_code == 303
    token = httpx.post(
        f"{server.url}/api/v1/auth/token", data={"username": user["email"], "password": NEW}, verify=client_context()
    )
    assert token.status_code == 200


def test_a_wrong_current_password_is_said_beside_the_field_and_changes_nothing(
    server: ThreadedServer, someone: Any
) -> None:
    user, client = someone
    refused = _change(client, current="not my password")
    assert refused.status_code == 422
    assert text_of(refused, "current_password-error") == "This is not your current password."
    assert 'aria-describedby="current_password-error"' in refused.text
    assert "not my password" not in refused.text and NEW not in refused.text
    with browser(server) as fresh:
        assert sign_in(fresh, user["email"], NEW).status_code == 401
        assert sign_in(fresh, user["email"], PASSWORD).status_code == 303


def test_wrong_current_passwords_lock_the_account_as_wrong_sign_ins_do(server: ThreadedServer, someone: Any) -> None:
    """Before: a stolen session cookie could guess the password here without limit. After: the guesses
    count towards the account's sign-in lock-out, which then refuses the right password too."""
    user, client = someone
    for _ in range(4):
        assert _change(client, current="a guess").status_code == 422
    locked = _change(client, current="another guess")
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 60
    assert "Too many wrong passwords for this account" in text_of(locked, "current_password-error")
    assert _change(client, current=PASSWORD).status_code == 429  # the right one, refused unchecked
    with browser(server) as fresh:
        assert sign_in(fresh, user["email"], PASSWORD).status_code == 429  # sign-in is paused as well


def test_wrong_current_passwords_count_in_the_sign_in_limit_of_the_client(
    server: ThreadedServer, api: httpx.Client
) -> None:
    """The per-client limit of wrong passwords (ten a minute, shared with sign-in) spans accounts."""
    with browser(server) as client:
        for _ in range(3):
            user = make_user(api)
            client.cookies.clear()
            assert sign_in(client, user["email"]).status_code == 303
            for _ in range(3):
                assert _change(client, current="a guess").status_code == 422
        assert sign_in(client, user["email"], "one more guess").status_code == 401  # the tenth
        refused = _change(client)
        assert refused.status_code == 429
        assert "Too many attempts" in text_of(refused, "current_password-error")


@pytest.mark.parametrize(
    ("new", "repeat", "field", "words"),
    [
        ("too short", "too short", "new_password", "The new password needs at least 12 characters"),
        ("x" * 257, "x" * 257, "new_password", "The new password can have at most 256 characters."),
        (NEW, NEW + " typo", "repeat_password", "The two new passwords are not the same"),
    ],
)
def test_a_new_password_that_breaks_the_rules_is_refused_beside_its_field(
    server: ThreadedServer, someone: Any, new: str, repeat: str, field: str, words: str
) -> None:
    user, client = someone
    refused = _change(client, new=new, repeat=repeat)
    assert refused.status_code == 422
    assert text_of(refused, f"{field}-error").startswith(words)
    assert new not in refused.text
    with browser(server) as fresh:
        assert sign_in(fresh, user["email"], PASSWORD).status_code == 303


def test_the_dutch_page_says_it_in_dutch(someone: Any) -> None:
    _user, client = someone
    page = client.get(f"{PAGE}?lang=nl")
    assert "Je wachtwoord wijzigen" in page.text and "Change your password" not in page.text
    refused = client.post(PAGE, data={"csrf": csrf_of(page), "current_password": "", "new_password": "kort"})
    assert text_of(refused, "current_password-error") == "Vul je huidige wachtwoord in."


def test_a_change_without_its_csrf_token_is_refused_and_changes_nothing(server: ThreadedServer, someone: Any) -> None:
    user, client = someone
    fields = {"current_password": PASSWORD, "new_password": NEW, "repeat_password": NEW}
    assert client.post(PAGE, data=fields).status_code == 403
    assert client.post(PAGE, data={**fields, "csrf": "made-up"}).status_code == 403
    with browser(server) as fresh:
        assert sign_in(fresh, user["email"], PASSWORD).status_code == 303


def test_signed_out_the_page_asks_to_sign_in(server: ThreadedServer) -> None:
    with browser(server) as client:
        assert client.get(PAGE).headers["location"] == "/staff/sign-in?next=%2Fstaff%2Fpassword"
        assert client.post(PAGE, data={"current_password": PASSWORD}).status_code in (303, 403)


@pytest.mark.parametrize("role", ["coordinator", "ambassador", "provider_staff"])
def test_every_role_reaches_the_page_from_the_navigation_and_changes_its_password(
    server: ThreadedServer, api: httpx.Client, role: str
) -> None:
    user = make_user(api, role)
    with browser(server) as client:
        assert sign_in(client, user["email"]).status_code == 303
        assert f'href="{PAGE}"' in client.get("/staff").text
        assert _change(client).status_code == 303
        client.cookies.clear()
        assert sign_in(client, user["email"], NEW).status_code == 303


def test_the_change_is_audited_without_any_password(api: httpx.Client, someone: Any) -> None:
    user, client = someone
    assert _change(client, current="a wrong one").status_code == 422
    assert _change(client).status_code == 303
    entries = api.get("/api/v1/audit", params={"action": "account.password_changed", "actor": user["id"]}).json()
    assert [(e["actor_role"], e["targets"]) for e in entries["entries"]] == [("ambassador", {"account_id": user["id"]})]
    everything = json.dumps(api.get("/api/v1/audit", params={"actor": user["id"]}).json())
    assert PASSWORD not in everything and NEW not in everything and "a wrong one" not in everything
