"""A notifier that is stopped (a deploy, SIGTERM) lets the calls under way end and hands back the rest.

A call cut off mid-way would leave its text in doubt: reconciled by a lookup once its lease has run
out, and a STOP meanwhile waiting for it. Texts not yet past their opt-out check are not sent by the
stopping process: their claims are handed back, due again at once for the next notifier.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import structlog
from sqlalchemy import Engine
from sqlmodel import Session, select

from notifier.app import create_app
from notifier.deliveries import outcomes, service
from notifier.deliveries.dispatcher import Dispatcher
from notifier.deliveries.models import Delivery, DeliveryStatus
from notifier.gateways import FileGateway, Gateway, build_gateways
from notifier.gateways.http import make_client
from notifier.settings import NotifierSettings
from shared.natsserver import NatsServer
from shared.unit_of_work import UnitOfWork
from tests.notifier.events import EMAIL, base_settings, confirm, publish
from tests.notifier.smtp import SmtpSink
from tests.notifier.support import SENDER, delivery, dispatch, seed, served_settings, sms_settings
from tests.support.config import Keys
from tests.support.servers import ThreadedServer, wait_until
from tests.support.sms_gateways import FakeGateways


def _seed(engine: Engine, keys: Keys, count: int, due_at: datetime | None = None) -> list[str]:
    return [seed(engine, keys, code=f"STOP-{n:04d}", phone=f"+3161111{n:04d}", due_at=due_at) for n in range(count)]


def _stopped_during_the_first_call(engine: Engine, settings: NotifierSettings, fake: FakeGateways) -> float:
    """Run the dispatcher until the gateway has the first request, then stop it; how long stopping took."""
    return _stopped_when(engine, settings, lambda: bool(fake.sent("twilio")))


def _stopped_when(
    engine: Engine, settings: NotifierSettings, now: Callable[[], bool], gateways: list[Gateway] | None = None
) -> float:
    """Run the dispatcher until ``now()``, then stop it as SIGTERM does (cancel); how long stopping took."""

    async def run() -> float:
        async with make_client(settings.sms_failover_seconds) as client:
            sms = build_gateways(settings, client) if gateways is None else gateways
            dispatcher = Dispatcher(engine, settings, sms, wake_relay=lambda: None)
            loop = asyncio.create_task(dispatcher.run())
            deadline = time.monotonic() + 15
            while not now():
                assert time.monotonic() < deadline, "what the test waits for never happened"
                await asyncio.sleep(0.005)
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
        # due together a moment from now, so one round claims all three
        due = datetime.now(UTC) + timedelta(seconds=1)
        first, *waiting = _seed(notifier_db, keys, 3, due_at=due)
        wait_until(lambda: fake.sent("twilio"), message="the first call")

    assert delivery(notifier_db, first).status == DeliveryStatus.SENT
    assert all(_unclaimed(notifier_db, i) for i in waiting)
    assert fake.texts() == 1


def test_a_send_stopped_while_its_check_commits_is_handed_back_as_it_was(
    notifier_db: Engine, keys: Keys, fake: FakeGateways, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its attempt was recorded but nothing was called: not left in doubt (Vonage has no lookup, so a
    doubt there would end ``unconfirmed``, never sent), but due again, clean, and sent once."""
    settings = sms_settings(keys, fake, "vonage")
    [text] = _seed(notifier_db, keys, 1)
    prepare, checking, found = service.prepare_in, threading.Event(), []

    def slow_prepare_in(db: Session, claim: service.Claim, settings: NotifierSettings, **options: Any) -> Any:
        checking.set()
        time.sleep(0.3)  # its turn for the database comes late (another batch, a busy pool)
        try:
            outgoing = prepare(db, claim, settings, **options)
        except service.LeaseLost:
            found.append("handed back before its write")
            raise
        found.append("still claimed")
        return outgoing

    monkeypatch.setattr(service, "prepare_in", slow_prepare_in)
    with structlog.testing.capture_logs() as logs:
        _stopped_when(notifier_db, settings, checking.is_set)
    monkeypatch.setattr(service, "prepare_in", prepare)

    assert found == ["still claimed"]  # the stopping loop waited for the write before handing the claim back
    assert fake.texts() == 0 and _unclaimed(notifier_db, text)
    assert delivery(notifier_db, text).gateway is None  # the attempt that was never called is forgotten
    assert [e["claims"] for e in logs if e["event"] == "notifier.stopping.claims_handed_back"] == [1]
    assert dispatch(notifier_db, settings) == [1]
    assert delivery(notifier_db, text).status == DeliveryStatus.SENT and fake.texts() == 1


