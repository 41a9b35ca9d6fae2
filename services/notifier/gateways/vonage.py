"""Vonage's SMS API (``POST {base}/sms/json``), the European alternative to Twilio.

Form fields ``api_key``, ``api_secret``, ``from``, ``to`` (digits, no ``+``),
``text``, ``type`` (``unicode`` whenever the text is not GSM-7, or Arabic
and Tigrinya arrive garbled) and ``client-ref`` (the delivery id, shown in
Vonage's dashboard and delivery receipts). Vonage answers HTTP 200 even when
it refuses; each part of the message has its own ``status``: ``"0"`` means
accepted, anything else is an error code (see :data:`TRANSIENT`,
:data:`GATEWAY_SIDE`; the rest are about the message itself).

Reconciliation is not possible here. The SMS API has no way to find a
message: its Message Search API is deprecated, and the Reports API that
replaces it is a separate product whose records appear after a delay, so a
message missing from it proves nothing. :meth:`VonageGateway.lookup`
therefore raises :class:`LookupUnsupported`, and a Vonage call whose outcome
is unknown is never repeated, through Vonage or any other gateway: the
delivery is marked ``unconfirmed``. Missing one reminder is the lesser harm
than a second text on a phone someone else may read.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

import httpx

from notifier.deliveries.sms import encoding
from notifier.gateways.base import (
    GatewayError,
    GatewayUnavailable,
    LookupUnsupported,
    MessageRejected,
    OutcomeUnknown,
    RateLimited,
    SmsMessage,
)
from notifier.gateways.http import call, status_error

__all__ = ["VonageGateway"]

#: 1 throttled, 5 internal error, 10 too many connections: try again later.
TRANSIENT = frozenset({"1", "5", "10"})
#: about this account, not the message: 4 credentials, 8 account barred, 9 no credit,
#: 11 not enabled for HTTP, 14 signature, 15 sender address, 19 facility not allowed.
GATEWAY_SIDE = frozenset({"4", "8", "9", "11", "14", "15", "19"})
#: about the message; another gateway or try will not help: 2/3 missing or invalid parameters,
#: 6 unrecognised number prefix, 7 number barred, 12 too long, 29 destination not allowed, 33 number de-activated.
MESSAGE_SIDE = frozenset({"2", "3", "6", "7", "12", "29", "33"})


class VonageGateway:
    name = "vonage"
    idempotent = False

    def __init__(
        self, client: httpx.AsyncClient, *, api_key: str, api_secret: str, sender: str, base_url: str, deadline: float
    ) -> None:
        self.client = client
        self.credentials = {"api_key": api_key, "api_secret": api_secret}
        self.sender = sender
        self.url = f"{base_url.rstrip('/')}/sms/json"
        self.deadline = deadline

    async def send(self, message: SmsMessage) -> str:
        form = {
            **self.credentials,
            "from": self.sender,
            "to": message.to.lstrip("+"),
            "text": message.body,
            "type": "unicode" if encoding(message.body) == "UCS-2" else "text",
            "client-ref": message.delivery_id,
        }
        response = await call(self.client, self.name, "POST", self.url, deadline=self.deadline, data=form)
        if response.status_code != 200:
            raise status_error(self.name, response, "")
        return self._accepted(response)

    def _accepted(self, response: httpx.Response) -> str:
        """The first part's message-id, once any part was accepted.

        A long text goes out in parts, each with its own status. If one part
        was accepted, the person may already hold part of the text: sending it
        all again would text them twice, so that counts as sent.
        """
        parts = _parts(response)
        if not parts:
            # a 200 whose body was cut: Vonage may have taken the message
            raise OutcomeUnknown(self.name, "HTTP 200 without a messages list")
        accepted = [p for p in parts if str(p.get("status")) == "0" and p.get("message-id")]
        if accepted:
            return str(accepted[0]["message-id"])
        raise self._error(parts[0])

    def _error(self, part: dict[str, Any]) -> GatewayError:
        code = str(part.get("status"))
        detail = f"status {code}: {part.get('error-text') or 'no error text'}"
        if code in TRANSIENT:
            return (RateLimited if code == "1" else GatewayUnavailable)(self.name, detail)
        if code in MESSAGE_SIDE:
            return MessageRejected(self.name, detail)
        # GATEWAY_SIDE, and codes this adapter does not know: not taken, so another gateway may try
        return GatewayUnavailable(self.name, detail)

    async def lookup(self, message: SmsMessage, since: datetime, known: Collection[str] = ()) -> str | None:
        raise LookupUnsupported("vonage: the SMS API cannot look a message up (see notifier.gateways.vonage)")


def _parts(response: httpx.Response) -> list[dict[str, Any]]:
    try:
        payload = response.json()
    except ValueError:
        return []
    parts = payload.get("messages") if isinstance(payload, dict) else None
    return [p for p in parts if isinstance(p, dict)] if isinstance(parts, list) else []
