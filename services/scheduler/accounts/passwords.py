"""Password hashes with Argon2id.

The cost defaults to argon2-cffi's (RFC 9106's low-memory profile: 3 passes over
64 MiB). BRUG_ARGON2_TIME_COST and BRUG_ARGON2_MEMORY_KIB change it; a hash made
with other parameters still verifies and is renewed at its owner's next sign-in.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["configure", "hash_password", "verify_password", "verify_nobody", "needs_rehash"]

_hasher = PasswordHasher()


def configure(*, time_cost: int, memory_kib: int) -> None:
    """Use this cost for every hash made from now on in this process (from the settings)."""
    global _hasher
    if (_hasher.time_cost, _hasher.memory_cost) != (time_cost, memory_kib):
        _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_nobody(password: str) -> None:
    """Spend the time a wrong password costs, so an unknown e-mail address answers no faster."""
    verify_password(_dummy_hash(_hasher.time_cost, _hasher.memory_cost), password)


@cache
def _dummy_hash(time_cost: int, memory_kib: int) -> str:
    return _hasher.hash("no account has this password")


def needs_rehash(password_hash: str) -> bool:
    """True after the hashing parameters were changed: the hash is renewed at the next sign-in."""
    return _hasher.check_needs_rehash(password_hash)
