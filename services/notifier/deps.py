"""Dependencies of the notifier's routes, as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import Depends, Request

from notifier.errors import SignatureRejected
from notifier.gateways import twilio_signature
from notifier.settings import NotifierSettings
from shared.web import runtime_of

__all__ = ["SettingsDep", "TwilioForm"]


async def settings_of(request: Request) -> NotifierSettings:
    return runtime_of(request).settings  # type: ignore[return-value]  # Runtime holds CommonSettings; this service's app was built with its own


SettingsDep = Annotated[NotifierSettings, Depends(settings_of)]


def public_url(settings: NotifierSettings, request: Request) -> str:
    """The URL Twilio called, as Twilio saw it: behind a proxy the request's own host is not it."""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{settings.notifier_public_url.rstrip('/')}{request.url.path}{query}"


async def twilio_form(request: Request, settings: SettingsDep) -> dict[str, str]:
    """The POST parameters of a request Twilio signed; 403 for anything else.

    The body is read raw (the signature covers exactly what was sent) and
    parsed as a form here, which keeps python-multipart out of the service.
    """
    if not settings.twilio_auth_token:
        raise SignatureRejected("Twilio is not configured on this notifier (BRUG_TWILIO_AUTH_TOKEN is empty)")
    signature = request.headers.get("X-Twilio-Signature")
    if not signature:
        raise SignatureRejected("X-Twilio-Signature is missing; only Twilio may call this URL")
    pairs = parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    url = public_url(settings, request)
    if not twilio_signature.valid(settings.twilio_auth_token, url, pairs, signature):
        raise SignatureRejected(
            f"X-Twilio-Signature does not match a request to {url}; "
            "check BRUG_NOTIFIER_PUBLIC_URL (the URL Twilio calls) and BRUG_TWILIO_AUTH_TOKEN"
        )
    return dict(pairs)


TwilioForm = Annotated[dict[str, str], Depends(twilio_form)]
