"""Fixtures for the notifier's tests: the fake SMS gateways, a migrated database, the app served for real."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine

from notifier import models  # noqa: F401 - registers the tables
from notifier.app import create_app
from shared import migrate
from shared.natsserver import NatsServer
from tests.notifier.support import served_settings
from tests.support.config import Keys
from tests.support.servers import ThreadedServer
from tests.support.sms_gateways import FakeGateways


@pytest.fixture
def schema() -> str:
    """Each test's database starts migrated for the notifier (a copy of a template: tests/support/databases.py)."""
    return "notifier"


@pytest.fixture
def fake() -> Iterator[FakeGateways]:
    """Twilio, Vonage and a webhook receiver on a real port on 127.0.0.1."""
    with FakeGateways() as gateways:
        yield gateways


@pytest.fixture
def notifier_db(engine: Engine) -> Engine:
    """The test's database with the notifier's schema."""
    migrate.upgrade(engine, "notifier")
    return engine


@pytest.fixture
def notifier_server(nats: NatsServer, database_url: str, keys: Keys, fake: FakeGateways) -> Iterator[ThreadedServer]:
    """The notifier app served for real, sending through the fake Twilio; Twilio reaches it at PUBLIC_URL."""
    with ThreadedServer(create_app(served_settings(nats.url, database_url, keys, fake))) as server:
        yield server


@pytest.fixture
def notifier(notifier_server: ThreadedServer) -> Iterator[httpx.Client]:
    with notifier_server.client() as client:
        yield client
