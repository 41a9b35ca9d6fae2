"""The notifier's errors (see shared.errors for the base and how they are rendered).

BrugError
├── SignatureRejected     403: a gateway callback without a valid signature
└── Invalid (shared)      422: a signed callback missing what it must carry
"""

from __future__ import annotations

from shared.errors import BrugError

__all__ = ["SignatureRejected"]


class SignatureRejected(BrugError):
    """Only the gateway may call its callbacks; anyone else could forge delivery states or opt-outs."""

    status_code = 403
