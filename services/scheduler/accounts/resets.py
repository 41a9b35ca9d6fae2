"""One-time password reset links: a coordinator issues one for a staff account; its holder sets a new password.

- The link carries 256 random bits; the database keeps only their SHA-256, so a copy of the database
  opens no account, and no key is needed (the secret cannot be guessed, so its hash cannot be either).
- It works once, until ``BRUG_PASSWORD_RESET_HOURS`` (default 24) after it was issued, on the
  scheduler's clock. Issuing a new link for an account retires the older ones still unused, so only the
  latest link a coordinator handed over works.
- A deactivated account gets no link, and a link issued before the deactivation no longer works.
- The new password follows the password page's rules (accounts.schemas.check_password, checked by the
  caller). Setting it ends a sign-in lock-out of the account's address (accounts.lockout): the lock-out
  guards against guessing, and the holder of the link guessed nothing. Other signed-in sessions of the
  account end only when their tokens expire, as after a password change (accounts.service).

The link's page never names the account, and a link that does not work says the same for every
account: a link tells no one which addresses have accounts.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

import structlog
from sqlmodel import Session

from scheduler.accounts import repository
from scheduler.accounts.lockout import LockoutPolicy
from scheduler.accounts.models import PasswordReset, User
from scheduler.accounts.passwords import hash_password
from scheduler.errors import NotForThisAccount, UserNotFound

__all__ = ["ResetState", "IssuedReset", "issue", "state_of", "use"]

log = structlog.get_logger("scheduler.accounts")


class ResetState(StrEnum):
    """What a link can do: set a password (``VALID``), or why it no longer can."""

    VALID = "valid"
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


class IssuedReset:
    """A link just issued: its secret (shown once, never stored) and to whom and until when it works."""

    def __init__(self, secret: str, user: User, expires_at: datetime) -> None:
        self.secret, self.user, self.expires_at = secret, user, expires_at


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(db: Session, user_id: str, issued_by: str, lifetime: timedelta, now: datetime) -> IssuedReset:
    """A new link for an active account, valid for ``lifetime`` from ``now``; older unused ones stop working."""
    user = repository.get(db, user_id)
    if user is None:
        raise UserNotFound(f"No account with id {user_id}.")
    if not user.active:
        raise NotForThisAccount("This account is deactivated; a new password would not let it sign in.")
    repository.lock_users(db, [user.id])  # two coordinators at once: one link survives (PostgreSQL)
    repository.retire_resets(db, user.id, now)
    secret = secrets.token_urlsafe(32)
    expires_at = now + lifetime
    repository.add_reset(
        db,
        PasswordReset(
            token_hash=_hash(secret), user_id=user.id, issued_by=issued_by, issued_at=now, expires_at=expires_at
        ),
    )
    log.info("scheduler.password_reset_issued", user_id=user.id)
    return IssuedReset(secret, user, expires_at)


def _checked(db: Session, secret: str, now: datetime) -> tuple[ResetState, PasswordReset | None, User | None]:
    row = repository.reset_row(db, _hash(secret)) if secret else None
    if row is None:
        return ResetState.UNKNOWN, None, None
    user = repository.get(db, row.user_id)
    if row.used_at is not None or user is None or not user.active:
        return ResetState.USED, row, user
    if row.expires_at <= now:
        return ResetState.EXPIRED, row, user
    return ResetState.VALID, row, user


def state_of(db: Session, secret: str, now: datetime) -> ResetState:
    """Whether the link ``secret`` can still set a password, and if not, why."""
    return _checked(db, secret, now)[0]


def use(db: Session, secret: str, password: str, policy: LockoutPolicy, now: datetime) -> ResetState | User:
    """Give the link's account ``password`` (already checked by the caller) and retire the link; the account,
    or why the link cannot (then nothing changed)."""
    state, row, user = _checked(db, secret, now)
    if state is not ResetState.VALID:
        return state
    assert row is not None and user is not None
    user.password_hash = hash_password(password)
    db.add(user)
    repository.retire_resets(db, user.id, now)
    policy.clear(db, policy.row(db, user.email))
    db.flush()
    log.info("scheduler.password_reset_used", user_id=user.id)
    return user
