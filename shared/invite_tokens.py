"""The capability in an invite download link: HMAC-SHA256 of the booking code under a shared secret.

The scheduler hands attendees a secret manage link whose token only it can
check. The notifier serves the invite, so the download link carries its own
token, derived from the booking code with ``BRUG_INVITE_TOKEN_SECRET``,
which both services hold: the scheduler puts ``invite_token(code)`` in the
booking's page, the notifier recomputes and compares it. Nothing is stored,
no event has to carry a secret, and changing the secret revokes every link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

__all__ = ["invite_token", "token_matches"]

_DOMAIN = b"brug-invite-v1:"


def invite_token(secret: str, booking_code: str) -> str:
    """URL-safe, 43 characters: the full 256-bit HMAC of the normalised code."""
    code = booking_code.strip().upper().encode()
    digest = hmac.new(secret.encode(), _DOMAIN + code, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_matches(secret: str, booking_code: str, token: str) -> bool:
    return hmac.compare_digest(invite_token(secret, booking_code).encode(), token.encode())
