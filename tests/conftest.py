"""Fixtures: a real nats-server per worker, emptied for each test; a fresh database per test on each
backend (empty, or a copy of its service's schema migrated once per worker: tests/support/databases.py).

Database tests run on SQLite always, and on PostgreSQL too when
BRUG_TEST_POSTGRES_URL names a server (``.ci/run`` sets it when one answers).
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import functools
import os
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nats as nats_client
import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine

from shared.db import make_engine
from shared.natsauth import BusAuth
from shared.natsserver import NatsServer
from tests.support.config import Keys
from tests.support.databases import Templates, postgres_url_of
from tests.support.factories import restart_slots

#: Property tests (hypothesis, schemathesis) try the same examples on every `make test`, so CI passes or
#: fails on the code, not on the draw; `make fuzz` (BRUG_FUZZ=1) explores new ones each run.
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", database=None, max_examples=1000)
hypothesis_settings.load_profile("explore" if os.environ.get("BRUG_FUZZ") else "repeatable")


def _one_ast_at_a_time() -> None:
    """CPython before 3.11.8 (this machine's and CI's is 3.11.7) can raise "SystemError: AST constructor
    recursion depth mismatch" when two threads build ASTs at once (python/cpython gh-106905; pytest
    #10763). In a test worker the main thread formats a failure (pytest and 3.11's own caret lines
    call ast.parse) while a served app's thread formats a logged exception: under load that turned one
    failure into an INTERNALERROR that lost the worker and the run's whole report. So in the test
    processes, one ast.parse at a time."""
    if sys.version_info >= (3, 11, 8):
        return
    parse, lock = ast.parse, threading.RLock()

    @functools.wraps(parse)
    def parse_alone(*args: Any, **kwargs: Any) -> ast.AST:
        with lock:
            return parse(*args, **kwargs)

    ast.parse = parse_alone  # type: ignore[assignment]  # the same signature, wrapped


_one_ast_at_a_time()

POSTGRES_URL = os.environ.get("BRUG_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]


@pytest.fixture(autouse=True, scope="module")
def _session_slots() -> None:
    """Sessions made without a time start three days ahead in every test file (tests/support/factories.py);
    a file's databases are its own (some files share one system between their tests)."""
    restart_slots()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "production_backend: run once, on PostgreSQL when it is reachable (else SQLite), not on both"
    )


