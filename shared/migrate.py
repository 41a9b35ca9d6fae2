"""Apply a service's Alembic migrations at start-up.

Each service's database holds two branches of migrations: ``shared`` (outbox,
inbox, dead letters; in shared/migrations/versions) and the service's own (in
services/<name>/migrations). Both share the env.py in shared/migrations.
On PostgreSQL an advisory lock keeps replicas that start together from
migrating at once.
"""

from __future__ import annotations

import zlib
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

__all__ = ["alembic_config", "upgrade"]

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


def upgrade(engine: Engine, service: str) -> None:
    """Bring ``engine``'s database to the latest schema of both branches."""
    config = alembic_config(service)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": zlib.crc32(service.encode())})
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
