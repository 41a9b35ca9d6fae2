"""A generic signed JSON webhook, for an SMS provider or relay of your own.

Brug POSTs ``{"to": "+31612345678", "body": "...", "idempotency_key": "..."}``
(UTF-8 JSON) to ``BRUG_SMS_WEBHOOK_URL`` with these headers:

- ``X-Brug-Signature: sha256=<hex>``: HMAC-SHA256 of the raw request body
  with ``BRUG_SMS_WEBHOOK_SECRET`` as the key, lower-case hex. Verify it over
  the bytes received, before parsing, with a constant-time comparison.
- ``Idempotency-Key``: the same key as in the body.

The receiver answers 2xx when it has taken the message, optionally with
``{"id": "<its reference>"}``. It must not send a key it has already taken
a second time: a repeat gets 2xx (or 409) again. That contract is what
makes this gateway safe to retry after a timeout (``idempotent = True``),
and why a replayed request needs no timestamp in the signature: it can only
repeat a key. 429 and 5xx mean "not taken" (Retry-After is honoured); other
4xx mean the message is refused for good.

Inbound. The receiver passes SMS sent to Brug's number on to
``POST {BRUG_NOTIFIER_PUBLIC_URL}/api/v1/sms/inbound/webhook`` as
``{"from": "+31612345678", "body": "STOP", "timestamp": 1767225600}`` (``timestamp``: Unix
seconds when it was received), signed the same way with the same secret: ``X-Brug-Signature``
over the raw body (:func:`valid`). The notifier answers 204 and sends no reply.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Collection
from datetime import datetime

import httpx

from notifier.gateways.base import LookupUnsupported, SmsMessage
from notifier.gateways.http import call, status_error

__all__ = ["WebhookGateway", "SIGNATURE_HEADER", "sign", "valid"]

SIGNATURE_HEADER = "X-Brug-Signature"


def sign(secret: str, body: bytes) -> str:
    """The ``X-Brug-Signature`` value for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def valid(secret: str, body: bytes, signature: str) -> bool:
    """Whether ``signature`` is the ``X-Brug-Signature`` of ``body`` under ``secret`` (constant time)."""
    return hmac.compare_digest(sign(secret, body).encode(), signature.strip().encode())


class WebhookGateway:
    name = "webhook"
    idempotent = True

    def __init__(self, client: httpx.AsyncClient, *, url: str, secret: str, deadline: float) -> None:
        self.client = client
        self.url = url
        self.secret = secret
        self.deadline = deadline

    async def send(self, message: SmsMessage) -> str:
        body = json.dumps(
            {"to": message.to, "body": message.body, "idempotency_key": message.idempotency_key}, ensure_ascii=False
        ).encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(self.secret, body),
            "Idempotency-Key": message.idempotency_key,
        }
        response = await call(
            self.client, self.name, "POST", self.url, deadline=self.deadline, content=body, headers=headers
        )
        if response.is_success or response.status_code == 409:
            return _reference(response) or f"webhook:{message.idempotency_key}"
        raise status_error(self.name, response, response.text[:200])

    async def lookup(self, message: SmsMessage, since: datetime, known: Collection[str] = ()) -> str | None:
        raise LookupUnsupported("webhook: no lookup; resending with the same idempotency key is safe instead")


def _reference(response: httpx.Response) -> str | None:
    try:
        payload = response.json()
    except ValueError:
        return None
    ref = payload.get("id") if isinstance(payload, dict) else None
    return str(ref)[:100] if isinstance(ref, (str, int)) and str(ref) else None
