"""Small helpers for the notifier's tests: seed a delivery, build settings, run the dispatcher, read rows."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import Engine
from sqlmodel import col, select

from notifier.deliveries import service
from notifier.deliveries.dispatcher import Dispatcher
from notifier.deliveries.models import Delivery
from notifier.gateways import build_gateways, twilio_signature
from notifier.gateways.http import make_client
from notifier.recipients.models import Recipient, SessionCopy
from notifier.settings import NotifierSettings
from shared.sealing import seal
from shared.tables import OutboxMessage
from shared.unit_of_work import UnitOfWork
from tests.support.config import Keys, notifier_settings
from tests.support.sms_gateways import FakeGateways

__all__ = [
    "PHONE",
    "SHORT_TIMEOUT",
    "SENDER",
    "PUBLIC_URL",
    "seed",
    "sms_settings",
    "dispatch",
    "delivery",
    "events",
    "make_due",
    "twilio_post",
    "INBOUND",
    "text_in",
    "served_settings",
]

PHONE = "+31612345678"
SENDER = "+3197010200300"
#: where the notifier says Twilio reaches it (as behind a proxy); signatures are made for this URL.
PUBLIC_URL = "https://notifier.brug.example"
#: when the seeded session starts: ahead of the clock, so a served notifier's retention pass (at its
#: start, racing the seed) never finds it past BRUG_RETENTION_DAYS and blanks the seeded texts.
STARTS = (datetime.now(UTC) + timedelta(days=30)).replace(hour=12, minute=0, second=0, microsecond=0)
#: Twilio's "A message comes in" webhook, as Twilio calls it.
INBOUND = f"{PUBLIC_URL}/api/v1/sms/inbound/twilio"


def seed(
    engine: Engine,
    keys: Keys,
    *,
    code: str = "K7QF-93XA",
    phone: str = PHONE,
    locale: str = "nl",
    due_at: datetime | None = None,
) -> str:
    """A session, a recipient with a sealed phone number, and a planned confirmation (due now or at
    ``due_at``); its delivery id."""
    with UnitOfWork(engine) as db:
        if db.get(SessionCopy, "s1") is None:
            db.add(
                SessionCopy(
                    session_id="s1",
                    public_title="Thursday meeting",
                    venue_public_name="Keizersgracht 12",
                    address="Keizersgracht 12",
                    starts_at=STARTS,
                    ends_at=STARTS + timedelta(hours=2),
                    timezone="Europe/Amsterdam",
                )
            )
        db.add(
            Recipient(
                booking_code=code,
                session_id="s1",
                locale=locale,
                channels=["sms"],
                sealed_contact=seal(keys.public, {"phone": phone}),
            )
        )
        return service.plan(db, booking_code=code, session_id="s1", channel="sms", kind="confirmation", due_at=due_at)


#: for tests of a gateway that does not answer in time: the client gives up after 0.5 s
SHORT_TIMEOUT = {"sms_failover_seconds": 0.5}


def sms_settings(keys: Keys, fake: FakeGateways, gateways: str = "twilio,vonage", **overrides: Any) -> NotifierSettings:
    """Settings that point every gateway at ``fake``, with no reconcile delay (and 5 s for an answer:
    ``**SHORT_TIMEOUT`` where a timeout is what the test is about)."""
    values: dict[str, Any] = {
        "notifier_private_key": keys.private,
        "optout_hash_key": keys.optout_key,
        **_through(fake),
        "sms_gateway": gateways,
        "vonage_api_key": fake.vonage_key,
        "vonage_api_secret": fake.vonage_secret,
        "vonage_base_url": fake.url,
        "sms_webhook_url": f"{fake.url}/webhook",
        "sms_webhook_secret": fake.webhook_secret,
        **overrides,
    }
    settings = NotifierSettings(**values)
    settings.check()
    return settings


def dispatch(engine: Engine, settings: NotifierSettings, rounds: int = 1) -> list[int]:
    """Run ``rounds`` dispatcher rounds with a fresh HTTP client; how many deliveries each claimed."""

    async def run() -> list[int]:
        async with make_client(settings.sms_failover_seconds) as client:
            dispatcher = Dispatcher(engine, settings, build_gateways(settings, client), wake_relay=lambda: None)
            return [await dispatcher.dispatch_once() for _ in range(rounds)]

    return asyncio.run(run())


def delivery(engine: Engine, delivery_id: str) -> Delivery:
    with UnitOfWork(engine) as db:
        row = db.get(Delivery, delivery_id)
        assert row is not None
        return row


def make_due(engine: Engine, delivery_id: str) -> None:
    """Skip a backoff: the delivery is due now."""
    with UnitOfWork(engine) as db:
        row = db.get(Delivery, delivery_id)
        assert row is not None
        row.due_at = datetime.now(UTC) - timedelta(seconds=1)
        db.add(row)


def events(engine: Engine) -> list[dict[str, Any]]:
    """The payloads of ``notify.delivery.updated`` events in the outbox, oldest first."""
    with UnitOfWork(engine) as db:
        rows = db.exec(select(OutboxMessage).order_by(col(OutboxMessage.seq))).all()
        return [json.loads(r.body)["payload"] for r in rows if r.subject == "notify.delivery.updated"]


def twilio_post(
    client: httpx.Client, url: str, params: dict[str, str], token: str, *, signature: str | None = None
) -> httpx.Response:
    """POST ``params`` as Twilio would: to ``url``'s path on ``client``, signed for the full public ``url``."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = (
        {}
        if signature == ""
        else {"X-Twilio-Signature": signature or twilio_signature.compute(token, url, params.items())}
    )
    return client.post(path, data=params, headers=headers)


def text_in(client: httpx.Client, fake: FakeGateways, body: str, *, phone: str = PHONE) -> httpx.Response:
    """``phone`` texts ``body`` to Brug's Twilio number: Twilio's signed webhook to the notifier."""
    params = {
        "MessageSid": "SM" + "9" * 32,
        "AccountSid": fake.twilio_sid,
        "From": phone,
        "To": SENDER,
        "Body": body,
        "NumMedia": "0",
    }
    return twilio_post(client, INBOUND, params, fake.twilio_token)


def served_settings(
    nats_url: str, database_url: str, keys: Keys, fake: FakeGateways, **overrides: Any
) -> NotifierSettings:
    """A served notifier's settings, sending through ``fake``'s Twilio, reached by Twilio at PUBLIC_URL."""
    values = {**_through(fake), "sms_gateway": "twilio", **overrides}
    return notifier_settings(nats_url, database_url, keys, **values)


def _through(fake: FakeGateways) -> dict[str, Any]:
    """Sending through ``fake``'s Twilio (reached by Twilio at PUBLIC_URL), 5 s for an answer and no
    reconcile delay."""
    return {
        "notifier_public_url": PUBLIC_URL,
        "sms_from": SENDER,
        "sms_failover_seconds": 5.0,  # a loaded CI machine answered later than 0.5 s
        "sms_reconcile_delay_seconds": 0,
        "twilio_account_sid": fake.twilio_sid,
        "twilio_auth_token": fake.twilio_token,
        "twilio_base_url": fake.url,
    }
