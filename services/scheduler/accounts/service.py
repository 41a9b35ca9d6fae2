"""Rules for staff accounts: the first coordinator, creating, changing and deactivating accounts, and
a staff member changing their own password.

Signing in, with its lock-out, is in scheduler.accounts.signin.
"""

from __future__ import annotations

from datetime import timedelta

import structlog
from sqlmodel import Session

from scheduler.accounts import repository
from scheduler.accounts.lockout import LockoutPolicy
from scheduler.accounts.models import User
from scheduler.accounts.passwords import hash_password, verify_password
from scheduler.accounts.schemas import ALLOWANCE_FIELDS, UserCreate, UserPublic, UserUpdate
from scheduler.accounts.tokens import AccessToken, TokenIssuer
from scheduler.errors import (
    AccountDeactivated,
    EmailTaken,
    LastCoordinator,
    NotForThisAccount,
    UserNotFound,
    WrongCurrentPassword,
)
from scheduler.hours.allowance import cents
from scheduler.providers import service as providers
from shared import events, outbox
from shared.auth import LEEWAY_SECONDS, Principal
from shared.errors import BrugError
from shared.events import utcnow

__all__ = [
    "sign_in",
    "principal_of",
    "ensure_active",
    "bootstrap_admin",
    "create_user",
    "update_user",
    "get_user",
    "list_users",
    "deactivate",
    "change_password",
]

log = structlog.get_logger("scheduler.accounts")

WRONG_CREDENTIALS = "The e-mail address or the password is wrong. Check both; a coordinator can help if it persists."
WRONG_PASSWORD = "The current password is wrong; type the password you signed in with."
DEACTIVATED = "This account is deactivated. Ask a coordinator if you still work with Brug."


def principal_of(user: User) -> Principal:
    return Principal(user_id=user.id, role=user.role, provider_id=user.provider_id)  # type: ignore[arg-type]  # User.role is stored as str; only Role values are written


def sign_in(
    db: Session, email: str, password: str, issuer: TokenIssuer, policy: LockoutPolicy | None = None
) -> AccessToken:
    """Sign in inside the caller's transaction. Prefer :func:`scheduler.accounts.signin.sign_in`.

    A refusal raised here rolls the caller's transaction back, and with it the
    count of the wrong password: a lock-out in force is honoured, but this path
    cannot add to it. Without ``policy`` there is no lock-out at all.
    """
    from scheduler.accounts.signin import attempt  # signin builds on this module

    outcome = attempt(db, issuer, policy or LockoutPolicy.disabled(), email, password)
    if isinstance(outcome, BrugError):
        raise outcome
    return outcome


def ensure_active(db: Session, principal: Principal) -> Principal:
    """Refuse a still-valid token of an account deactivated since it was issued."""
    user = repository.get(db, principal.user_id)
    if user is None or not user.active:
        raise AccountDeactivated(DEACTIVATED)
    return principal


def bootstrap_admin(db: Session, email: str, password: str) -> User | None:
    """The first coordinator, made only while there is no account at all."""
    if repository.count(db) > 0:
        return None
    user = User(
        email=email.strip().lower(),
        display_name="Coordinator",
        role="coordinator",
        password_hash=hash_password(password),
    )
    db.add(user)
    db.flush()
    log.info("scheduler.bootstrap_admin_created", user_id=user.id)
    return user


def _public(user: User) -> UserPublic:
    limit, per_session = user.monthly_allowance_limit, user.session_allowance
    return UserPublic(
        **user.model_dump(exclude={"password_hash", "deactivated_at", "monthly_allowance_limit", "session_allowance"}),
        monthly_allowance_limit=None if limit is None else cents(limit),
        session_allowance=None if per_session is None else cents(per_session),
    )


def create_user(db: Session, data: UserCreate) -> UserPublic:
    if repository.get_by_email(db, data.email) is not None:
        raise EmailTaken(f"An account for {data.email} already exists; look it up in GET /api/v1/users.")
    if data.provider_id is not None:
        providers.active(db, data.provider_id)
    user = User(
        **data.model_dump(exclude={"password"}),
        password_hash=hash_password(data.password.get_secret_value()),
    )
    db.add(user)
    db.flush()
    return _public(user)


