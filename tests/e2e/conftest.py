"""The system under test, as processes on a real NATS and fresh databases: per test, or per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.natsserver import NatsServer
from tests.support.system import System


@pytest.fixture
def system(tmp_path: Path, nats: NatsServer, database_urls: dict[str, str]) -> Iterator[System]:
    with System(root=tmp_path, nats=nats, database_urls=database_urls).running() as running:
        yield running


@pytest.fixture(scope="module")
def shared_system(
    tmp_path_factory: pytest.TempPathFactory, module_nats: NatsServer, module_database_urls: dict[str, str]
) -> Iterator[System]:
    """One system for all the tests of a module (per backend), for tests that each make their own
    sessions and bookings and look only at those: starting the three processes is most of an e2e test's
    time. A test that stops, kills or restarts a part, or counts everything, takes :func:`system`."""
    root = tmp_path_factory.mktemp("system")
    with System(root=root, nats=module_nats, database_urls=module_database_urls).running() as running:
        yield running
