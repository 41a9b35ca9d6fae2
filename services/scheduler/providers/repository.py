"""Queries on provider organisations."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from scheduler.providers.models import Provider

__all__ = ["get", "list_all", "name_taken"]


def get(db: Session, provider_id: str) -> Provider | None:
    return db.get(Provider, provider_id)


def list_all(db: Session) -> list[Provider]:
    return list(db.exec(select(Provider).order_by(col(Provider.name))).all())


def name_taken(db: Session, name: str, other_than: str | None = None) -> bool:
    """Whether a provider (other than ``other_than``) has ``name``, in any capitals."""
    # the database folds both sides, so they fold alike ("İ" is "i" to PostgreSQL, "i̇" to Python)
    query = select(Provider.id).where(func.lower(Provider.name) == func.lower(name))
    if other_than is not None:
        query = query.where(Provider.id != other_than)
    return db.exec(query).first() is not None
