"""Fixtures: a real nats-server per test, a fresh database per test on each backend.

Database tests run on SQLite always, and on PostgreSQL too when
BRUG_TEST_POSTGRES_URL names a server (``.ci/run`` sets it when one answers).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from shared.db import make_engine, normalise_url
from shared.natsauth import BusAuth
from shared.natsserver import NatsServer
from tests.support.config import Keys

#: Property tests (hypothesis, schemathesis) try the same examples on every `make test`, so CI passes or
#: fails on the code, not on the draw; `make fuzz` (BRUG_FUZZ=1) explores new ones each run.
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", database=None, max_examples=1000)
hypothesis_settings.load_profile("explore" if os.environ.get("BRUG_FUZZ") else "repeatable")

POSTGRES_URL = os.environ.get("BRUG_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "production_backend: run once, on PostgreSQL when it is reachable (else SQLite), not on both"
    )


#: the longest test files (each starts the whole system, some for a minute of faults), first: with
#: `pytest -n 3 --dist loadfile` (make test) they then run beside the many short files, not after them.
LONGEST_FIRST = (
    "tests/chaos/",
    "tests/cluster/",
    "tests/e2e/",
    "tests/deploy/test_backup_restore.py",
    "tests/security/",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid
        return next((i for i, prefix in enumerate(LONGEST_FIRST) if path.startswith(prefix)), len(LONGEST_FIRST))

    items.sort(key=rank)  # stable: each file's own order is kept


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        one = metafunc.definition.get_closest_marker("production_backend") is not None
        metafunc.parametrize("backend", BACKENDS[-1:] if one else BACKENDS)


@pytest.fixture
def nats(tmp_path: Path) -> Iterator[NatsServer]:
    """A real nats-server with JetStream on a free port and a temporary store.

    Its service users are the deployment's (``nats.auth.seeds``, used by tests/support/system.py);
    a client without credentials is the test harness, which may publish any service's events.
    tests/security/test_bus_permissions.py starts its servers without that harness.
    """
    auth = BusAuth.generate(harness=True)
    server = NatsServer(tmp_path / "nats", log_file=tmp_path / "nats.log", auth=auth).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def keys() -> Keys:
    return Keys()


def _postgres_database() -> Iterator[str]:
    assert POSTGRES_URL is not None
    admin = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    name = f"brug_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(normalise_url(POSTGRES_URL)).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database on ``backend``: a SQLite file, or a new PostgreSQL database."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the test's database, disposed before the database is dropped."""
    engine = make_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def database_urls(backend: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    """One empty database per service, as in production."""
    if backend == "sqlite":
        yield {name: f"sqlite:///{tmp_path / (name + '.db')}" for name in ("scheduler", "notifier", "feedback")}
        return
    generators = [_postgres_database() for _ in range(3)]
    urls = [next(g) for g in generators]
    try:
        yield dict(zip(("scheduler", "notifier", "feedback"), urls, strict=True))
    finally:
        for generator in generators:
            next(generator, None)
