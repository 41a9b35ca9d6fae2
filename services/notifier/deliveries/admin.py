"""Coordinators' view of deliveries: list them by status, send a failed one again."""

from __future__ import annotations

import structlog
from fastapi import APIRouter, Depends, Query
from sqlmodel import Session

from notifier.deliveries import repository
from notifier.deliveries.models import Delivery, DeliveryStatus
from notifier.deliveries.schemas import DeliveryCount, DeliveryPublic
from notifier.deliveries.service import announce
from notifier.errors import DeliveryNotFound, NotRetryable
from shared.auth import require_roles
from shared.events import utcnow
from shared.unit_of_work import SessionDep

__all__ = ["router", "RETRYABLE", "retry_delivery"]

log = structlog.get_logger("notifier.deliveries")

router = APIRouter(
    prefix="/api/v1/deliveries", tags=["deliveries"], dependencies=[Depends(require_roles("coordinator"))]
)

#: a delivery proven not to have arrived; ``unconfirmed`` may have, so it is never sent again.
RETRYABLE = (DeliveryStatus.FAILED, DeliveryStatus.UNDELIVERED)


@router.get("")
def list_deliveries(
    db: SessionDep, status: DeliveryStatus = DeliveryStatus.FAILED, limit: int = Query(100, ge=1, le=1000)
) -> list[DeliveryPublic]:
    """Deliveries with ``status``, newest first (by default the failed ones)."""
    return [DeliveryPublic.of(d) for d in repository.by_status(db, status, limit)]


@router.get("/summary")
def summary(db: SessionDep) -> list[DeliveryCount]:
    """Counts by channel, kind and status (with SMS segments, for cost), including deliveries whose
    recipient was deleted after the retention period."""
    return [
        DeliveryCount(channel=c, kind=k, status=s, count=n, purged=p, segments=g)
        for c, k, s, n, p, g in repository.counts(db)
    ]


@router.post("/{delivery_id}/retry")
def retry(delivery_id: str, db: SessionDep) -> DeliveryPublic:
    """Send a failed or undelivered delivery again, from its first attempt."""
    return DeliveryPublic.of(retry_delivery(db, delivery_id))


def retry_delivery(db: Session, delivery_id: str) -> Delivery:
    """Put a failed or undelivered delivery back in the queue, from its first attempt (the API's retry
    and the coordinator's page both use this); one that was sent, or may have been, is refused."""
    delivery = db.get(Delivery, delivery_id, with_for_update=True)
    if delivery is None:
        raise DeliveryNotFound(f"No delivery {delivery_id}; list them with GET /api/v1/deliveries?status=failed.")
    if delivery.status not in RETRYABLE:
        raise NotRetryable(
            f"Delivery {delivery_id} is {delivery.status}; only a failed or undelivered one may be sent again "
            "(one that was sent, or may have been, is never repeated)."
        )
    delivery.status, delivery.due_at, delivery.attempts = DeliveryStatus.PENDING, utcnow(), 0
    delivery.in_doubt, delivery.claimed_at, delivery.gateway_ref, delivery.last_error = False, None, None, None
    db.add(delivery)
    announce(db, delivery)
    log.info("notifier.delivery.retry", delivery_id=delivery_id, channel=delivery.channel, kind=delivery.kind)
    return delivery
