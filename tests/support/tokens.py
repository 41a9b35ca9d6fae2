"""Staff tokens for services that only verify them (notifier, feedback), signed by a test key.

The scheduler signs real ones; these are made the same way (shared.auth's
claims, issuer and audience) so a service's verifier cannot tell them apart.
"""

from __future__ import annotations

import time
import uuid

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.auth import ALGORITHM, AUDIENCE, ISSUER, Principal, TokenVerifier, key_id, public_jwk

__all__ = ["StaffSigner"]


class StaffSigner:
    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        self.kid = key_id(self.key.public_key())

    def verifier(self) -> TokenVerifier:
        return TokenVerifier({self.kid: self.key.public_key()})

    def token(
        self, role: str, provider_id: str | None = None, lifetime: float = 600, user_id: str | None = None
    ) -> str:
        user_id = user_id or uuid.uuid4().hex
        principal = Principal(user_id=user_id, role=role, provider_id=provider_id)  # type: ignore[arg-type]
        now = int(time.time())
        claims = {**principal.claims(), "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + int(lifetime)}
        return jwt.encode(claims, self.key, algorithm=ALGORITHM, headers={"kid": self.kid})

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [public_jwk(self.key.public_key())]}

    def headers(self, role: str, provider_id: str | None = None, user_id: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, provider_id, user_id=user_id)}"}
