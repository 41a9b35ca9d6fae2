"""Staff accounts (coordinators, ambassadors, provider staff; attendees have none), their sign-in lock-outs
and the one-time password reset links coordinators issue for them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Column
from sqlalchemy import true as sa_true
from sqlmodel import Field, SQLModel

from scheduler.venues.models import new_id
from shared.events import utcnow

__all__ = ["User", "SignInLockout", "PasswordReset"]


class User(SQLModel, table=True):
    """One staff member; ``email`` is stored lower-case so sign-in ignores case.

    Named ``user_account`` in the database because ``user`` is reserved in PostgreSQL.
    """

    __tablename__ = "user_account"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    email: str = Field(max_length=254, unique=True)
    display_name: str = Field(max_length=120)
    role: str = Field(max_length=20)
    provider_id: str | None = Field(default=None, foreign_key="provider.id", index=True, max_length=64)
    #: languages an ambassador speaks (BCP 47); empty for the other roles.
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: ambassadors: they receive social assistance, so the legal monthly allowance cap applies (hours.allowance);
    #: false: no cap and no cap warnings for them.
    allowance_capped: bool = Field(default=True, sa_column_kwargs={"server_default": sa_true()})
    #: ambassadors: a monthly limit in euro lower than the legal cap, agreed with their benefits office;
    #: None: the legal cap.
    monthly_allowance_limit: Decimal | None = Field(default=None, max_digits=8, decimal_places=2)
    #: ambassadors: the allowance usually paid for one session, so planning can foresee a month over the cap
    #: (hours.foresight); None: nothing is foreseen.
    session_allowance: Decimal | None = Field(default=None, max_digits=8, decimal_places=2)
    password_hash: str = Field(max_length=200)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    deactivated_at: datetime | None = None


class SignInLockout(SQLModel, table=True):
    """Wrong passwords counted for one submitted e-mail address (by its keyed hash)."""

    __tablename__ = "sign_in_lockout"

    email_key: str = Field(primary_key=True, max_length=64)
    failures: int = 0
    #: the first wrong password of the current window; the count starts again after the window.
    first_failure_at: datetime | None = None
    locked_until: datetime | None = None


class PasswordReset(SQLModel, table=True):
    """A one-time link to set a new password (scheduler.accounts.resets), known here only by its hash.

    The link itself is shown once to the coordinator who issued it (and e-mailed to the account); a copy
    of this table gives no one a working link.
    """

    __tablename__ = "password_reset"

    #: SHA-256 (hex) of the link's secret; the secret is 256 random bits, so no key is needed.
    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: str = Field(foreign_key="user_account.id", index=True, max_length=32)
    issued_by: str | None = Field(default=None, max_length=32)
    issued_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    #: set when a new password was set with it, or when a newer link replaced it: it works once.
    used_at: datetime | None = None
