"""SMS gateways: ``file`` (development), ``twilio``, ``vonage`` and a signed ``webhook``.

``BRUG_SMS_GATEWAY`` lists them in order; :func:`build_gateways` makes them,
the first is primary and the rest take over in turn (see
notifier.deliveries.failover). Every HTTP gateway shares the process's one
``httpx.AsyncClient``.
"""

from __future__ import annotations

import httpx

from notifier.gateways.base import (
    Gateway,
    GatewayError,
    GatewayUnavailable,
    LookupFailed,
    LookupUnsupported,
    MessageRejected,
    OutcomeUnknown,
    RateLimited,
    SmsMessage,
)
from notifier.gateways.file import FileGateway
from notifier.gateways.twilio import TwilioGateway
from notifier.gateways.vonage import VonageGateway
from notifier.gateways.webhook import WebhookGateway
from notifier.settings import NotifierSettings

__all__ = [
    "Gateway",
    "GatewayError",
    "GatewayUnavailable",
    "LookupFailed",
    "LookupUnsupported",
    "MessageRejected",
    "OutcomeUnknown",
    "RateLimited",
    "SmsMessage",
    "FileGateway",
    "TwilioGateway",
    "VonageGateway",
    "WebhookGateway",
    "build_gateways",
]


def build_gateways(settings: NotifierSettings, client: httpx.AsyncClient) -> list[Gateway]:
    """The configured gateways, primary first (``settings.check`` has made sure each is complete)."""
    return [_build(name, settings, client) for name in settings.sms_gateway]


def _build(name: str, settings: NotifierSettings, client: httpx.AsyncClient) -> Gateway:
    deadline = settings.sms_failover_seconds
    if name == "file":
        return FileGateway(settings.sms_file_path)
    if name == "twilio":
        return TwilioGateway(
            client,
            account_sid=settings.twilio_account_sid or "",
            auth_token=settings.twilio_auth_token or "",
            sender=settings.sms_from or "",
            base_url=settings.twilio_base_url,
            public_url=settings.notifier_public_url,
            deadline=deadline,
            discard_content=settings.twilio_discard_content,
            obfuscate_address=settings.twilio_obfuscate_address,
        )
    if name == "vonage":
        return VonageGateway(
            client,
            api_key=settings.vonage_api_key or "",
            api_secret=settings.vonage_api_secret or "",
            sender=settings.sms_from or "",
            base_url=settings.vonage_base_url,
            deadline=deadline,
        )
    if name == "webhook":
        return WebhookGateway(
            client, url=settings.sms_webhook_url or "", secret=settings.sms_webhook_secret or "", deadline=deadline
        )
    raise ValueError(f"unknown SMS gateway {name!r}")
