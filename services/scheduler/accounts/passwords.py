"""Password hashes with Argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["hash_password", "verify_password", "needs_rehash", "DUMMY_HASH"]

_hasher = PasswordHasher()

#: checked against when no account matches, so an unknown e-mail address costs the
#: same time as a wrong password and the answer's timing gives no account away.
DUMMY_HASH = _hasher.hash("no account has this password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True after the hashing parameters were raised: the hash is renewed at the next sign-in."""
    return _hasher.check_needs_rehash(password_hash)
