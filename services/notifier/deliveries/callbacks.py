"""Gateways' status callbacks: a delivery follows its message to ``delivered`` or ``undelivered``.

Callbacks may arrive out of order (``sent`` after ``delivered``), so a
delivery only moves forward. A callback is matched by the gateway's
reference; when the create call itself timed out the reference was never
recorded, and the delivery id in the callback URL names the delivery
instead: that callback proves the gateway took the message, which settles
the doubt without a lookup.
"""

from __future__ import annotations

from sqlmodel import Session

from notifier.deliveries import repository
from notifier.deliveries.models import Delivery, DeliveryStatus
from notifier.deliveries.service import announce

__all__ = ["TWILIO_STATUSES", "apply_status"]

#: Twilio's MessageStatus values and the delivery status each means.
TWILIO_STATUSES = {
    "accepted": DeliveryStatus.SENT,
    "queued": DeliveryStatus.SENT,
    "sending": DeliveryStatus.SENT,
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "undelivered": DeliveryStatus.UNDELIVERED,
    "failed": DeliveryStatus.FAILED,
}

#: how far along each status is; a callback never moves a delivery back.
_RANK: dict[str, int] = {
    DeliveryStatus.PENDING: 0,
    DeliveryStatus.SENDING: 0,
    DeliveryStatus.SKIPPED: 0,
    DeliveryStatus.UNCONFIRMED: 0,
    DeliveryStatus.SENT: 1,
    DeliveryStatus.DELIVERED: 2,
    DeliveryStatus.UNDELIVERED: 2,
    DeliveryStatus.FAILED: 2,
}


def apply_status(
    db: Session,
    *,
    gateway: str,
    ref: str,
    status: str,
    delivery_id: str | None = None,
    error_code: str | None = None,
) -> Delivery | None:
    """Move the delivery ``ref`` names to ``status``; return it if it changed.

    Unknown statuses (``read``, ``scheduled``, ...) and messages this
    notifier did not send are ignored.
    """
    new = TWILIO_STATUSES.get(status.lower())
    if new is None or not ref:
        return None
    delivery = repository.by_gateway_ref(db, gateway, ref) or _awaiting_ref(db, gateway, delivery_id)
    if delivery is None:
        return None
    first_word = delivery.gateway_ref is None  # the callback settles a call that never answered
    if not first_word and _RANK[new] <= _RANK.get(delivery.status, 0):
        return None
    delivery.gateway, delivery.gateway_ref = gateway, ref[:100]
    delivery.status, delivery.in_doubt, delivery.claimed_at = new, False, None
    if new in (DeliveryStatus.FAILED, DeliveryStatus.UNDELIVERED):
        delivery.last_error = f"{gateway}: {new}" + (f", error {error_code}" if error_code else "")
    db.add(delivery)
    announce(db, delivery)
    return delivery


def _awaiting_ref(db: Session, gateway: str, delivery_id: str | None) -> Delivery | None:
    """The delivery named in the callback URL, if its call to ``gateway`` never returned a reference."""
    if not delivery_id:
        return None
    delivery = db.get(Delivery, delivery_id, with_for_update=True)
    if delivery is None or delivery.gateway != gateway or delivery.gateway_ref is not None:
        return None
    return delivery