#: the longest test files (each starts the whole system, some for a minute of faults), first: with
#: `pytest -n 3 --dist loadfile --no-loadscope-reorder` (make test) they then run beside the many short
#: files, not after them.
LONGEST_FIRST = (
    "tests/chaos/",
    "tests/security/test_report_attacks.py",
    "tests/cluster/",
    "tests/e2e/",
    "tests/shared/test_migration_upgrades.py",
    "tests/scheduler/test_authorization.py",
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
        # module scope: a module's tests run on one backend, then on the other, so fixtures a module's
        # tests share (one running system, tests/e2e/conftest.py) are made once per backend
        metafunc.parametrize("backend", BACKENDS[-1:] if one else BACKENDS, scope="module")


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    """One real nats-server with JetStream per pytest worker, on a free port with a temporary store."""
    root = tmp_path_factory.mktemp("nats")
    server = NatsServer(root / "store", log_file=root / "nats.log", auth=BusAuth.generate(harness=True)).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def nats(nats_server: NatsServer) -> NatsServer:
    """The worker's nats-server, running and holding no streams (so no consumers and no messages).

    Its service users are the deployment's (``nats.auth.seeds``, used by tests/support/system.py);
    a client without credentials is the test harness, which may publish any service's events.
    A test may stop and restart it (the next one finds it running again).
    tests/security/test_bus_permissions.py starts its servers without that harness.
    """
    return emptied(nats_server)


@pytest.fixture(scope="module")
def module_nats(nats_server: NatsServer) -> NatsServer:
    """:func:`nats` for the tests of one module to share: emptied once, before the module's first test
    (a system started then must not find the streams, consumers and messages of the tests before)."""
    return emptied(nats_server)


def emptied(nats_server: NatsServer) -> NatsServer:
    """``nats_server`` running, with no streams."""
    if not nats_server.running:
        nats_server.start()
    asyncio.run(_delete_all_streams(nats_server.url))
    return nats_server


async def _delete_all_streams(url: str) -> None:
    """Delete every stream, again while any is there: a service stopped while it was making its streams
    (a short test ends before its bus has finished) has sent a request the server may carry out after
    the service closed its connection, and after the first deletion (seen: DEADLETTER came back)."""
    connection = await nats_client.connect(url)
    try:
        js = connection.jetstream()
        for _ in range(50):
            streams = await js.streams_info()
            if not streams:
                return
            for stream in streams:
                with contextlib.suppress(nats_client.js.errors.NotFoundError):
                    await js.delete_stream(stream.config.name)
        raise AssertionError(f"streams keep coming back on the worker's nats-server: {streams}")
    finally:
        await connection.close()


@pytest.fixture
def keys() -> Keys:
    return Keys()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    """Each service's schema migrated once per worker, for :func:`database_url` to copy."""
    found = Templates(tmp_path_factory.mktemp("templates"), POSTGRES_URL)
    try:
        yield found
    finally:
        found.close()


@pytest.fixture
def schema() -> str | None:
    """The service whose migrated schema a test's database starts with; None: an empty database.

    tests/scheduler, tests/notifier and tests/feedback name their service (their conftest.py); a
    module whose tests migrate for themselves, step by step, sets it back to None.
    """
    return None


def _postgres_database(templates: Templates | None = None, service: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database, dropped after: from the worker's ``templates``, or without them (a
    module-scoped fixture's own, as in tests/scheduler/staff_pages/conftest.py) empty, made and dropped here."""
    assert POSTGRES_URL is not None
    if templates is None:
        own = Templates(Path(), POSTGRES_URL)
        name = f"brug_test_{uuid.uuid4().hex[:12]}"
        own.execute(f'CREATE DATABASE "{name}"')
        try:
            yield postgres_url_of(POSTGRES_URL, name)
        finally:
            own.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            own.close()
        return
    name = templates.take_postgres(service)
    try:
        yield postgres_url_of(POSTGRES_URL, name)
    finally:
        templates.give_back_postgres(name)


@pytest.fixture
def database_url(backend: str, tmp_path: Path, schema: str | None, templates: Templates) -> Iterator[str]:
    """A new database on ``backend`` (a SQLite file, or a new PostgreSQL database): empty, or with
    ``schema``'s migrations applied (a copy of a template migrated once per worker)."""
    if backend == "postgres":
        yield from _postgres_database(templates, schema)
    elif schema is None:
        yield f"sqlite:///{tmp_path / 'test.db'}"
    else:
        yield templates.sqlite_copy(schema, tmp_path / "test.db")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the test's database, disposed before the database is dropped."""
    engine = make_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def database_urls(backend: str, tmp_path: Path, templates: Templates) -> Iterator[dict[str, str]]:
    """One empty database per service, as in production."""
    yield from _service_databases(backend, tmp_path, templates)


@pytest.fixture(scope="module")
def module_database_urls(
    backend: str, tmp_path_factory: pytest.TempPathFactory, templates: Templates
) -> Iterator[dict[str, str]]:
    """:func:`database_urls` for the tests of one module to share (one system started per module)."""
    yield from _service_databases(backend, tmp_path_factory.mktemp("databases"), templates)


def _service_databases(backend: str, root: Path, templates: Templates) -> Iterator[dict[str, str]]:
    if backend == "sqlite":
        yield {name: f"sqlite:///{root / (name + '.db')}" for name in ("scheduler", "notifier", "feedback")}
        return
    generators = [_postgres_database(templates) for _ in range(3)]
    urls = [next(g) for g in generators]
    try:
        yield dict(zip(("scheduler", "notifier", "feedback"), urls, strict=True))
    finally:
        for generator in generators:
            next(generator, None)
