"""Feedback tokens: derived, not stored.

Token *i* of a session is ``base32(HMAC-SHA256(secret, "<session>:<i>"))``
cut to 160 bits. The database keeps only keyed hashes (HMAC-SHA256 under the
same secret), so a copy of it yields no usable token, and whoever holds the
printed cards (or a photo of the sheet) cannot find which row is which card
without the secret. The printable cards can be made again from the secret at
any time, and nothing records which card went to whom.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

__all__ = ["derive_token", "derive_link", "hash_token", "legacy_hash", "typed_code", "printed_code"]

#: what people mistype for the base32 letters that look like them (base32 has no 0, 1 or 8).
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B", " ": None, "-": None, "\t": None})


def derive_token(secret: str, session_id: str, index: int) -> str:
    digest = hmac.new(secret.encode(), f"{session_id}:{index}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode().rstrip("=")


def derive_link(secret: str, session_id: str) -> str:
    """The session's feedback link code: the same for everyone in the session, never personal."""
    digest = hmac.new(secret.encode(), f"{session_id}:link".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:20]).decode().rstrip("=")


def hash_token(secret: str, token: str) -> str:
    """What the database keeps of a card's token or a session's link code."""
    return hmac.new(secret.encode(), b"brug-card-v1:" + token.upper().encode(), hashlib.sha256).hexdigest()


def legacy_hash(token: str) -> str:
    """The plain SHA-256 stored before hashes were keyed; only feedback.tokens.rekey still computes it."""
    return hashlib.sha256(token.upper().encode()).hexdigest()


def typed_code(typed: str) -> str:
    """A card's code as a person may type it (any case, spaces, dashes, 0 for O) → the token."""
    return typed.strip().upper().translate(_LOOKALIKES)


def printed_code(token: str) -> str:
    """The token as printed on a card: groups of four, two lines, easy to read out and type."""
    groups = [token[i : i + 4] for i in range(0, len(token), 4)]
    half = (len(groups) + 1) // 2
    return " ".join(groups[:half]) + "\n" + " ".join(groups[half:])
