"""An SMS to Brug's number as each gateway delivers it, checked for the gateway's signature.

Every gateway's inbound route ends in the same :class:`Inbound`: who sent it, what it says, and
when the gateway signed it. Anything not signed by the gateway is refused with 403 before it is
read: an unsigned STOP or START would let anyone opt any number out, or back in.

A START that was signed more than :data:`MAX_AGE` ago is not acted on: replayed later, a captured
START would undo a STOP sent since. A STOP is acted on however old: repeating one harms no one, and
a gateway's retries (Vonage retries for 24 hours) must not lose it. A signed request without a
``timestamp`` counts as old. Twilio signs no time, so its route cannot tell (``signed_at`` None
counts as fresh there, as before).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import Depends, Request

from notifier.deps import SettingsDep
from notifier.errors import SignatureRejected
from notifier.gateways import vonage_signature, webhook
from shared.errors import Invalid

__all__ = ["Inbound", "MAX_AGE", "VonageInbound", "WebhookInbound"]

#: seconds a signed START stays good for (either way, for clocks that differ).
MAX_AGE = 300.0


@dataclass(frozen=True)
class Inbound:
    """One SMS to Brug's number: ``number`` as the gateway wrote it, ``text`` (may be empty)."""

    number: str
    text: str
    #: when the gateway signed it (Unix seconds); None when the gateway signs no time.
    signed_at: float | None = None

    @property
    def fresh(self) -> bool:
        """Whether a START in it may still be acted on (see the module docstring)."""
        return self.signed_at is None or abs(time.time() - self.signed_at) <= MAX_AGE


async def vonage_inbound(request: Request, settings: SettingsDep) -> Inbound:
    """Vonage's inbound-SMS webhook (GET query, POST form or POST JSON), its ``sig`` checked.

    Vonage sends ``msisdn`` (the sender, digits without ``+``), ``to``, ``text``, ``type``,
    ``messageId``, ``message-timestamp`` and, when signing is on, ``timestamp``, ``nonce`` and
    ``sig``. Of a long text sent in parts, only the first part's start can hold a stop word.
    """
    secret = settings.vonage_signature_secret
    if not secret:
        raise SignatureRejected(
            "Vonage's inbound SMS are not accepted: BRUG_VONAGE_SIGNATURE_SECRET is empty "
            "(set it to the signature secret in Vonage's dashboard, with signed webhooks enabled)"
        )
    params = await _vonage_params(request)
    if not params.get("sig"):
        raise SignatureRejected("the sig parameter is missing: ask Vonage to sign inbound messages on this account")
    if not vonage_signature.valid(secret, settings.vonage_signature_method, params):
        raise SignatureRejected(
            "sig does not match these parameters; check BRUG_VONAGE_SIGNATURE_SECRET and that "
            f"BRUG_VONAGE_SIGNATURE_METHOD ({settings.vonage_signature_method}) is the method set in Vonage's dashboard"
        )
    first_part = params.get("concat-part", "1") == "1"
    text = params.get("text", "") if first_part and params.get("type", "text") != "binary" else ""
    msisdn = params.get("msisdn", "")
    return Inbound(f"+{msisdn.lstrip('+')}" if msisdn else "", text, _seconds(params.get("timestamp")) or 0.0)


async def webhook_inbound(request: Request, settings: SettingsDep) -> Inbound:
    """The webhook gateway's inbound SMS: JSON signed with ``X-Brug-Signature`` (notifier.gateways.webhook)."""
    secret = settings.sms_webhook_secret
    if not secret:
        raise SignatureRejected(
            "inbound SMS from the webhook gateway are not accepted: BRUG_SMS_WEBHOOK_SECRET is empty"
        )
    signature = request.headers.get(webhook.SIGNATURE_HEADER)
    if not signature:
        raise SignatureRejected(f"{webhook.SIGNATURE_HEADER} is missing; sign the body with BRUG_SMS_WEBHOOK_SECRET")
    body = await request.body()
    if not webhook.valid(secret, body, signature):
        raise SignatureRejected(
            f"{webhook.SIGNATURE_HEADER} does not match the body: sign the exact bytes sent, "
            "HMAC-SHA256 under BRUG_SMS_WEBHOOK_SECRET, as sha256=<hex>"
        )
    payload = _json(body)
    number, text = payload.get("from"), payload.get("body", "")
    if not isinstance(number, str) or not isinstance(text, str):
        raise Invalid('the body must be JSON with "from" (the sender\'s number) and "body" (the text), both strings')
    return Inbound(number, text, _seconds(payload.get("timestamp")) or 0.0)


VonageInbound = Annotated[Inbound, Depends(vonage_inbound)]
WebhookInbound = Annotated[Inbound, Depends(webhook_inbound)]


async def _vonage_params(request: Request) -> dict[str, str]:
    if request.method == "GET":
        return dict(request.query_params)
    body = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        return {name: _text(value) for name, value in _json(body).items()}
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def _json(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise Invalid("the body must be a JSON object")
    return payload


def _text(value: object) -> str:
    """A JSON value as the text Vonage signed: strings as they are, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


def _seconds(value: object) -> float | None:
    try:
        return float(value) if value is not None else None  # type: ignore[arg-type]  # whatever the gateway sent; float() refuses what it cannot read
    except (TypeError, ValueError):
        return None
