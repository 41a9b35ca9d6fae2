"""The scheduler served for real in a thread, on each database backend."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from scheduler.app import create_app
from shared.natsserver import NatsServer
from tests.support.config import Keys, scheduler_settings
from tests.support.servers import ThreadedServer


@pytest.fixture
def scheduler(nats: NatsServer, database_url: str, keys: Keys) -> Iterator[httpx.Client]:
    with (
        ThreadedServer(create_app(scheduler_settings(nats.url, database_url, keys))) as server,
        server.client() as client,
    ):
        yield client
