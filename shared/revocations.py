"""The revocation list: accounts whose still-valid staff tokens a service refuses.

The notifier and the feedback service check staff tokens with the
scheduler's public key alone (shared.auth), so a token would outlive a
deactivated account there until it expires. When the scheduler deactivates
an account it publishes ``scheduling.account.deactivated`` with the time
until which a token of that account could still be valid; each service
keeps the account in its own database until then, so every replica, and a
replica started later, refuses those tokens too. Rows past their time are
deleted whenever an event is applied: the list holds only the accounts
deactivated within the last token lifetime (30 minutes), plus at most a
handful awaiting the next event.
"""

from __future__ import annotations

from datetime import datetime

import structlog
from fastapi import FastAPI
from sqlalchemy import Engine, delete
from sqlmodel import Field, Session, SQLModel, col, select

from shared import auth
from shared.events import AccountDeactivated, Envelope, utcnow
from shared.unit_of_work import UnitOfWork

__all__ = ["AccountRevocation", "on_account_deactivated", "is_revoked", "install", "TABLE"]

log = structlog.get_logger("shared.revocations")

TABLE = "account_revocation"


class AccountRevocation(SQLModel, table=True):
    """A deactivated account whose tokens are refused until ``until``."""

    __tablename__ = TABLE

    account_id: str = Field(primary_key=True, max_length=64)
    #: when the last token the account could hold expires (with the verifiers' leeway).
    until: datetime = Field(index=True)


def on_account_deactivated(db: Session, event: AccountDeactivated, envelope: Envelope) -> None:
    """List the account until its tokens have expired, and forget the accounts whose tokens have."""
    now = utcnow()
    db.exec(delete(AccountRevocation).where(col(AccountRevocation.until) <= now))
    until = event.tokens_valid_until
    if until <= now:
        return  # arrived after every token it could name had expired
    row = db.get(AccountRevocation, event.account_id)
    if row is None:
        db.add(AccountRevocation(account_id=event.account_id, until=until))
    elif row.until < until:
        row.until = until
        db.add(row)
    log.info("auth.account_revoked", account_id=event.account_id, until=until.isoformat())


def is_revoked(engine: Engine, account_id: str) -> bool:
    """Whether tokens of ``account_id`` are refused now."""
    query = select(AccountRevocation.account_id).where(
        AccountRevocation.account_id == account_id, AccountRevocation.until > utcnow()
    )
    with UnitOfWork(engine, read_only=True) as db:
        return db.exec(query).first() is not None


def install(app: FastAPI) -> None:
    """Make ``app`` refuse the tokens of listed accounts (shared.auth); its database must hold the table."""

    def check(account_id: str) -> bool:
        return is_revoked(app.state.runtime.engine, account_id)

    auth.set_revocation_check(app, check)
