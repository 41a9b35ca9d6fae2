"""The staff page tests' scheduler: one per test module (real NATS; on PostgreSQL when
BRUG_TEST_POSTGRES_URL names one, else SQLite), so the pages are tested in seconds; each test makes its
own users and sessions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from scheduler.app import create_app
from shared.natsserver import NatsServer
from shared.tls import client_context
from tests.conftest import POSTGRES_URL, _postgres_database
from tests.scheduler.staff_pages.pages import browser, sign_in
from tests.support.clock import EARLY_2026, set_clock
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD, Keys, scheduler_settings
from tests.support.factories import make_session, make_user, signed_in
from tests.support.servers import CLIENT_SECONDS, ThreadedServer


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """PostgreSQL when BRUG_TEST_POSTGRES_URL names one (as in production), else SQLite: once, not on both."""
    if POSTGRES_URL:
        yield from _postgres_database()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('staff-pages-db') / 'scheduler.db'}"


@pytest.fixture(scope="module")
def settings_overrides() -> dict[str, Any]:
    """Settings a module's scheduler has beyond the tests' own (a module overrides this fixture)."""
    return {}


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, database: str, settings_overrides: dict[str, Any]
) -> Iterator[ThreadedServer]:
    root = tmp_path_factory.mktemp("staff-pages")
    nats = NatsServer(root / "nats", log_file=root / "nats.log").start()
    trusted = {"rate_limit_trusted_proxies": ["127.0.0.1/32"]}
    settings = scheduler_settings(nats.url, database, Keys(), **trusted, **settings_overrides)
    try:
        with ThreadedServer(create_app(settings)) as running:
            yield running
    finally:
        nats.stop()


@pytest.fixture(scope="module")
def api(server: ThreadedServer) -> Iterator[httpx.Client]:
    """The API, signed in as the coordinator (for setting things up and looking them up)."""
    with httpx.Client(
        base_url=server.url, timeout=CLIENT_SECONDS, headers={"X-Forwarded-For": "192.0.2.1"}, verify=client_context()
    ) as client:
        yield signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)


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