def test_claims_made_while_the_loop_stops_are_handed_back(
    notifier_db: Engine, keys: Keys, fake: FakeGateways, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = sms_settings(keys, fake, "twilio")
    texts = _seed(notifier_db, keys, 3)
    claim_round, claimed = service.claim_round, threading.Event()

    def slow_claim_round(*args: Any, **options: Any) -> service.Round:
        result = claim_round(*args, **options)  # committed; the thread returns a moment later (load, the GIL)
        claimed.set()
        time.sleep(0.3)
        return result

    monkeypatch.setattr(service, "claim_round", slow_claim_round)
    _stopped_when(notifier_db, settings, claimed.is_set)

    assert fake.texts() == 0
    assert all(_unclaimed(notifier_db, i) for i in texts), "claimed as the loop stopped: due again at once"


def _refused_by_twilio(engine: Engine, keys: Keys, fake: FakeGateways) -> str:
    fake.fail("twilio", "status", status=503)
    [text] = _seed(engine, keys, 1)
    return text


def _in_doubt_at_twilio(engine: Engine, keys: Keys, fake: FakeGateways) -> str:
    """Its process died mid-call; the lookup finds no such message there."""
    [text] = _seed(engine, keys, 1)
    [first] = service.claim_due(engine, lease_seconds=60, limit=1)
    outcomes.record_attempt(engine, first, "twilio")
    _expire(engine, text)
    return text


@pytest.mark.parametrize("to_vonage", [_refused_by_twilio, _in_doubt_at_twilio])
def test_a_call_to_the_next_gateway_under_way_is_let_end(
    notifier_db: Engine, keys: Keys, fake: FakeGateways, to_vonage: Callable[[Engine, Keys, FakeGateways], str]
) -> None:
    text = to_vonage(notifier_db, keys, fake)
    fake.fail("vonage", "slow", seconds=1.0)
    settings = sms_settings(keys, fake, "twilio,vonage", sms_failover_seconds=5)

    _stopped_when(notifier_db, settings, lambda: bool(fake.sent("vonage")))

    row = delivery(notifier_db, text)
    assert (row.status, row.gateway, row.in_doubt) == (DeliveryStatus.SENT, "vonage", False)
    assert fake.texts() == 1


def test_a_doubt_from_an_earlier_attempt_stays_when_its_claim_is_handed_back(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    [text] = _seed(notifier_db, keys, 1)
    [first] = service.claim_due(notifier_db, lease_seconds=60, limit=1)
    outcomes.record_attempt(notifier_db, first, "twilio")  # called; the answer never came (a timeout)
    _expire(notifier_db, text)
    [second] = service.claim_due(notifier_db, lease_seconds=60, limit=1)  # taken over: reconcile first
    assert second.in_doubt

    assert service.release(notifier_db, [second]) == 1
    row = delivery(notifier_db, text)
    assert (row.status, row.in_doubt, row.gateway, row.claimed_at) == (DeliveryStatus.PENDING, True, "twilio", None)
    assert row.attempts == first.attempts  # the handed-back claim's attempt refunded, the called one kept


def test_an_email_being_sent_is_let_end(notifier_db: Engine, keys: Keys, tmp_path: Path) -> None:
    with SmtpSink(accept_after=1.0) as smtp:
        settings = base_settings(
            keys, smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_tls="none", smtp_from=SENDER, quiet_hours=""
        )
        publish(notifier_db, settings, datetime.now(UTC) + timedelta(days=7))
        confirm(notifier_db, settings, keys, "MAIL-0001", channels=["email"], email=EMAIL, locale="nl")

        sms = [FileGateway(tmp_path / "sms.jsonl")]
        _stopped_when(notifier_db, settings, lambda: bool(_mail_claimed(notifier_db)), sms)

        assert len(smtp.messages) == 1
    assert [row.status for row in _mail_claimed(notifier_db, every=True)] == [DeliveryStatus.SENT]


def _mail_claimed(engine: Engine, every: bool = False) -> list[Delivery]:
    with UnitOfWork(engine) as db:
        query = select(Delivery).where(Delivery.channel == "email", Delivery.kind == "confirmation")
        rows = list(db.exec(query).all())
    return rows if every else [r for r in rows if r.status == DeliveryStatus.SENDING and r.in_doubt]


def _expire(engine: Engine, delivery_id: str) -> None:
    """The claim's lease ran out (its process died)."""
    with UnitOfWork(engine) as db:
        row = db.get(Delivery, delivery_id)
        assert row is not None and row.claimed_at is not None
        row.claimed_at -= timedelta(minutes=5)
        db.add(row)
