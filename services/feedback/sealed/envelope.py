"""The digital sealed envelope: answers padded to one size, then sealed to the provider's key.

The attendee's browser does this (libsodium's ``crypto_box_seal``); this
module is the same construction in Python, used by the provider's offline
opener and by the tests. Padding (ISO/IEC 7816-4: a 0x80 byte, then zeros)
to ``PADDED_SIZE`` makes every ciphertext the same length, so its size says
nothing about how much someone wrote.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

__all__ = [
    "PADDED_SIZE",
    "SEALED_SIZE",
    "pad",
    "unpad",
    "seal_answers",
    "open_answers",
    "fingerprint",
    "SealedAnswerError",
]

PADDED_SIZE = 4096
#: a sealed box adds an ephemeral public key (32 bytes) and a MAC (16 bytes).
SEALED_SIZE = PADDED_SIZE + 48


class SealedAnswerError(ValueError):
    """A ciphertext that this key cannot open, or whose padding is broken."""


def pad(data: bytes) -> bytes:
    if len(data) >= PADDED_SIZE:
        raise ValueError(f"answers take {len(data)} bytes; at most {PADDED_SIZE - 1} fit in the envelope")
    return data + b"\x80" + b"\x00" * (PADDED_SIZE - len(data) - 1)


def unpad(data: bytes) -> bytes:
    end = data.rstrip(b"\x00")
    if not end.endswith(b"\x80"):
        raise SealedAnswerError("the padding is broken")
    return end[:-1]


def seal_answers(public_key: str, answers: dict[str, Any]) -> str:
    """What the browser sends: base64 of the sealed, padded JSON answers."""
    box = SealedBox(PublicKey(base64.b64decode(public_key)))
    return base64.b64encode(box.encrypt(pad(json.dumps(answers, ensure_ascii=False).encode()))).decode()


def open_answers(private_key: str, ciphertext: str) -> dict[str, Any]:
    box = SealedBox(PrivateKey(base64.b64decode(private_key)))
    try:
        opened = box.decrypt(base64.b64decode(ciphertext))
    except (CryptoError, ValueError) as error:
        raise SealedAnswerError(f"cannot open with this key: {error}") from None
    answers = json.loads(unpad(opened))
    if not isinstance(answers, dict):
        raise SealedAnswerError("the envelope holds no answers")
    return answers


def fingerprint(public_key: str) -> str:
    """A key's fingerprint as people compare it by eye: the first 128 bits of its SHA-256, in groups
    of four. The provider checks that the one its attendees' page shows is its own key's."""
    digest = hashlib.sha256(base64.b64decode(public_key)).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))
