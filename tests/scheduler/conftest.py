"""The scheduler served for real in a thread, on each database backend.

``scheduler`` is a client signed in as the bootstrap coordinator; tests that
need other roles make users with it and sign in on ``scheduler_server``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from scheduler.app import create_app
from shared.db import make_engine
from shared.natsserver import NatsServer
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD, Keys, scheduler_settings
from tests.support.factories import signed_in
from tests.support.servers import ThreadedServer


@pytest.fixture
def schema() -> str:
    """Each test's database starts migrated for the scheduler (a copy of a template: tests/support/databases.py)."""
    return "scheduler"


@pytest.fixture
def scheduler_server(nats: NatsServer, database_url: str, keys: Keys) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(scheduler_settings(nats.url, database_url, keys))) as server:
        yield server


@pytest.fixture
def scheduler(scheduler_server: ThreadedServer) -> Iterator[httpx.Client]:
    with scheduler_server.client() as client:
        yield signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)


Events = Callable[[str], list[dict[str, Any]]]


@pytest.fixture
def events(database_url: str) -> Iterator[Events]:
    """``events(subject)``: the payloads the scheduler wrote to its outbox with that subject, in order."""
    engine = make_engine(database_url)

    def read(subject: str) -> list[dict[str, Any]]:
        query = text("SELECT body FROM outbox WHERE subject = :subject ORDER BY seq")
        with engine.connect() as connection:
            return [json.loads(body)["payload"] for (body,) in connection.execute(query, {"subject": subject})]

    try:
        yield read
    finally:
        engine.dispose()
