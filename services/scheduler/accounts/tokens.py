"""The scheduler signs staff access tokens; everyone else only verifies them (shared.auth).

The signing key is the 32-byte Ed25519 seed in ``BRUG_SCHEDULER_SIGNING_KEY``
(base64; ``python -m scheduler keygen`` prints a new one). Its public half is
served as a JWKS document, with a ``kid`` derived from the key itself, so a
verifier can tell which key signed a token when keys are rotated.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import timedelta

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from shared.auth import ALGORITHM, AUDIENCE, ISSUER, Principal, TokenVerifier, key_id, public_jwk
from shared.events import utcnow

__all__ = ["AccessToken", "TokenIssuer", "generate_signing_key", "check_signing_key"]


def generate_signing_key() -> str:
    """A new Ed25519 seed in base64, for BRUG_SCHEDULER_SIGNING_KEY."""
    seed = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(seed).decode()


def check_signing_key(value: str) -> str:
    """The setting's validator: a base64 32-byte seed, or a message that says how to make one."""
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("must be a base64 Ed25519 seed (python -m scheduler keygen prints one)") from None
    if len(raw) != 32:
        raise ValueError(f"must be a 32-byte Ed25519 seed in base64, got {len(raw)} bytes")
    return value


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_in: int


class TokenIssuer:
    """Signs tokens with the scheduler's private key and tells the world its public key."""

    def __init__(self, signing_key: str, lifetime: timedelta) -> None:
        self._private = Ed25519PrivateKey.from_private_bytes(base64.b64decode(check_signing_key(signing_key)))
        self.public_key: Ed25519PublicKey = self._private.public_key()
        self.kid = key_id(self.public_key)
        self.lifetime = lifetime

    def issue(self, principal: Principal) -> AccessToken:
        now = utcnow()
        claims = {**principal.claims(), "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + self.lifetime}
        token = jwt.encode(claims, self._private, algorithm=ALGORITHM, headers={"kid": self.kid})
        return AccessToken(token=token, expires_in=int(self.lifetime.total_seconds()))

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """The document served at /.well-known/jwks.json."""
        return {"keys": [public_jwk(self.public_key)]}

    def verifier(self) -> TokenVerifier:
        """The scheduler checks its own tokens exactly as the other services do: with the public key."""
        return TokenVerifier({self.kid: self.public_key})
