"""Route for SMS sent to Brug's number: STOP and START."""

from __future__ import annotations

import structlog
from fastapi import APIRouter, Request, Response

from notifier.deps import SettingsDep, TwilioForm
from notifier.optouts.service import keyword, opt_in, opt_out
from notifier.optouts.settling import sends_settled
from shared.web import runtime_of, write

__all__ = ["router"]

log = structlog.get_logger("notifier.optouts")

router = APIRouter(prefix="/api/v1/sms", tags=["sms"])

#: TwiML that sends no reply: an answer would be one more text on a phone someone else may read.
NO_REPLY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


@router.post("/inbound/twilio", response_class=Response)
async def twilio_inbound(form: TwilioForm, request: Request, settings: SettingsDep) -> Response:
    """An SMS to Brug's Twilio number (Twilio's "A message comes in" webhook), signed by Twilio.

    The text is read for a keyword and then forgotten; neither it nor the
    sender's number is stored or logged, only the keyed hash of an opt-out.
    A STOP is answered once the SMS already on their way have gone
    (notifier.optouts.settling): from its answer on, nothing more reaches the phone.
    """
    runtime = runtime_of(request)
    number, action = form.get("From", ""), keyword(form.get("Body", ""))
    key = settings.optout_hash_key
    if number and action == "stop":
        await write(runtime, lambda db: opt_out(db, key, number))
        # one call's timeout and then some: Twilio waits 15 s for an answer, and the opt-out is already stored
        at_most = settings.sms_failover_seconds + 5.0
        lease = settings.delivery_lease_seconds
        if unsettled := await sends_settled(runtime.engine, lease_seconds=lease, at_most=at_most):
            log.warning("notifier.sms.stop_answered_before_sends_settled", sends=unsettled)
    elif number and action == "start":
        await write(runtime, lambda db: opt_in(db, key, number))
    log.info("notifier.sms.inbound", action=action or "none")
    return Response(NO_REPLY, media_type="application/xml")
