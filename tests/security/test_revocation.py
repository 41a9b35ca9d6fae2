"""Issue 16, item 3: a deactivated account's token stops working at every service, not only the scheduler.

The notifier and the feedback service check staff tokens with the scheduler's public key alone, so
before this a token outlived its account there for the rest of its 30 minutes.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import Engine
from sqlmodel import select

from shared import migrate
from shared.events import AccountDeactivated, Envelope, utcnow
from shared.natsserver import NatsServer
from shared.pages.staff import STAFF_COOKIE
from shared.revocations import AccountRevocation, is_revoked, on_account_deactivated
from shared.unit_of_work import UnitOfWork
from tests.security.served import served
from tests.support.clock import until_started
from tests.support.factories import PASSWORD, book, make_session, make_user
from tests.support.servers import wait_until

DEACTIVATED = "This account was deactivated"


def _refused(response: httpx.Response) -> bool:
    return response.status_code == 401 and DEACTIVATED in response.json()["detail"]


def test_a_deactivated_coordinators_token_is_refused_by_the_feedback_service_and_the_notifier(
    nats: NatsServer, database_urls: dict[str, str], tmp_path: Path
) -> None:
    """Attack: a coordinator is let go; with the token they already hold they keep reading a session's
    report at the feedback service and every delivery at the notifier (API and staff page).

    Before (the scheduler refused the token at once, the other two did not hear of it): the wait below
    timed out after 15 s with the report still answering 409 ReportNotReady and the deliveries 200.
    After: the scheduler publishes scheduling.account.deactivated with the deactivation; both services
    list the account and answer 401 "This account was deactivated..." as soon as the event arrives
    (the notifier's staff page sends the cookie back to sign-in), and still accept the other
    coordinator's token.
    """
    with served(nats, database_urls, tmp_path) as trio, trio.client("scheduler") as admin:
        still = {"Authorization": trio.signed_in(admin)}
        leaving = make_user(admin, "coordinator")
        session = make_session(admin)
        book(admin, session["id"])
        assert admin.post(f"/api/v1/sessions/{session['id']}/check-ins", json={"walk_ins": 6}).status_code == 200
        until_started(trio.servers["scheduler"].app, session)
        assert admin.post(f"/api/v1/sessions/{session['id']}/complete").status_code == 200
        with trio.client("scheduler") as theirs:
            held = {"Authorization": trio.signed_in(theirs, leaving["email"], PASSWORD)}
        report = f"/api/v1/reports/sessions/{session['id']}"
        with trio.client("feedback") as feedback, trio.client("notifier") as notifier:
            wait_until(
                lambda: feedback.get(report, headers=held).status_code == 409,
                message="the completed session to reach the feedback service",
            )
            assert notifier.get("/api/v1/deliveries", headers=held).status_code == 200
            page = trio.client("notifier")
            page.cookies.set(STAFF_COOKIE, held["Authorization"].removeprefix("Bearer "))
            assert page.get("/staff/deliveries").status_code == 200

            assert admin.post(f"/api/v1/users/{leaving['id']}/deactivate").status_code == 200
            assert admin.get("/api/v1/auth/me", headers=held).status_code == 401

            wait_until(
                lambda: _refused(feedback.get(report, headers=held)),
                message="the feedback service to refuse the deactivated account's token",
            )
            wait_until(
                lambda: _refused(notifier.get("/api/v1/deliveries", headers=held)),
                message="the notifier to refuse the deactivated account's token",
            )
            assert page.get("/staff/deliveries").headers["location"].startswith("/staff/sign-in")
            page.close()
            refused = feedback.get(report, headers=held)
            assert refused.headers["www-authenticate"] == "Bearer"
            assert "sign in" not in refused.json()["detail"].lower()  # signing in again will not help
            assert feedback.get(report, headers=still).status_code == 409
            assert notifier.get("/api/v1/deliveries", headers=still).status_code == 200


def _apply(engine: Engine, account_id: str, valid_for: timedelta) -> None:
    now = utcnow()
    event = AccountDeactivated(account_id=account_id, deactivated_at=now, tokens_valid_until=now + valid_for)
    with UnitOfWork(engine) as db:
        on_account_deactivated(db, event, Envelope.wrap(event, producer="scheduler"))


def test_the_list_is_kept_in_the_database_until_the_tokens_expire_and_then_purged(engine: Engine) -> None:
    """Every replica, and one started later, reads the same list; it never grows beyond the accounts
    whose tokens may still be valid. (A check of the list itself: the attack is the test above.)"""
    migrate.upgrade(engine, "notifier")
    _apply(engine, "gone-a", timedelta(minutes=30))
    _apply(engine, "gone-b", timedelta(seconds=-1))  # arrives after its tokens expired: not listed
    assert is_revoked(engine, "gone-a") and not is_revoked(engine, "gone-b") and not is_revoked(engine, "staying")
    _apply(engine, "gone-a", timedelta(minutes=5))  # a redelivered, earlier time never shortens the listing
    with UnitOfWork(engine) as db:
        row = db.get(AccountRevocation, "gone-a")
        assert row is not None and row.until > utcnow() + timedelta(minutes=29)
        row.until = utcnow() - timedelta(seconds=1)  # its tokens have now expired
        db.add(row)
    assert not is_revoked(engine, "gone-a")
    _apply(engine, "gone-c", timedelta(minutes=30))
    with UnitOfWork(engine, read_only=True) as db:
        listed = db.exec(select(AccountRevocation.account_id)).all()
        assert listed == ["gone-c"]
