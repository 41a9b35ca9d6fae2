"""Booking codes people read aloud, and manage tokens nobody can guess."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable

from shared.digits import ascii_digits
from shared.discretion import sensitive_words_in

__all__ = ["ALPHABET", "new_booking_code", "new_manage_token", "hash_token", "token_matches", "normalise_code"]

#: no 0/O, 1/I/L, so a code survives being read over a phone or written by hand.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_booking_code(choose: Callable[[str], str] = secrets.choice) -> str:
    """Eight characters as four, a dash, four, e.g. K7QF-93XA (about 40 bits: unique, not a secret).

    A code is drawn again when it spells a sensitive word (GBV, FGM, RAPE...): it goes into every
    message, and a message naming the topic is not sent (shared.discretion), so that attendee
    would get none. ``choose`` is the random source (tests give their own)."""
    while True:
        raw = "".join(choose(ALPHABET) for _ in range(8))
        code = f"{raw[:4]}-{raw[4:]}"
        if not sensitive_words_in(code):
            return code


def normalise_code(code: str) -> str:
    """Accept lower case, spaces, a missing dash and digits of any script (``abcd ۲۳۴۵``), as people
    type them at the door."""
    typed = ascii_digits(code)
    raw = "".join(ch for ch in typed.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else typed.strip().upper()


def new_manage_token() -> str:
    """A capability of 192 bits for the booking's secret link."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), stored_hash)
