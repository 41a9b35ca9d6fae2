"""Vonage's signature (the ``sig`` parameter) on inbound SMS of the SMS API.

As Vonage documents it ("Signing Messages") and its client libraries compute it: every parameter
but ``sig``, sorted by name, each written ``&name=value`` with any ``&`` or ``=`` in the value
replaced by ``_``; then either MD5 of that string followed by the signature secret (``md5hash``,
Vonage's default) or an HMAC of it under the secret (``md5``, ``sha1``, ``sha256``, ``sha512``),
as lower-case hex. The method must be the one chosen in Vonage's dashboard. The signed
``timestamp`` (Unix seconds) tells how old the request is.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

__all__ = ["METHODS", "compute", "valid"]

#: the methods Vonage's dashboard offers, by the name used in BRUG_VONAGE_SIGNATURE_METHOD.
METHODS = ("md5hash", "md5", "sha1", "sha256", "sha512")


def compute(secret: str, method: str, params: Mapping[str, str]) -> str:
    """The ``sig`` Vonage sends with ``params`` (``sig`` itself, if present, is left out)."""
    signed = "".join(
        f"&{name}={params[name].replace('&', '_').replace('=', '_')}" for name in sorted(params) if name != "sig"
    ).encode()
    if method == "md5hash":
        return hashlib.md5(signed + secret.encode()).hexdigest()
    if method not in METHODS:
        raise ValueError(f"unknown Vonage signature method {method!r}; choose from {', '.join(METHODS)}")
    return hmac.new(secret.encode(), signed, method).hexdigest()


def valid(secret: str, method: str, params: Mapping[str, str]) -> bool:
    """Whether ``params`` carry Vonage's ``sig`` for them under ``secret`` and ``method``."""
    sig = params.get("sig", "").lower()
    return bool(sig) and hmac.compare_digest(compute(secret, method, params).encode(), sig.encode())
