"""Feedback tokens: derived, not stored.

Token *i* of a session is ``base32(HMAC-SHA256(secret, "<session>:<i>"))``
cut to 160 bits. The database keeps only SHA-256 hashes, so a copy of it
yields no usable token; the printable cards can be made again from the secret
at any time, and nothing records which card went to whom.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

__all__ = ["derive_token", "derive_link", "hash_token"]


def derive_token(secret: str, session_id: str, index: int) -> str:
    digest = hmac.new(secret.encode(), f"{session_id}:{index}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode().rstrip("=")


def derive_link(secret: str, session_id: str) -> str:
    """The session's feedback link code: the same for everyone in the session, never personal."""
    digest = hmac.new(secret.encode(), f"{session_id}:link".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:20]).decode().rstrip("=")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.upper().encode()).hexdigest()
