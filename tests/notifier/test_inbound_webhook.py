"""A STOP passed on by the webhook gateway's receiver is heard (issue 16, item 5)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine

from notifier.optouts.service import number_hash
from shared.natsserver import NatsServer
from tests.notifier.inbound import opt_outs, served_for_inbound, webhook_body, webhook_post
from tests.notifier.support import PHONE, delivery, seed
from tests.support.config import Keys
from tests.support.servers import wait_until
from tests.support.sms_gateways import FakeGateways


@pytest.fixture
def client(nats: NatsServer, database_url: str, keys: Keys, fake: FakeGateways) -> Iterator[httpx.Client]:
    yield from served_for_inbound(nats.url, database_url, keys, fake)


def test_a_stop_through_the_webhook_gateway_keeps_every_later_text_from_that_number(
    client: httpx.Client, engine: Engine, keys: Keys, fake: FakeGateways
) -> None:
    """The attack: a Russian speaker texts СТОП to the number the webhook gateway's receiver serves.

    Before (at 1bd87c3): there was no inbound route (404) and the reminder was texted (``sent``,
    1 text). After: 204, the opt-out is stored as the number's keyed hash, the reminder is skipped.
    """
    response = webhook_post(client, webhook_body(PHONE, "СТОП, пожалуйста"), fake.webhook_secret)
    assert response.status_code == 204 and response.content == b""  # no reply is sent
    assert opt_outs(engine) == [number_hash(keys.optout_key, PHONE)]

    delivery_id = seed(engine, keys, locale="ru")
    wait_until(lambda: delivery(engine, delivery_id).status == "skipped", message="the reminder to be skipped")
    assert fake.texts() == 0


@pytest.mark.parametrize(
    ("secret", "headers", "why"),
    [
        (None, {}, "no signature"),
        ("another secret of at least thirty-two characters", {}, "signed under another secret"),
        (None, {"X-Brug-Signature": "sha256=" + "0" * 64}, "a made-up signature"),
        (None, {"X-Brug-Signature": ""}, "an empty signature"),
    ],
)
def test_anything_not_signed_with_the_gateway_secret_is_refused(
    client: httpx.Client, engine: Engine, secret: str | None, headers: dict[str, str], why: str
) -> None:
    """Before: no route (404). After: 403 naming what to check, and nothing is recorded."""
    response = webhook_post(client, webhook_body(PHONE, "STOP"), secret, **headers)
    assert response.status_code == 403, why
    assert response.json()["error"] == "SignatureRejected"
    assert opt_outs(engine) == []


def test_a_body_changed_after_signing_is_refused(client: httpx.Client, engine: Engine, fake: FakeGateways) -> None:
    """The signature covers the exact bytes: "hello" signed, then changed to "STOP!", is refused."""
    signed = webhook_body(PHONE, "hello")
    response = webhook_post(client, signed, fake.webhook_secret)
    assert response.status_code == 204
    signature = "sha256=" + hmac.new(fake.webhook_secret.encode(), signed, hashlib.sha256).hexdigest()
    forged = signed.replace(b"hello", b"STOP!")
    refused = client.post(
        "/api/v1/sms/inbound/webhook",
        content=forged,
        headers={"Content-Type": "application/json", "X-Brug-Signature": signature},
    )
    assert refused.status_code == 403
    assert opt_outs(engine) == []


def test_refused_while_no_webhook_secret_is_set(notifier: httpx.Client, engine: Engine, fake: FakeGateways) -> None:
    response = webhook_post(notifier, webhook_body(PHONE, "STOP"), fake.webhook_secret)
    assert response.status_code == 403
    assert "BRUG_SMS_WEBHOOK_SECRET" in response.json()["detail"]
    assert opt_outs(engine) == []


def test_a_signed_body_that_is_not_an_sms_is_a_clear_422(client: httpx.Client, fake: FakeGateways) -> None:
    body = json.dumps({"to": PHONE, "text": "STOP"}).encode()
    response = webhook_post(client, body, fake.webhook_secret)
    assert response.status_code == 422
    assert '"from"' in response.json()["detail"]


def test_start_opts_back_in_only_while_fresh(client: httpx.Client, engine: Engine, fake: FakeGateways) -> None:
    """A signed START replayed after a later STOP must not undo it; an old STOP still counts."""
    hour_ago = time.time() - 3600
    secret = fake.webhook_secret
    assert webhook_post(client, webhook_body(PHONE, "ARRÊT", timestamp=hour_ago), secret).status_code == 204
    assert len(opt_outs(engine)) == 1
    assert webhook_post(client, webhook_body(PHONE, "START", timestamp=hour_ago), secret).status_code == 204
    assert len(opt_outs(engine)) == 1
    assert webhook_post(client, webhook_body(PHONE, "démarrer"), secret).status_code == 204
    assert opt_outs(engine) == []
