"""The notifier's contact keys: the current key pair and the older ones that still open.

Contact details arrive sealed to the notifier's public key (libsodium sealed
boxes, see shared.sealing) and stay sealed in the ``recipient`` table: the
key pair is the key at rest. ``BRUG_NOTIFIER_PRIVATE_KEY`` is the current
key; ``BRUG_NOTIFIER_PREVIOUS_PRIVATE_KEYS`` lists older ones, which still
open what was sealed to them (rows not yet re-encrypted, and events from a
scheduler that still has the old public key). ``python -m notifier
rotate-key`` re-seals every stored contact to the current key
(notifier.contacts.rotation).

Each stored contact records the id of the key it is sealed to (a short hash
of the public key, no secret), so rotation finds the rows still to do
without opening them.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from notifier.settings import NotifierSettings
from shared.sealing import SealError, seal

__all__ = ["KeyRing", "Opened", "key_id"]


def key_id(public_key: str) -> str:
    """16 hex digits naming a public key (base64); safe to store and print."""
    return hashlib.sha256(base64.b64decode(public_key)).hexdigest()[:16]


@dataclass(frozen=True)
class Opened:
    contact: dict[str, Any]
    #: the id of the key that opened it.
    key: str


@dataclass(frozen=True)
class _Key:
    id: str
    public: str
    box: SealedBox[PrivateKey]


class KeyRing:
    """Opens contacts sealed to any configured key; seals to the current one."""

    def __init__(self, current: str, previous: tuple[str, ...] = ()) -> None:
        self._keys = [_make(private) for private in dict.fromkeys((current, *previous))]
        self.current = self._keys[0].id

    @staticmethod
    def from_settings(settings: NotifierSettings) -> KeyRing:
        return _ring(settings.notifier_private_key, tuple(settings.notifier_previous_private_keys))

    @property
    def ids(self) -> list[str]:
        return [k.id for k in self._keys]

    def open(self, sealed: str, hint: str | None = None) -> Opened:
        """The contact, and which key opened it; ``hint`` (a key id) is tried first.

        Raises :class:`SealError` when no configured key opens it (the key it
        was sealed to was removed too early, or the value is damaged).
        """
        raw = base64.b64decode(sealed)
        for key in sorted(self._keys, key=lambda k: k.id != hint):
            try:
                return Opened(_json(key.box.decrypt(raw)), key.id)
            except CryptoError:
                continue
        raise SealError(f"cannot open sealed contact with any of the {len(self._keys)} configured key(s)")

    def seal(self, contact: dict[str, Any]) -> str:
        """``contact`` sealed to the current key."""
        return seal(self._keys[0].public, contact)

    def to_current(self, sealed: str, hint: str | None = None) -> tuple[str, str]:
        """(sealed to the current key, its id): unchanged when it already is."""
        opened = self.open(sealed, hint)
        if opened.key == self.current:
            return sealed, self.current
        return self.seal(opened.contact), self.current


def _make(private: str) -> _Key:
    secret = PrivateKey(base64.b64decode(private))
    public = base64.b64encode(bytes(secret.public_key)).decode()
    return _Key(key_id(public), public, SealedBox(secret))


@cache
def _ring(current: str, previous: tuple[str, ...]) -> KeyRing:
    return KeyRing(current, previous)


def _json(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError as error:
        raise SealError(f"sealed contact is not JSON: {error}") from None
    if not isinstance(value, dict):
        raise SealError("sealed contact is not an object")
    return value
