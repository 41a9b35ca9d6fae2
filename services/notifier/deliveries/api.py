"""Routes for gateways' delivery reports."""

from __future__ import annotations

import structlog
from fastapi import APIRouter, Response

from notifier.deliveries import callbacks
from notifier.deps import TwilioForm
from shared.errors import Invalid
from shared.unit_of_work import SessionDep

__all__ = ["router"]

log = structlog.get_logger("notifier.callbacks")

router = APIRouter(prefix="/api/v1/sms", tags=["sms"])


@router.post("/status/twilio", status_code=204, response_class=Response)
def twilio_status(form: TwilioForm, db: SessionDep, delivery: str | None = None) -> Response:
    """Twilio's StatusCallback (queued, sent, delivered, failed, undelivered), signed by Twilio.

    ``delivery`` is the delivery id Brug put in the callback URL; it names the
    delivery when the create call timed out before Twilio's reference came back.
    """
    sid, status = form.get("MessageSid") or form.get("SmsSid"), form.get("MessageStatus") or form.get("SmsStatus")
    if not sid or not status:
        raise Invalid("a status callback needs MessageSid and MessageStatus")
    changed = callbacks.apply_status(
        db, gateway="twilio", ref=sid, status=status, delivery_id=delivery, error_code=form.get("ErrorCode")
    )
    log.info(
        "notifier.sms.status",
        delivery_id=changed.id if changed else delivery,
        status=status,
        applied=changed is not None,
    )
    return Response(status_code=204)
