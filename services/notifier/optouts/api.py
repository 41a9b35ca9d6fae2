"""Routes for SMS sent to Brug's number, one per gateway: STOP and START in any language.

Each gateway delivers inbound SMS its own way and signs them its own way
(notifier.optouts.inbound); what follows is the same for all. The text is read for a keyword
(notifier.optouts.service) and then forgotten; neither it nor the sender's number is stored or
logged, only the keyed hash of an opt-out.

No reply is sent, to a STOP or anything else: an answer would be one more text on a phone someone
else may read, and nothing requires one. A STOP withdraws the consent given at registration, and
the GDPR (art. 7(3)) asks that withdrawing be as easy as giving, not that it be confirmed; the
Dutch Telecommunicatiewet (art. 11.7) and the ePrivacy directive (art. 13) ask, for unsolicited
messages, only that opting out be free and simple. Confirmations some carriers demand (US short
codes) do not apply to Brug's texts.
"""

from __future__ import annotations

import structlog
from fastapi import APIRouter, Request, Response

from notifier.deps import SettingsDep, TwilioForm
from notifier.optouts.inbound import Inbound, VonageInbound, WebhookInbound
from notifier.optouts.service import keyword, opt_in, opt_out
from notifier.optouts.settling import sends_settled
from notifier.settings import NotifierSettings
from shared.unit_of_work import UnitOfWork
from shared.web import runtime_of

__all__ = ["router"]

log = structlog.get_logger("notifier.optouts")

router = APIRouter(prefix="/api/v1/sms", tags=["sms"])

#: TwiML that sends no reply.
NO_REPLY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


@router.post("/inbound/twilio", response_class=Response)
async def twilio_inbound(form: TwilioForm, request: Request, settings: SettingsDep) -> Response:
    """An SMS to Brug's Twilio number (Twilio's "A message comes in" webhook), signed by Twilio."""
    await _act(request, settings, Inbound(form.get("From", ""), form.get("Body", "")), "twilio")
    return Response(NO_REPLY, media_type="application/xml")


@router.get("/inbound/vonage", status_code=204, response_class=Response, operation_id="vonage_inbound_get")
@router.post("/inbound/vonage", status_code=204, response_class=Response, operation_id="vonage_inbound_post")
async def vonage_inbound(inbound: VonageInbound, request: Request, settings: SettingsDep) -> Response:
    """An SMS to Brug's Vonage number (the SMS API's inbound webhook, GET or POST), signed with ``sig``."""
    await _act(request, settings, inbound, "vonage")
    return Response(status_code=204)


@router.post("/inbound/webhook", status_code=204, response_class=Response)
async def webhook_inbound(inbound: WebhookInbound, request: Request, settings: SettingsDep) -> Response:
    """An SMS passed on by the webhook gateway's receiver, signed with ``X-Brug-Signature``."""
    await _act(request, settings, inbound, "webhook")
    return Response(status_code=204)


async def _act(request: Request, settings: NotifierSettings, inbound: Inbound, gateway: str) -> None:
    """Opt the sender out or back in, as the text asks.

    A STOP is answered once the SMS already on their way have gone (notifier.optouts.settling):
    from its answer on, nothing more reaches the phone.
    """
    runtime = runtime_of(request)
    number, action = inbound.number, keyword(inbound.text)
    key = settings.optout_hash_key
    unit = UnitOfWork(runtime.engine, relay=runtime.relay)
    if number and action == "stop":
        await unit.run(lambda db: opt_out(db, key, number))
        # one call's timeout and then some: Twilio waits 15 s for an answer, and the opt-out is already stored
        at_most = settings.sms_failover_seconds + 5.0
        lease = settings.delivery_lease_seconds
        if unsettled := await sends_settled(runtime.engine, lease_seconds=lease, at_most=at_most):
            log.warning("notifier.sms.stop_answered_before_sends_settled", sends=unsettled)
    elif number and action == "start" and inbound.fresh:
        await unit.run(lambda db: opt_in(db, key, number))
    elif action == "start":
        log.warning("notifier.sms.start_too_old", gateway=gateway)
        action = None
    log.info("notifier.sms.inbound", gateway=gateway, action=action or "none")
