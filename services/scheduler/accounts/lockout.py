"""Per-account sign-in lock-out: after N wrong passwords for one e-mail address, a pause for everyone.

The per-client limit (scheduler.deps ``SignInLimit``) stops one address from
guessing fast; it does nothing against many addresses guessing one account,
and it is counted per process. This lock-out is counted per *submitted*
e-mail address (trimmed, lower-case), in the database, so every replica
sees the same count:

- ``BRUG_SIGNIN_LOCKOUT_FAILURES`` wrong passwords (default 5; 0 turns the
  lock-out off) within ``BRUG_SIGNIN_LOCKOUT_MINUTES`` (default 15) of the
  first lock the address for that many minutes;
- while locked, every attempt is refused, the right password too, without
  checking it; the attempt that reaches the limit is refused the same way,
  so the person learns at once how long to wait;
- a right password (outside a lock-out) clears the count.

An address nobody has behaves exactly like one somebody has: it is counted,
locked and answered the same, so the lock-out tells an attacker nothing
about which accounts exist. The row holds a keyed hash of the address (HMAC
with a key derived from the scheduler's signing key), not the address:
typos and guessed addresses are no one's business.

Someone can lock a colleague out on purpose by typing wrong passwords for
their address; the lock ends by itself, and the per-client limit slows it.

Errors::

    TooManyRequests (shared.ratelimit; 429 + Retry-After)
    └── SignInLocked   this address is paused (not counted by the per-client limit: nothing was guessed)
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from scheduler.accounts import repository
from scheduler.accounts.models import SignInLockout
from shared.ratelimit import TooManyRequests

__all__ = ["SignInLockout", "LockoutPolicy", "SignInLocked", "email_key"]


class SignInLocked(TooManyRequests):
    """Sign-in for this address is paused; ``retry_after`` seconds until it may be tried again."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            f"Too many wrong passwords for this e-mail address. Wait {minutes} minute{'s' if minutes != 1 else ''}, "
            "then try again; if you forgot your password, ask a coordinator.",
            retry_after=retry_after,
        )


def email_key(secret: bytes, email: str) -> str:
    """The keyed hash a submitted address is counted under (trimmed, lower-case, as accounts store it)."""
    return hmac.new(secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class LockoutPolicy:
    """The settings, and the key the addresses are hashed with."""

    failures: int
    window: timedelta
    secret: bytes

    @classmethod
    def from_signing_key(cls, signing_key: str, *, failures: int, minutes: int) -> LockoutPolicy:
        secret = hashlib.sha256(b"brug sign-in lock-out\x00" + signing_key.encode()).digest()
        return cls(failures=failures, window=timedelta(minutes=minutes), secret=secret)

    @classmethod
    def disabled(cls) -> LockoutPolicy:
        return cls(failures=0, window=timedelta(minutes=1), secret=b"")

    @property
    def enabled(self) -> bool:
        return self.failures > 0

    def row(self, db: Session, email: str) -> SignInLockout | None:
        """The address's row, locked until commit; ``None`` if it has no wrong passwords counted."""
        return repository.lockout_row(db, email_key(self.secret, email))

    def refusal(self, row: SignInLockout | None, now: datetime) -> SignInLocked | None:
        """The refusal to give while ``row`` is locked out, else None."""
        if not self.enabled or row is None or row.locked_until is None:
            return None
        until = row.locked_until
        if until <= now:
            return None
        return SignInLocked(retry_after=max(1, math.ceil((until - now).total_seconds())))

    def count_failure(self, db: Session, email: str, now: datetime) -> SignInLocked | None:
        """Count a wrong password; the refusal if this one reached the limit."""
        if not self.enabled:
            return None
        key = email_key(self.secret, email)
        repository.add_lockout_if_missing(db, key)
        row = repository.lockout_row(db, key)
        assert row is not None
        expired = row.locked_until is not None and row.locked_until <= now
        stale = row.first_failure_at is None or row.first_failure_at <= now - self.window
        if expired or stale:
            row.failures, row.first_failure_at, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= self.failures:
            row.locked_until = now + self.window
        db.add(row)
        db.flush()
        return self.refusal(row, now)

    def clear(self, db: Session, row: SignInLockout | None) -> None:
        """A right password: the count starts from nothing again."""
        if row is not None:
            db.delete(row)
            db.flush()
