"""Alembic environment shared by every service; the connection comes from shared.migrate."""

from __future__ import annotations

from importlib import import_module

from alembic import context
from sqlmodel import SQLModel

from shared.tables import SHARED_TABLES

config = context.config
service = config.attributes["service"]
models = import_module(f"{service}.models")
owned = set(SHARED_TABLES) | set(models.TABLES)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Compare only this service's tables (all services share SQLModel's metadata)."""
    if type_ == "table":
        return name in owned
    table = getattr(obj, "table", None)
    return table is None or table.name in owned


connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    include_object=include_object,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
