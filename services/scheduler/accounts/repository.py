"""Queries on staff accounts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from scheduler.accounts.models import PasswordReset, SignInLockout, User
from shared.db import is_sqlite

__all__ = [
    "get",
    "get_by_email",
    "list_all",
    "count",
    "lock_active_coordinators",
    "active_ambassadors",
    "lock_users",
    "lockout_row",
    "add_lockout_if_missing",
    "add_reset",
    "reset_row",
    "retire_resets",
]


def get(db: Session, user_id: str) -> User | None:
    return db.get(User, user_id)


def get_by_email(db: Session, email: str) -> User | None:
    return db.exec(select(User).where(User.email == email.strip().lower())).first()


def list_all(db: Session) -> list[User]:
    return list(db.exec(select(User).order_by(col(User.role), col(User.display_name))).all())


#: the users page's order: active accounts first, by role and name; the id breaks ties, so pages never overlap
LISTED_ORDER = (col(User.active).desc(), col(User.role), col(User.display_name), col(User.id))


def listed(db: Session, offset: int, limit: int) -> list[User]:
    """One page of accounts in :data:`LISTED_ORDER`."""
    return list(db.exec(select(User).order_by(*LISTED_ORDER).offset(offset).limit(limit)).all())


def listed_position(db: Session, user_id: str) -> int | None:
    """Where the account stands in :data:`LISTED_ORDER` (0 first), None for no such account."""
    ids = list(db.exec(select(User.id).order_by(*LISTED_ORDER)).all())
    return ids.index(user_id) if user_id in ids else None


def active_staff_of(db: Session, provider_id: str) -> list[User]:
    """The provider's staff accounts that can still sign in."""
    query = select(User).where(User.provider_id == provider_id, col(User.active).is_(True)).order_by(col(User.id))
    return list(db.exec(query).all())


def count(db: Session) -> int:
    return int(db.exec(select(func.count()).select_from(User)).one())


def lock_active_coordinators(db: Session) -> list[User]:
    """Active coordinators, locked until commit, so two cannot deactivate each other at once."""
    query = select(User).where(User.role == "coordinator", col(User.active).is_(True)).order_by(col(User.id))
    if not is_sqlite(db.get_bind()):
        query = query.with_for_update()
    return list(db.exec(query).all())


def active_ambassadors(db: Session, user_ids: Iterable[str]) -> set[str]:
    """Which of ``user_ids`` are active ambassadors."""
    ids = list(user_ids)
    if not ids:
        return set()
    query = select(User.id).where(col(User.id).in_(ids), User.role == "ambassador", col(User.active).is_(True))
    return set(db.exec(query).all())


def lock_users(db: Session, user_ids: Iterable[str]) -> None:
    """Lock these users' rows until commit (PostgreSQL; SQLite is serialised already).

    Planning locks the ambassadors it checks for clashes, so two sessions
    planned at once cannot both give one ambassador the same hour. Always in
    id order, so two planners never wait on each other in a circle.
    """
    ids = sorted(set(user_ids))
    if ids and not is_sqlite(db.get_bind()):
        db.exec(select(User.id).where(col(User.id).in_(ids)).order_by(col(User.id)).with_for_update()).all()


def lockout_row(db: Session, key: str) -> SignInLockout | None:
    """The sign-in lock-out row of an address's keyed hash, read fresh and locked until commit."""
    query = select(SignInLockout).where(SignInLockout.email_key == key).execution_options(populate_existing=True)
    if not is_sqlite(db.get_bind()):
        query = query.with_for_update()
    return db.exec(query).first()


def add_lockout_if_missing(db: Session, key: str) -> None:
    """Two replicas counting the first failure at once must not both insert (nor fail)."""
    dialect = sqlite if is_sqlite(db.get_bind()) else postgresql
    statement = dialect.insert(SignInLockout).values(email_key=key, failures=0).on_conflict_do_nothing()
    db.exec(statement)


def add_reset(db: Session, reset: PasswordReset) -> None:
    db.add(reset)
    db.flush()


def reset_row(db: Session, token_hash: str) -> PasswordReset | None:
    """A reset link's row, read fresh and locked until commit: two tabs cannot both use it."""
    query = select(PasswordReset).where(PasswordReset.token_hash == token_hash)
    query = query.execution_options(populate_existing=True)
    if not is_sqlite(db.get_bind()):
        query = query.with_for_update()
    return db.exec(query).first()


def retire_resets(db: Session, user_id: str, at: datetime) -> None:
    """Every unused link of the account stops working (a newer one replaces them, or one was just used)."""
    statement = (
        update(PasswordReset)
        .where(col(PasswordReset.user_id) == user_id, col(PasswordReset.used_at).is_(None))
        .values(used_at=at)
    )
    db.exec(statement)