def _existing(db: Session, user_id: str) -> User:
    user = repository.get(db, user_id)
    if user is None:
        raise UserNotFound(f"No account with id {user_id}.")
    return user


def update_user(db: Session, user_id: str, data: UserUpdate) -> UserPublic:
    """Change the fields given. NotForThisAccount, naming the field, for languages or allowance settings on
    an account that is not an ambassador's, or a personal limit on an ambassador who is not capped."""
    repository.lock_users(db, [user_id])  # two changes at once: the second sees the first's (PostgreSQL)
    user = _existing(db, user_id)
    given = data.changes()
    if user.role != "ambassador":
        for name in ("languages", *ALLOWANCE_FIELDS):
            if name in given:
                raise NotForThisAccount(f"{name} is recorded for ambassadors only; this account is a {user.role}.")
    capped = given.get("allowance_capped", user.allowance_capped)
    if not capped and given.get("monthly_allowance_limit", user.monthly_allowance_limit) is not None:
        raise NotForThisAccount(
            "monthly_allowance_limit needs allowance_capped true; to remove the cap, "
            'send "monthly_allowance_limit": null with "allowance_capped": false.'
        )
    for name, value in given.items():
        setattr(user, name, value)
    db.add(user)
    db.flush()
    return _public(user)


def get_user(db: Session, user_id: str) -> UserPublic:
    return _public(_existing(db, user_id))


def list_users(db: Session) -> list[UserPublic]:
    return [_public(u) for u in repository.list_all(db)]


def listed_users(db: Session, offset: int, limit: int) -> list[UserPublic]:
    """A page of the staff pages' list: active accounts first (repository.LISTED_ORDER)."""
    return [_public(u) for u in repository.listed(db, offset, limit)]


def listed_position(db: Session, user_id: str) -> int | None:
    return repository.listed_position(db, user_id)


def deactivate(db: Session, user_id: str, token_lifetime: timedelta) -> UserPublic:
    """The account can no longer sign in, and its tokens stop working here at once.

    The notifier and the feedback service learn it from ``scheduling.account.deactivated``, written
    in this transaction, and refuse its tokens too until the last one it could hold has expired:
    ``token_lifetime`` after now, with the verifiers' clock leeway.
    """
    user = _existing(db, user_id)
    if user.active and user.role == "coordinator":
        coordinators = repository.lock_active_coordinators(db)
        if [c.id for c in coordinators] == [user.id]:
            raise LastCoordinator("This is the only active coordinator; create another coordinator first.")
    if user.active:
        now = utcnow()
        user.active = False
        user.deactivated_at = now
        db.add(user)
        db.flush()
        until = now + token_lifetime + timedelta(seconds=LEEWAY_SECONDS)
        event = events.AccountDeactivated(account_id=user.id, deactivated_at=now, tokens_valid_until=until)
        outbox.record(db, event, producer="scheduler")
    return _public(user)


def change_password(
    db: Session, principal: Principal, current: str, new: str, policy: LockoutPolicy
) -> BrugError | None:
    """Give the signed-in account the password ``new`` (checked by the caller: ``schemas.check_password``)
    if ``current`` is its password; else the error to give once this transaction has committed.

    A wrong ``current`` counts as a wrong password at sign-in for this account's address (the lock-out,
    scheduler.accounts.lockout), and a lock-out in force refuses even the right one: a stolen session
    cookie gives no more guesses at the password than the sign-in form does. Other sessions of the
    account stay signed in until their tokens expire: tokens are revoked per account only on deactivation.
    """
    user = _existing(db, principal.user_id)
    now = utcnow()
    counted = policy.row(db, user.email)
    locked = policy.refusal(counted, now)
    if locked is not None:
        return locked
    if not verify_password(user.password_hash, current):
        locked = policy.count_failure(db, user.email, now)
        return locked if locked is not None else WrongCurrentPassword(WRONG_PASSWORD)
    policy.clear(db, counted)
    user.password_hash = hash_password(new)
    db.add(user)
    db.flush()
    log.info("scheduler.password_changed", user_id=user.id)
    return None
