"""The notifier's errors (see shared.errors for the base and how they are rendered).

BrugError
├── SignatureRejected     403: a gateway callback without a valid signature
├── InviteNotFound        404: an invite link with a wrong token, or for a booking that has none
├── DeliveryNotFound      404: no delivery with that id
├── NotRetryable          409: only a failed or undelivered delivery may be sent again
└── Invalid (shared)      422: a signed callback missing what it must carry
"""

from __future__ import annotations

from shared.errors import BrugError, Conflict, NotFound

__all__ = ["SignatureRejected", "InviteNotFound", "DeliveryNotFound", "NotRetryable"]


class SignatureRejected(BrugError):
    """Only the gateway may call its callbacks; anyone else could forge delivery states or opt-outs."""

    status_code = 403


class InviteNotFound(NotFound):
    """The same answer for a wrong token and an unknown booking, so codes cannot be probed."""


class DeliveryNotFound(NotFound):
    pass


class NotRetryable(Conflict):
    """A delivery that was sent, or may have been, is never sent again: a second text can endanger."""
