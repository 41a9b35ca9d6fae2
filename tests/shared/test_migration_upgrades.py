"""A database from any earlier release upgrades to the latest, and replicas starting together migrate once."""

from __future__ import annotations

import threading
from importlib import import_module

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from shared import migrate
from shared.db import make_engine
from shared.tables import SHARED_TABLES

SERVICES = ["scheduler", "notifier", "feedback"]


def releases(service: str) -> list[str]:
    """Every revision of the service's own branch, oldest first: each is a schema a release shipped."""
    script = ScriptDirectory.from_config(migrate.alembic_config(service))
    own = [r for r in script.walk_revisions() if service in r.branch_labels]  # labels pass down the branch
    return [r.revision for r in reversed(own)]


def agrees_with_the_models(engine: Engine, service: str) -> list[object]:
    owned = set(SHARED_TABLES) | set(import_module(f"{service}.models").TABLES)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_object": lambda obj, name, type_, *_: type_ != "table" or name in owned,
                "compare_type": True,
            },
        )
        return compare_metadata(context, SQLModel.metadata)  # type: ignore[no-any-return]


@pytest.mark.parametrize("service", SERVICES)
def test_a_database_of_every_earlier_release_upgrades_to_the_latest(database_url: str, service: str) -> None:
    found = releases(service)
    assert len(found) >= 2, f"{service}: expected several releases, found {found}"
    for release in found[:-1]:
        engine = make_engine(database_url)
        try:
            with engine.begin() as connection:
                config = migrate.alembic_config(service)
                config.attributes["connection"] = connection
                command.upgrade(config, release)
                command.upgrade(config, "shared@head")
            migrate.upgrade(engine, service)
            assert agrees_with_the_models(engine, service) == [], f"{service}: from {release}"
        finally:
            with engine.begin() as connection:
                for table in [*import_module(f"{service}.models").TABLES, *SHARED_TABLES, "alembic_version"]:
                    connection.execute(
                        text(
                            f'DROP TABLE IF EXISTS "{table}" CASCADE'
                            if "postgres" in database_url
                            else f'DROP TABLE IF EXISTS "{table}"'
                        )
                    )
            engine.dispose()


def test_replicas_that_start_together_migrate_once(database_url: str) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def replica() -> None:
        engine = make_engine(database_url)
        try:
            start.wait()
            migrate.upgrade(engine, "scheduler")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=replica) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            heads = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        assert len(heads) == len(set(heads)) == 2, heads  # the shared branch's head and the scheduler's
        assert agrees_with_the_models(engine, "scheduler") == []
    finally:
        engine.dispose()
