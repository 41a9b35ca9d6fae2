"""Sign-in: the password check, the per-account lock-out and the audit entry, in one transaction.

A refused sign-in must still *write* (the wrong password is counted, a
lock-out recorded), so the check runs in a transaction of its own
(shared.unit_of_work) that commits either way, and the refusal is raised only
after the commit. Raised inside, it would roll the count back.
"""

from __future__ import annotations

import structlog
from fastapi import Request
from sqlmodel import Session

from scheduler.accounts import repository, service
from scheduler.accounts.lockout import LockoutPolicy, email_key
from scheduler.accounts.passwords import hash_password, needs_rehash, verify_nobody, verify_password
from scheduler.accounts.service import DEACTIVATED, WRONG_CREDENTIALS, principal_of
from scheduler.accounts.tokens import AccessToken, TokenIssuer
from scheduler.errors import AccountDeactivated, InvalidCredentials
from scheduler.settings import SchedulerSettings
from shared import audit
from shared.auth import Principal
from shared.errors import BrugError
from shared.events import utcnow
from shared.unit_of_work import UnitOfWork
from shared.web import Runtime, runtime_of

__all__ = ["sign_in", "sign_in_request", "attempt", "policy_of", "change_password"]

log = structlog.get_logger("scheduler.accounts")


def policy_of(settings: SchedulerSettings) -> LockoutPolicy:
    return LockoutPolicy.from_signing_key(
        settings.scheduler_signing_key.get_secret_value(),
        failures=settings.signin_lockout_failures,
        minutes=settings.signin_lockout_minutes,
    )


def sign_in(runtime: Runtime, issuer: TokenIssuer, policy: LockoutPolicy, email: str, password: str) -> AccessToken:
    """A token for the right password outside a lock-out; else the refusal, after its count is committed.

    For every caller that signs staff in (the token endpoint, staff pages): call it from a worker thread.
    """
    with UnitOfWork(runtime.engine, relay=runtime.relay) as db:
        outcome = attempt(db, issuer, policy, email, password)
    if isinstance(outcome, BrugError):
        raise outcome
    return outcome


def sign_in_request(request: Request, email: str, password: str) -> AccessToken:
    """:func:`sign_in` with the app's runtime, settings and token issuer (for the staff sign-in page)."""
    runtime = runtime_of(request)
    policy = policy_of(runtime.settings)  # type: ignore[arg-type]  # Runtime holds CommonSettings; this service's app was built with its own
    return sign_in(runtime, request.app.state.token_issuer, policy, email, password)


def attempt(
    db: Session, issuer: TokenIssuer, policy: LockoutPolicy, email: str, password: str
) -> AccessToken | BrugError:
    """The token, or the error to raise once this transaction has committed."""
    now = utcnow()
    counted = policy.row(db, email)
    locked = policy.refusal(counted, now)
    if locked is not None:
        return locked  # not even checked: a right password is refused too
    user = repository.get_by_email(db, email)
    if user is None:
        verify_nobody(password)  # the same time as a wrong password for a real account
    if user is None or not verify_password(user.password_hash, password):
        locked = policy.count_failure(db, email, now)
        if locked is not None:
            log.warning("scheduler.sign_in_locked_out", user_id=user.id if user else None)
            audit.record(
                db,
                None,
                "account.locked_out",
                account_id=user.id if user else None,
                email_key=None if user else counted_key(policy, email),
            )
            return locked
        return InvalidCredentials(WRONG_CREDENTIALS)
    if not user.active:
        return AccountDeactivated(DEACTIVATED)
    policy.clear(db, counted)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.add(user)
    principal = principal_of(user)
    log.info("scheduler.signed_in", user_id=user.id, role=user.role)
    audit.record(db, principal, "account.signed_in", account_id=user.id)
    return issuer.issue(principal)


def counted_key(policy: LockoutPolicy, email: str) -> str:
    """How the audit log names an address that has no account: the start of its keyed hash."""
    return "hmac:" + email_key(policy.secret, email)[:16]


def change_password(runtime: Runtime, policy: LockoutPolicy, principal: Principal, current: str, new: str) -> None:
    """``service.change_password`` in a transaction of its own, audited; a refusal (a wrong current password
    counted, a lock-out) is raised after its count is committed. Call it from a worker thread."""
    with UnitOfWork(runtime.engine, relay=runtime.relay) as db:
        service.ensure_active(db, principal)
        refused = service.change_password(db, principal, current, new, policy)
        if refused is None:
            audit.record(db, principal, "account.password_changed", account_id=principal.user_id)
    if refused is not None:
        raise refused
