"""Five wrong passwords for one e-mail address pause its sign-in, on every replica, known or not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine, text

from scheduler.app import create_app
from shared.events import utcnow
from shared.natsserver import NatsServer
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD, Keys, scheduler_settings
from tests.support.factories import PASSWORD, make_user, signed_in
from tests.support.servers import ThreadedServer

TOKEN = "/api/v1/auth/token"


@pytest.fixture
def replicas(nats: NatsServer, database_url: str, keys: Keys) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """Two schedulers on one database, with the default lock-out (5 in 15 minutes); the per-client
    limit is off, so what stops the guesses here is the lock-out alone."""
    settings = scheduler_settings(
        nats.url,
        database_url,
        keys,
        rate_limit_per_minute={"registration": 0, "registration-per-session": 0, "sign-in": 0},
    )
    with (
        ThreadedServer(create_app(settings)) as one,
        ThreadedServer(create_app(settings)) as two,
        one.client() as a,
        two.client() as b,
    ):
        yield a, b


def _try(client: httpx.Client, email: str, password: str) -> httpx.Response:
    return client.post(TOKEN, data={"username": email, "password": password})


def test_the_fifth_wrong_password_locks_the_address_on_every_replica_and_the_right_one_is_refused_too(
    replicas: tuple[httpx.Client, httpx.Client],
) -> None:
    a, b = replicas
    coordinator = signed_in(a, ADMIN_EMAIL, ADMIN_PASSWORD)
    user = make_user(coordinator)
    for client in (a, b, a, b):
        assert _try(client, user["email"], "not the password").status_code == 401
    locked = _try(b, user["email"].upper() + " ", "not the password")  # the address as typed, normalised
    assert locked.status_code == 429
    assert locked.json()["error"] == "TooManyRequests"
    assert "Wait 15 minutes" in locked.json()["detail"]
    assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60

    for client in (a, b):
        right = _try(client, user["email"], PASSWORD)
        assert right.status_code == 429, right.text
        assert "access_token" not in right.text
    assert _try(a, ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 200  # other accounts are not held up


def test_an_unknown_address_is_answered_exactly_like_a_known_one(
    replicas: tuple[httpx.Client, httpx.Client],
) -> None:
    a, _ = replicas
    known = make_user(signed_in(a, ADMIN_EMAIL, ADMIN_PASSWORD))["email"]
    answers = {}
    for email in (known, "nobody-here@example.org"):
        answers[email] = [_try(a, email, "not the password") for _ in range(6)]
    as_seen = {email: [(r.status_code, r.json()) for r in replies] for email, replies in answers.items()}
    assert as_seen[known] == as_seen["nobody-here@example.org"]
    assert [status for status, _ in as_seen[known]] == [401, 401, 401, 401, 429, 429]


def test_a_right_password_clears_the_count_and_a_lock_out_ends_by_itself(
    replicas: tuple[httpx.Client, httpx.Client], engine: Engine
) -> None:
    a, b = replicas
    email = make_user(signed_in(a, ADMIN_EMAIL, ADMIN_PASSWORD))["email"]
    for _ in range(4):
        assert _try(a, email, "not the password").status_code == 401
    assert _try(b, email, PASSWORD).status_code == 200
    for _ in range(4):  # counted from nothing again: four more are still just wrong
        assert _try(b, email, "not the password").status_code == 401
    assert _try(a, email, "not the password").status_code == 429

    with engine.begin() as connection:  # fifteen minutes pass
        connection.execute(
            text("UPDATE sign_in_lockout SET locked_until = :past"), {"past": utcnow() - timedelta(seconds=1)}
        )
    assert _try(a, email, PASSWORD).status_code == 200
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM sign_in_lockout")).scalar() == 0


def test_a_lock_out_is_audited_without_the_address_and_stores_no_address(
    replicas: tuple[httpx.Client, httpx.Client], engine: Engine
) -> None:
    a, _ = replicas
    coordinator = signed_in(a, ADMIN_EMAIL, ADMIN_PASSWORD)
    user = make_user(coordinator)
    del a.headers["Authorization"]
    for email in (user["email"], "typo-of-someone@example.org"):
        for _ in range(5):
            _try(a, email, "not the password")
    signed_in(a, ADMIN_EMAIL, ADMIN_PASSWORD)

    log = a.get("/api/v1/audit", params={"action": "account.locked_out"}).json()["entries"]
    assert [(e["actor_id"], e["actor_role"]) for e in log] == [(None, "anonymous")] * 2
    assert {"account_id": user["id"]} in [e["targets"] for e in log]
    assert any(set(e["targets"]) == {"email_key"} for e in log)
    with engine.connect() as connection:
        stored = str(connection.execute(text("SELECT * FROM sign_in_lockout")).all())
        audit = str(connection.execute(text("SELECT * FROM audit_log")).all())
    for where in (stored, audit, str(log)):
        assert "typo-of-someone" not in where
        assert user["email"] not in where
