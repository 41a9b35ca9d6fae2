"""A notifier that is stopped (a deploy, SIGTERM) lets the calls under way end and hands back the rest.

A call cut off mid-way would leave its text in doubt: reconciled by a lookup once its lease has run
out, and a STOP meanwhile waiting for it. Texts not yet past their opt-out check are not sent by the
stopping process: their claims are handed back, due again at once for the next notifier.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy import Engine

from notifier.app import create_app
from notifier.deliveries.dispatcher import Dispatcher
from notifier.deliveries.models import DeliveryStatus
from notifier.gateways import build_gateways
from notifier.gateways.http import make_client
from notifier.settings import NotifierSettings
from shared.natsserver import NatsServer
from tests.notifier.support import delivery, dispatch, seed, served_settings, sms_settings
from tests.support.config import Keys
from tests.support.servers import ThreadedServer, wait_until
from tests.support.sms_gateways import FakeGateways


def _seed(engine: Engine, keys: Keys, count: int, due_at: datetime | None = None) -> list[str]:
    return [seed(engine, keys, code=f"STOP-{n:04d}", phone=f"+3161111{n:04d}", due_at=due_at) for n in range(count)]


def _stopped_during_the_first_call(engine: Engine, settings: NotifierSettings, fake: FakeGateways) -> float:
    """Run the dispatcher until the gateway has the first request, then stop it; how long stopping took."""

    async def run() -> float:
        async with make_client(settings.sms_failover_seconds) as client:
            dispatcher = Dispatcher(engine, settings, build_gateways(settings, client), wake_relay=lambda: None)
            loop = asyncio.create_task(dispatcher.run())
            while not fake.sent("twilio"):
                await asyncio.sleep(0.01)
            began = time.monotonic()
            loop.cancel()
            await asyncio.gather(loop, return_exceptions=True)
            return time.monotonic() - began

    return asyncio.run(run())


def _unclaimed(engine: Engine, delivery_id: str) -> bool:
    row = delivery(engine, delivery_id)
    return (row.status, row.claimed_at, row.attempts, row.in_doubt) == (DeliveryStatus.PENDING, None, 0, False)


def test_a_stopping_notifier_lets_the_call_under_way_end_and_hands_back_the_texts_not_yet_called(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    # one call a second, the first one slow: when the loop stops, one text is mid-call, three wait their turn
    fake.fail("twilio", "slow", seconds=1.0)
    settings = sms_settings(keys, fake, "twilio", twilio_rate_per_second=1, sms_failover_seconds=5)
    first, *waiting = _seed(notifier_db, keys, 4)

    with structlog.testing.capture_logs() as logs:
        took = _stopped_during_the_first_call(notifier_db, settings, fake)

    assert 0.8 <= took < settings.shutdown_drain_seconds  # it waited for the slow answer, not for the drain's end
    mid_call = delivery(notifier_db, first)
    assert (mid_call.status, mid_call.in_doubt, mid_call.gateway_ref is not None) == (DeliveryStatus.SENT, False, True)
    assert all(_unclaimed(notifier_db, i) for i in waiting), "the texts not yet called are due again, unclaimed"
    assert len(fake.sent("twilio")) == 1 and fake.texts() == 1
    said = {entry["event"]: entry for entry in logs}
    assert said["notifier.stopping.calls_under_way"]["calls"] == 1
    assert said["notifier.stopping.claims_handed_back"]["claims"] == 3
    assert "notifier.stopping.calls_cut_off" not in said

    # the next notifier takes them at once: no lease to wait out
    assert dispatch(notifier_db, settings.model_copy(update={"twilio_rate_per_second": 0})) == [3]
    assert {delivery(notifier_db, i).status for i in waiting} == {DeliveryStatus.SENT}
    assert fake.texts() == 4


def test_a_call_still_under_way_when_the_drain_is_over_ends_as_a_crash_would(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    fake.fail("twilio", "slow", seconds=4.0)
    settings = sms_settings(keys, fake, "twilio", sms_failover_seconds=5, shutdown_drain_seconds=0.3)
    [cut] = _seed(notifier_db, keys, 1)

    with structlog.testing.capture_logs() as logs:
        took = _stopped_during_the_first_call(notifier_db, settings, fake)

    assert took < 2.0
    row = delivery(notifier_db, cut)
    # still claimed and in doubt: once its lease has run out it is reconciled by a lookup, not sent blindly
    assert (row.status, row.in_doubt, row.gateway) == (DeliveryStatus.SENDING, True, "twilio")
    assert [e["calls"] for e in logs if e["event"] == "notifier.stopping.calls_cut_off"] == [1]


def test_a_served_notifier_drains_when_it_stops(
    nats: NatsServer, database_url: str, notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    """The same through the service's own shutdown (uvicorn's lifespan, as on SIGTERM)."""
    fake.fail("twilio", "slow", seconds=1.0)
    settings = served_settings(nats.url, database_url, keys, fake, twilio_rate_per_second=1, sms_failover_seconds=5)
    with ThreadedServer(create_app(settings)):
        # due together a moment from now (after the start's retention pass), so one round claims all three
        due = datetime.now(UTC) + timedelta(seconds=1)
        first, *waiting = _seed(notifier_db, keys, 3, due_at=due)
        wait_until(lambda: fake.sent("twilio"), message="the first call")

    assert delivery(notifier_db, first).status == DeliveryStatus.SENT
    assert all(_unclaimed(notifier_db, i) for i in waiting)
    assert fake.texts() == 1
