"""Twilio's Messages API (``POST /2010-04-01/Accounts/{sid}/Messages.json``).

Requests are form-encoded with HTTP basic auth (account SID, auth token).
Each message asks Twilio to keep as little as it can: ``ContentRetention=
discard`` (no body kept) and ``AddressRetention=obfuscate`` (the number's last
four digits masked), each switchable because both need Twilio's Message
Redaction enabled on the account (error 30029 otherwise). ``StatusCallback``
carries the delivery id, so Twilio's callbacks name the delivery even when
the create call itself timed out.

Reconciliation. Creating a message is not idempotent, so a call that timed
out is looked up before anything is resent: the Messages list, filtered by
``To`` and ``From``, is read to the end (a handful of messages to one
person) and a message created at or after the attempt is taken as ours.
With AddressRetention=obfuscate, Twilio masks the number only hours after the
carrier took the message (Message Redaction guide), so the ``To`` filter
still finds it for a while; an attempt older than
:data:`REDACTION_SAFE_WINDOW` could already be masked and would look absent,
so it is not looked up but reported unsupported, and the delivery is left
unconfirmed rather than sent twice.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from notifier.gateways.base import (
    GatewayError,
    GatewayUnavailable,
    LookupFailed,
    LookupUnsupported,
    OutcomeUnknown,
    SmsMessage,
)
from notifier.gateways.http import call, status_error
from shared.events import utcnow

__all__ = ["TwilioGateway", "REDACTION_SAFE_WINDOW"]

#: how long after an attempt its message is certainly still findable by number.
REDACTION_SAFE_WINDOW = timedelta(hours=1)
#: clocks differ; a message created this much before our attempt began still counts as ours.
CLOCK_SKEW = timedelta(minutes=2)
#: a list longer than this many pages for one recipient is not searched to the end.
MAX_PAGES = 10

#: Twilio error codes about this account or sender, not the message: another gateway may succeed.
#: 20003 authentication, 21212/21606/21659 the From number, 21408 region not enabled,
#: 21611 the sender's queue is full, 21612 no route from this sender, 30029 redaction not enabled.
GATEWAY_SIDE_CODES = frozenset({20003, 21212, 21606, 21659, 21408, 21611, 21612, 30029})


class TwilioGateway:
    name = "twilio"
    idempotent = False

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        account_sid: str,
        auth_token: str,
        sender: str,
        base_url: str,
        public_url: str,
        deadline: float,
        discard_content: bool = True,
        obfuscate_address: bool = True,
    ) -> None:
        self.client = client
        self.auth = (account_sid, auth_token)
        self.sender = sender
        self.base_url = base_url.rstrip("/")
        self.messages_url = f"{self.base_url}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.public_url = public_url.rstrip("/")
        self.deadline = deadline
        self.discard_content = discard_content
        self.obfuscate_address = obfuscate_address

    def status_callback(self, delivery_id: str) -> str:
        """Where Twilio reports this message's status; signed by Twilio for exactly this URL."""
        return f"{self.public_url}/api/v1/sms/status/twilio?delivery={delivery_id}"

    async def send(self, message: SmsMessage) -> str:
        form = {
            "To": message.to,
            "From": self.sender,
            "Body": message.body,
            "StatusCallback": self.status_callback(message.delivery_id),
        }
        if self.discard_content:
            form["ContentRetention"] = "discard"
        if self.obfuscate_address:
            form["AddressRetention"] = "obfuscate"
        response = await call(
            self.client, self.name, "POST", self.messages_url, deadline=self.deadline, data=form, auth=self.auth
        )
        if response.status_code in (200, 201):
            sid = _json(response).get("sid")
            if isinstance(sid, str) and sid:
                return sid
            # Twilio said it created the message but its answer was cut: it may well go out
            raise OutcomeUnknown(self.name, f"HTTP {response.status_code} without a message sid")
        raise self._error(response)

    def _error(self, response: httpx.Response) -> GatewayError:
        payload = _json(response)
        code, text = payload.get("code"), payload.get("message") or response.reason_phrase
        detail = f"error {code}: {text} (https://www.twilio.com/docs/errors/{code})" if code else str(text)
        if response.status_code == 400 and code in GATEWAY_SIDE_CODES:
            return GatewayUnavailable(self.name, f"HTTP 400: {detail}")
        return status_error(self.name, response, detail)

    async def lookup(self, message: SmsMessage, since: datetime, known: Collection[str] = ()) -> str | None:
        if self.obfuscate_address and utcnow() - since > REDACTION_SAFE_WINDOW:
            raise LookupUnsupported(
                f"twilio: the attempt began {since:%Y-%m-%d %H:%M} UTC; with AddressRetention=obfuscate "
                "the number may already be masked, so a missing message proves nothing"
            )
        earliest = since - CLOCK_SKEW
        url: str | None = self.messages_url
        params: dict[str, str] | None = {"To": message.to, "From": self.sender, "PageSize": "100"}
        for _ in range(MAX_PAGES):
            assert url is not None
            page = await self._page(url, params)
            for record in page.get("messages") or []:
                if _is_ours(record, earliest) and record["sid"] not in known:
                    return str(record["sid"])
            next_page = page.get("next_page_uri")
            if not next_page:
                return None
            url, params = f"{self.base_url}{next_page}", None
        raise LookupFailed(f"twilio: more than {MAX_PAGES} pages of messages to one recipient; not searched to the end")

    async def _page(self, url: str, params: dict[str, str] | None) -> dict[str, Any]:
        try:
            response = await call(
                self.client, self.name, "GET", url, deadline=self.deadline, params=params, auth=self.auth
            )
        except GatewayError as error:
            raise LookupFailed(str(error)) from None
        if response.status_code != 200:
            raise LookupFailed(f"twilio: listing messages answered HTTP {response.status_code}")
        return _json(response)


def _is_ours(record: dict[str, Any], earliest: datetime) -> bool:
    if not str(record.get("direction", "")).startswith("outbound") or not record.get("sid"):
        return False
    try:
        created = parsedate_to_datetime(str(record.get("date_created")))
    except (TypeError, ValueError):
        return True  # an unreadable date cannot rule it out; counting it as sent never texts twice
    return created >= earliest


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        payload = response.json()
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}
