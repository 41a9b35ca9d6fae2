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


def listed(db: Session, offset: int, limit: int) -> list[Provider]:
    """One page of providers by name (the id breaks ties, so pages never overlap)."""
    query = select(Provider).order_by(col(Provider.name), col(Provider.id)).offset(offset).limit(limit)
    return list(db.exec(query).all())


def listed_position(db: Session, provider_id: str) -> int | None:
    """Where the provider stands in that order (0 first), None for no such provider."""
    ids = list(db.exec(select(Provider.id).order_by(col(Provider.name), col(Provider.id))).all())
    return ids.index(provider_id) if provider_id in ids else None


def name_taken(db: Session, name: str, other_than: str | None = None) -> bool:
    """Whether a provider (other than ``other_than``) has ``name``, in any capitals."""
    # the database folds both sides, so they fold alike ("İ" is "i" to PostgreSQL, "i̇" to Python)
    query = select(Provider.id).where(func.lower(Provider.name) == func.lower(name))
    if other_than is not None:
        query = query.where(Provider.id != other_than)
    return db.exec(query).first() is not None
