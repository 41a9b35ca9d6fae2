"""Password reset links: a coordinator issues one on ``/staff/users``; it arrives by e-mail (a real SMTP
server, aiosmtpd), sets a new password once, expires on the scheduler's clock, ends a lock-out, and
names no account; the database keeps only its hash."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from tests.notifier.smtp import SmtpSink
from tests.scheduler.staff_pages.pages import browser, csrf_of, post_form, sign_in, text_of
from tests.support.clock import advance
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.factories import PASSWORD, make_user
from tests.support.servers import ThreadedServer, wait_until

USERS = "/staff/users"
NEW = "a brand new pass phrase"
LINK = re.compile(r'id="reset-link" value="([^"]+)"')


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(scope="module")
def settings_overrides(smtp: SmtpSink) -> dict[str, Any]:
    """The staff pages' scheduler (conftest.py), with an SMTP server for the reset e-mails."""
    return {"smtp_host": "127.0.0.1", "smtp_port": smtp.port, "smtp_tls": "none", "smtp_from": "no-reply@example.org"}


@pytest.fixture(scope="module")
def coordinator(server: ThreadedServer) -> Iterator[httpx.Client]:
    with browser(server) as client:
        assert sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 303
        yield client


def _issue(coordinator: httpx.Client, user_id: str) -> str:
    """The link the users page gives for ``user_id``."""
    answer = post_form(coordinator, USERS, f"{USERS}/{user_id}/reset")
    assert answer.status_code == 200, answer.text[:500]
    found = LINK.search(answer.text)
    assert found, answer.text[:500]
    return html.unescape(found.group(1))


def _use(client: httpx.Client, link: str, new: str = NEW, repeat: str | None = None) -> httpx.Response:
    """Send the link's form (its CSRF token from the sign-in page: a used link's page has no form)."""
    fields = {"new_password": new, "repeat_password": new if repeat is None else repeat}
    return client.post(link, data={"csrf": csrf_of(client.get("/staff/sign-in")), **fields})


def test_a_link_arrives_by_email_sets_a_password_once_and_is_audited(
    server: ThreadedServer, api: httpx.Client, coordinator: httpx.Client, smtp: SmtpSink
) -> None:
    user = make_user(api, display_name="Amal Haddad")
    link = _issue(coordinator, user["id"])
    assert link.startswith("http://127.0.0.1:8001/staff/reset/")  # BRUG_SCHEDULER_PUBLIC_URL
    mail = wait_until(lambda: next((m for m in smtp.messages if m["To"] == user["email"]), None), message="mail")
    assert link in mail.get_content() and mail["From"] == "no-reply@example.org"

    secret = link.rsplit("/", 1)[1]
    with server.app.state.runtime.engine.connect() as connection:
        stored = connection.execute(text("SELECT * FROM password_reset WHERE user_id = :u"), {"u": user["id"]}).all()
    assert len(stored) == 1 and secret not in str(stored)  # only its hash
    entries = api.get("/api/v1/audit", params={"action": "account.password_reset_issued"}).json()["entries"]
    assert any(e["targets"].get("account_id") == user["id"] for e in entries)

    path = link.removeprefix("http://127.0.0.1:8001")
    with browser(server) as holder:
        form = holder.get(path)
        assert form.status_code == 200 and "Choose a new password" in form.text
        assert user["email"] not in form.text and "Amal" not in form.text  # the page names no account
        short = _use(holder, path, new="short")
        assert short.status_code == 422 and "at least 12 characters" in text_of(short, "new_password-error")
        differs = _use(holder, path, repeat="another pass phrase")
        assert differs.status_code == 422 and "not the same" in text_of(differs, "repeat_password-error")
        done = _use(holder, path)
        assert done.status_code == 303 and done.headers["location"] == "/staff/reset-done"
        assert "Your new password is set" in holder.get("/staff/reset-done").text
        again = holder.get(path)
        assert again.status_code == 410 and "This link has been used already" in again.text
        assert "Ask a coordinator for a new link." in text_of(again, "message-text")
        twice = holder.post(path, data={"csrf": csrf_of(form), "new_password": "x" * 20, "repeat_password": "x" * 20})
        assert twice.status_code == 410
    with browser(server) as fresh:
        assert sign_in(fresh, user["email"], PASSWORD).status_code == 401
        assert sign_in(fresh, user["email"], NEW).status_code == 303
    entries = api.get("/api/v1/audit", params={"action": "account.password_reset"}).json()["entries"]
    assert any(e["targets"].get("account_id") == user["id"] and e["actor_id"] is None for e in entries)


def test_a_link_expires_after_a_day_and_a_newer_one_replaces_it(
    server: ThreadedServer, api: httpx.Client, coordinator: httpx.Client
) -> None:
    user = make_user(api)
    first = _issue(coordinator, user["id"]).removeprefix("http://127.0.0.1:8001")
    second = _issue(coordinator, user["id"]).removeprefix("http://127.0.0.1:8001")
    with browser(server) as holder:
        assert holder.get(first).status_code == 410  # replaced
        assert holder.get(second).status_code == 200
        advance(server.app, timedelta(hours=24, seconds=1))
        expired = holder.get(second)
        assert expired.status_code == 410 and "This link has expired" in expired.text
        assert _use(holder, second).status_code == 410
        unknown = holder.get("/staff/reset/" + "A" * 43)
        assert unknown.status_code == 404 and "This link does not work" in unknown.text
    with browser(server) as fresh:
        assert sign_in(fresh, user["email"], NEW).status_code == 401


def test_a_new_password_ends_the_lock_out(server: ThreadedServer, api: httpx.Client, coordinator: httpx.Client) -> None:
    user = make_user(api)
    with browser(server) as guesser:
        answers = [sign_in(guesser, user["email"], f"wrong guess {n}").status_code for n in range(5)]
    assert answers[-1] == 429  # locked: the right password is refused too
    with browser(server) as fresh:
        assert sign_in(fresh, user["email"], PASSWORD).status_code == 429
        link = _issue(coordinator, user["id"]).removeprefix("http://127.0.0.1:8001")
        assert _use(fresh, link).status_code == 303
        assert sign_in(fresh, user["email"], NEW).status_code == 303


def test_only_coordinators_issue_links_and_never_for_a_deactivated_account(
    server: ThreadedServer, api: httpx.Client, coordinator: httpx.Client
) -> None:
    ambassador, gone = make_user(api), make_user(api)
    with browser(server) as client:
        assert sign_in(client, ambassador["email"]).status_code == 303
        refused = post_form(client, "/staff/password", f"{USERS}/{gone['id']}/reset")
        assert refused.status_code == 403 and "reset-link" not in refused.text
    assert 'action="/staff/users/' + gone["id"] + '/reset"' in coordinator.get(USERS).text
    assert api.post(f"/api/v1/users/{gone['id']}/deactivate").status_code == 200
    answer = post_form(coordinator, USERS, f"{USERS}/{gone['id']}/reset")
    assert answer.status_code == 422 and "deactivated" in text_of(answer, "message-text")
