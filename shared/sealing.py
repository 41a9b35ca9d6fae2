"""Contact details sealed to the notifier's public key (libsodium sealed boxes).

The scheduler seals an attendee's phone number and e-mail address the moment
it receives them; only the notifier, holding the private key, can open them.
Keys travel as base64 text in settings.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

__all__ = ["generate_keypair", "seal", "unseal", "SealError", "check_public_key", "check_private_key"]


class SealError(ValueError):
    """A sealed value could not be opened with this key."""


def generate_keypair() -> tuple[str, str]:
    """(private, public), both base64."""
    private = PrivateKey.generate()
    return _b64(bytes(private)), _b64(bytes(private.public_key))


def seal(public_key: str, data: dict[str, Any]) -> str:
    box = SealedBox(PublicKey(base64.b64decode(public_key)))
    return _b64(box.encrypt(json.dumps(data, separators=(",", ":")).encode()))


def unseal(private_key: str, sealed: str) -> dict[str, Any]:
    box = SealedBox(PrivateKey(base64.b64decode(private_key)))
    try:
        data: dict[str, Any] = json.loads(box.decrypt(base64.b64decode(sealed)))  # seal() wrote a JSON object
        return data
    except (CryptoError, ValueError) as error:
        raise SealError(f"cannot open sealed contact: {error}") from None


def check_public_key(value: str) -> str:
    _check_key(value, "public")
    return value


def check_private_key(value: str) -> str:
    _check_key(value, "private")
    return value


def _check_key(value: str, kind: str) -> None:
    try:
        raw = base64.b64decode(value, validate=True)
    except ValueError:
        raise ValueError(f"must be a base64 {kind} key (python -m notifier keygen prints a pair)") from None
    if len(raw) != 32:
        raise ValueError(f"must be a 32-byte {kind} key in base64, got {len(raw)} bytes")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()
