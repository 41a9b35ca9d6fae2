"""Sending SMS to Brug's number as Vonage and the webhook gateway's receiver do, for the inbound tests.

The signatures are made here from the gateways' documentation, independently of
notifier.gateways: a mistake in the notifier's check cannot hide behind the same mistake here.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
from sqlalchemy import Engine
from sqlmodel import select

from notifier.app import create_app
from notifier.optouts.models import OptOut
from shared.unit_of_work import UnitOfWork
from tests.notifier.support import served_settings
from tests.support.config import Keys
from tests.support.servers import ThreadedServer
from tests.support.sms_gateways import FakeGateways

__all__ = [
    "VONAGE_SECRET",
    "vonage_params",
    "vonage_sig",
    "webhook_body",
    "webhook_post",
    "served_for_inbound",
    "opt_outs",
]

#: the signature secret of the Vonage account, as its dashboard shows it.
VONAGE_SECRET = "vonage-signature-secret-" + "5" * 24


def vonage_sig(secret: str, method: str, params: dict[str, str]) -> str:
    """``sig`` as Vonage's "Signing Messages" guide computes it."""
    text = ""
    for name in sorted(params):
        value = params[name].replace("&", "_").replace("=", "_")
        text += "&" + name + "=" + value
    if method == "md5hash":
        return hashlib.md5((text + secret).encode("utf-8")).hexdigest()
    digest = {"md5": hashlib.md5, "sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}[method]
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), digest).hexdigest()


def vonage_params(
    msisdn: str,
    text: str,
    *,
    secret: str | None = VONAGE_SECRET,
    method: str = "sha256",
    timestamp: float | None = None,
    **extra: str,
) -> dict[str, str]:
    """Vonage's inbound-SMS parameters from ``msisdn`` (digits, no ``+``), signed unless ``secret`` is None."""
    params = {
        "msisdn": msisdn,
        "to": "3197010200300",
        "messageId": uuid.uuid4().hex[:16].upper(),
        "text": text,
        "type": "unicode",
        "keyword": text.split()[0].upper() if text.split() else "",
        "message-timestamp": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
        "timestamp": str(int(time.time() if timestamp is None else timestamp)),
        "nonce": str(uuid.uuid4()),
        **extra,
    }
    if secret is not None:
        params["sig"] = vonage_sig(secret, method, params)
    return params


def webhook_body(number: str, text: str, *, timestamp: float | None = None) -> bytes:
    payload = {"from": number, "body": text, "timestamp": int(time.time() if timestamp is None else timestamp)}
    return json.dumps(payload, ensure_ascii=False).encode()


def webhook_post(client: httpx.Client, body: bytes, secret: str | None, **headers: str) -> httpx.Response:
    """POST ``body`` to the webhook gateway's inbound route, signed under ``secret`` (unsigned if None)."""
    signed = {}
    if secret is not None:
        signed["X-Brug-Signature"] = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        "/api/v1/sms/inbound/webhook",
        content=body,
        headers={"Content-Type": "application/json", **signed, **headers},
    )


def served_for_inbound(
    nats_url: str, database_url: str, keys: Keys, fake: FakeGateways, **overrides: Any
) -> Iterator[httpx.Client]:
    """A served notifier that accepts Vonage's and the webhook gateway's signed inbound SMS."""
    values = {
        "vonage_signature_secret": VONAGE_SECRET,
        "vonage_signature_method": "sha256",
        "sms_webhook_secret": fake.webhook_secret,
        **overrides,
    }
    settings = served_settings(nats_url, database_url, keys, fake, **values)
    with ThreadedServer(create_app(settings)) as server, server.client() as client:
        yield client


def opt_outs(engine: Engine) -> list[str]:
    """The stored opt-outs' hashes."""
    with UnitOfWork(engine) as db:
        return [row.number_hash for row in db.exec(select(OptOut)).all()]
