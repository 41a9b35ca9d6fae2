"""Route for SMS sent to Brug's number: STOP and START."""

from __future__ import annotations

import structlog
from fastapi import APIRouter, Response

from notifier.deps import SettingsDep, TwilioForm
from notifier.optouts.service import keyword, opt_in, opt_out
from shared.web import DbDep

__all__ = ["router"]

log = structlog.get_logger("notifier.optouts")

router = APIRouter(prefix="/api/v1/sms", tags=["sms"])

#: TwiML that sends no reply: an answer would be one more text on a phone someone else may read.
NO_REPLY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


@router.post("/inbound/twilio", response_class=Response)
def twilio_inbound(form: TwilioForm, db: DbDep, settings: SettingsDep) -> Response:
    """An SMS to Brug's Twilio number (Twilio's "A message comes in" webhook), signed by Twilio.

    The text is read for a keyword and then forgotten; neither it nor the
    sender's number is stored or logged, only the keyed hash of an opt-out.
    """
    number, action = form.get("From", ""), keyword(form.get("Body", ""))
    if number and action == "stop":
        opt_out(db, settings.optout_hash_key, number)
    elif number and action == "start":
        opt_in(db, settings.optout_hash_key, number)
    log.info("notifier.sms.inbound", action=action or "none")
    return Response(NO_REPLY, media_type="application/xml")
