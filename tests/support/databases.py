"""Test databases: empty, or copied from a template migrated once per pytest worker.

A service migrates its database when it starts. Done for every test that starts one, that cost
about 0.1 s of CPU on SQLite and 0.2-1.5 s on PostgreSQL (CREATE DATABASE and the migrations,
measured on a loaded CI machine). A :class:`Templates` migrates each service's schema once, with
the same :func:`shared.migrate.upgrade` the service runs, and hands out copies: the file itself on
SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL. The service's own start-up migration then
finds the database at head and changes nothing, as on every restart in production.

On PostgreSQL, CREATE DATABASE took 0.2 s on an idle machine (0.1-1 s loaded), nearly all of it
waiting for the disk: ten made one after the other took 2.3 s, ten at once 0.5 s. A worker's
databases are made and dropped by a few background threads: the next tests' databases are made
while this one runs, and a finished test's is dropped after it.
"""

from __future__ import annotations

import shutil
import threading
import time
import uuid
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from shared import migrate
from shared.db import make_engine, normalise_url

__all__ = ["Templates", "postgres_url_of"]


def postgres_url_of(server_url: str, database: str) -> str:
    return make_url(normalise_url(server_url)).set(database=database).render_as_string(hide_password=False)


class Templates:
    """One migrated template per service, made on first use; copies of it for each test."""

    #: databases made ahead per schema: a test that runs in less time than one CREATE DATABASE
    #: (most, on PostgreSQL) no longer waits for the next one
    AHEAD = 3

    def __init__(self, directory: Path, postgres_url: str | None) -> None:
        self.directory = directory
        self.postgres_url = postgres_url
        self._sqlite: dict[str, Path] = {}
        self._postgres: dict[str, str] = {}
        #: made here, not on first use: the threads below would each make one at once (and leak it)
        self._admin: Engine | None = None
        if postgres_url is not None:
            self._admin = create_engine(normalise_url(postgres_url), isolation_level="AUTOCOMMIT")
        #: every CREATE and DROP DATABASE, several at once (each mostly waits for the disk)
        self._server = ThreadPoolExecutor(max_workers=self.AHEAD + 1, thread_name_prefix="postgres-databases")
        #: per schema (None: empty), the databases being made for the next tests that ask, oldest first
        self._next: dict[str | None, deque[Future[str]]] = {}
        self._template_lock = threading.Lock()

    @property
    def admin(self) -> Engine:
        """AUTOCOMMIT connections to the PostgreSQL server, for CREATE and DROP DATABASE."""
        assert self._admin is not None, "no PostgreSQL server was named"
        return self._admin

    def sqlite_copy(self, service: str, path: Path) -> str:
        """A SQLite file at ``path`` holding ``service``'s migrated, empty schema."""
        if service not in self._sqlite:
            template = self.directory / f"{service}.db"
            engine = make_engine(f"sqlite:///{template}")
            migrate.upgrade(engine, service)
            engine.dispose()  # the last connection closed: the WAL is checkpointed into the file and removed
            assert not template.with_name(template.name + "-wal").exists()
            self._sqlite[service] = template
        shutil.copyfile(self._sqlite[service], path)
        return f"sqlite:///{path}"

    def take_postgres(self, service: str | None) -> str:
        """The name of a new PostgreSQL database: empty, or a copy of ``service``'s template."""
        ahead = self._next.setdefault(service, deque())
        ready = ahead.popleft() if ahead else self._server.submit(self._create_postgres, service)
        while len(ahead) < self.AHEAD:
            ahead.append(self._server.submit(self._create_postgres, service))
        return ready.result()

    def give_back_postgres(self, name: str) -> None:
        """Drop ``name`` (its connections too), in the background."""
        self._server.submit(self.execute, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _create_postgres(self, service: str | None) -> str:
        name = f"brug_test_{uuid.uuid4().hex[:12]}"
        if service is None:
            self.execute(f'CREATE DATABASE "{name}"')
            return name
        template = self._postgres_template(service)
        # CREATE DATABASE ... TEMPLATE refuses while anyone is connected to the template; nothing of
        # ours is (it takes no connections), but a PostgreSQL background worker may be, for a moment.
        for attempt in range(50):
            try:
                self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                return name
            except OperationalError as error:
                if "is being accessed by other users" not in str(error) or attempt == 49:
                    raise
                time.sleep(0.1)
        raise AssertionError("unreachable")

    def _postgres_template(self, service: str) -> str:
        with self._template_lock:  # made once, by the first of the threads that needs it
            return self._postgres_template_made(service)

    def _postgres_template_made(self, service: str) -> str:
        if service not in self._postgres:
            name = f"brug_template_{service}_{uuid.uuid4().hex[:8]}"
            self.execute(f'CREATE DATABASE "{name}"')
            engine = make_engine(postgres_url_of(self.postgres_url or "", name))
            migrate.upgrade(engine, service)
            engine.dispose()
            # no connections from now on (autovacuum leaves such a database alone), so copies never wait
            self.execute(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false')
            self._postgres[service] = name
        return self._postgres[service]

    def execute(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(statement))

    def close(self) -> None:
        """Drop the PostgreSQL databases made ahead and the templates (the SQLite ones go with the
        session's temporary directory), after every drop asked for."""
        for ahead in self._next.values():
            for ready in ahead:
                self.give_back_postgres(ready.result())
        self._next.clear()
        self._server.shutdown(wait=True)
        for name in self._postgres.values():
            self.execute(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE false')
            self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._postgres.clear()
        if self._admin is not None:
            self._admin.dispose()
