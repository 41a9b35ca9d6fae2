"""Apply a service's Alembic migrations at start-up.

Each service's database holds two branches of migrations: ``shared`` (outbox,
inbox, dead letters; in shared/migrations/versions) and the service's own (in
services/<name>/migrations). Both share the env.py in shared/migrations.
On PostgreSQL an advisory lock keeps replicas that start together from
migrating at once.

Most starts find the database already at the latest schema. Finding what is latest means Alembic
loading every migration file, so each process does it once and a start at head checks the stored
revisions against that and runs nothing else (about 25 ms of CPU a start, and every test starts
services).
"""

from __future__ import annotations

import functools
import zlib
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

__all__ = ["alembic_config", "latest", "upgrade"]

SHARED_MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(service: str) -> Config:
    """An Alembic config for ``service``'s database (also for ``alembic revision``)."""
    own = Path(str(resources.files(service))) / "migrations"
    config = Config()
    config.set_main_option("script_location", str(SHARED_MIGRATIONS))
    config.set_main_option("version_locations", f"{SHARED_MIGRATIONS / 'versions'} {own}")
    config.set_main_option("path_separator", "space")
    config.attributes["service"] = service
    return config


@functools.cache
def latest(service: str) -> frozenset[str]:
    """The revisions at the tips of ``service``'s two branches (the code's, so read once per process)."""
    return frozenset(ScriptDirectory.from_config(alembic_config(service)).get_heads())


def upgrade(engine: Engine, service: str) -> None:
    """Bring ``engine``'s database to the latest schema of both branches."""
    config = alembic_config(service)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": zlib.crc32(service.encode())})
        if frozenset(MigrationContext.configure(connection).get_current_heads()) == latest(service):
            return
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def revision(service: str, message: str) -> None:
    """Write a new migration for ``service`` from the difference between its models and its migrations."""
    import importlib
    import tempfile

    from shared.db import make_engine

    importlib.import_module(f"{service}.models")
    config = alembic_config(service)
    own = Path(str(resources.files(service))) / "migrations"
    existing = sorted(own.glob(f"{service}_*.py"))
    number = len(existing) + 1
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{scratch}/scratch.db")
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")
            script = command.revision(
                config,
                message=message,
                autogenerate=True,
                head=f"{service}@head",
                version_path=str(own),
                rev_id=f"{service}_{number:04d}",
            )
        engine.dispose()
    path = Path(script.path)  # type: ignore[union-attr]  # one head given: alembic made one Script
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(line for line in lines if "### " not in line))
    print(f"Read {path} before committing: a NOT NULL column added to a table with rows needs a server_default.")


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 4 or sys.argv[1] != "revision":
        print('usage: python -m shared.migrate revision <scheduler|notifier|feedback> "what changed"', file=sys.stderr)
        raise SystemExit(2)
    revision(sys.argv[2], sys.argv[3])
