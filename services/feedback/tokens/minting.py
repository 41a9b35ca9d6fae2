"""Feedback cards: derived, not stored.

Card *i* of a session is a 12-character code a person can type: 11 characters
of Crockford base32 taken from ``HMAC-SHA256(secret, "<session>:<i>")`` (55
bits) and a check character (Luhn mod 32), printed as ``7KQ2 M9XD 4HTR``.
Crockford's alphabet has no I, L, O or U, so a typed O is read as 0 and an
I or L as 1, in any case, with any spaces or dashes; a typing mistake in one
character, or two swapped neighbours, fails the check. The guessing maths
(55 bits against the live cards and the rate limits) is in docs/THREAT_MODEL.md.

Sessions completed before these codes (``card_version`` below 2) keep their
32-character base32 tokens (:func:`long_token`), so cards already printed
still work until their window closes.

The database keeps only keyed hashes (HMAC-SHA256 under the same secret), so a
copy of it yields no usable code, and whoever holds the printed cards (or a
photo of the sheet) cannot find which row is which card without the secret.
The cards can be made again from the secret at any time, and nothing records
which card went to whom.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from shared.digits import ascii_digits

__all__ = [
    "CARD_VERSION",
    "CODE_LENGTH",
    "derive_token",
    "long_token",
    "session_token",
    "derive_link",
    "key_hash",
    "hash_token",
    "legacy_hash",
    "typed_code",
    "printed_code",
    "checks",
]

#: ``feedback_session.card_version`` of sessions minted now: short codes, keyed hashes.
CARD_VERSION = 2
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: characters of a card's code, the check character included.
CODE_LENGTH = 12
#: what people type for the letters Crockford's alphabet leaves out.
_CROCKFORD = str.maketrans({"O": "0", "I": "1", "L": "1"})
#: the same for the long base32 tokens of earlier cards (base32 has no 0, 1 or 8).
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def _digest(secret: str, message: str) -> bytes:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()


def _check(payload: str) -> str:
    """Luhn mod 32: catches any one wrong character and most swaps of two neighbours."""
    total, factor = 0, 2
    for character in reversed(payload):
        addend = factor * ALPHABET.index(character)
        total += addend // 32 + addend % 32
        factor = 3 - factor
    return ALPHABET[-total % 32]


def derive_token(secret: str, session_id: str, index: int) -> str:
    """Card ``index`` of a session, as printed without its spaces."""
    value = int.from_bytes(_digest(secret, f"{session_id}:{index}")[:7]) >> 1  # 55 bits
    payload = "".join(ALPHABET[(value >> shift) & 31] for shift in range(50, -1, -5))
    return payload + _check(payload)


def long_token(secret: str, session_id: str, index: int) -> str:
    """Card ``index`` of a session completed before short codes (card_version below 2)."""
    return base64.b32encode(_digest(secret, f"{session_id}:{index}")[:20]).decode().rstrip("=")


def session_token(secret: str, session_id: str, index: int, card_version: int) -> str:
    """Card ``index`` in the form its session was minted with."""
    derive = derive_token if card_version >= CARD_VERSION else long_token
    return derive(secret, session_id, index)


def derive_link(secret: str, session_id: str, index: int | None = None) -> str:
    """A feedback link's code: personal link ``index`` (one per counted attendee, texted by the notifier
    to one of those who agreed, answering once; the notifier picks which, so nothing here knows whose
    it is), or with no index the one link shared by a session completed before personal links."""
    message = f"{session_id}:link" if index is None else f"{session_id}:link:{index}"
    return base64.urlsafe_b64encode(_digest(secret, message)[:20]).decode().rstrip("=")


def key_hash(secret: str, key: str) -> str:
    """The stored hash a card's code or a personal link is found by, however the code was typed."""
    return hash_token(secret, typed_code(key))


def hash_token(secret: str, token: str) -> str:
    """What the database keeps of a card's code or a session's link code."""
    return hmac.new(secret.encode(), b"brug-card-v1:" + token.upper().encode(), hashlib.sha256).hexdigest()


def legacy_hash(token: str) -> str:
    """The plain SHA-256 stored before hashes were keyed; only feedback.tokens.rekey still computes it."""
    return hashlib.sha256(token.upper().encode()).hexdigest()


def checks(code: str) -> bool:
    """Whether a (normalised) short code's check character is right."""
    return (
        len(code) == CODE_LENGTH and all(character in ALPHABET for character in code) and _check(code[:-1]) == code[-1]
    )


def typed_code(typed: str) -> str:
    """A card's code as a person may type it (any case, spaces, dashes, O for 0, digits of any
    script) → the code."""
    cleaned = re.sub(r"[\s\-]", "", ascii_digits(typed)).upper()
    if len(cleaned) == CODE_LENGTH:
        return cleaned.translate(_CROCKFORD)
    return cleaned.translate(_LOOKALIKES)


def printed_code(token: str) -> str:
    """The code as printed on a card: groups of four, easy to read out and type (a long token of an
    earlier card on two lines)."""
    groups = [token[i : i + 4] for i in range(0, len(token), 4)]
    if len(token) <= CODE_LENGTH:
        return " ".join(groups)
    half = (len(groups) + 1) // 2
    return " ".join(groups[:half]) + "\n" + " ".join(groups[half:])
