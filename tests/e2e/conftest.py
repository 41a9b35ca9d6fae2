"""The system under test, as processes on a real NATS and fresh databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.natsserver import NatsServer
from tests.support.system import System


@pytest.fixture
def system(tmp_path: Path, nats: NatsServer, database_urls: dict[str, str]) -> Iterator[System]:
    running = System(root=tmp_path, nats=nats, database_urls=database_urls)
    try:
        yield running.start()
    finally:
        running.stop()
