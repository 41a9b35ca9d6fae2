"""From a STOP's answer on, nothing more reaches the phone, even a text whose opt-out check came first.

A send checks the opt-outs when it records its attempt at a gateway and calls at once; a STOP in
between is answered only once that call is done (notifier.optouts.settling). A send that waits
(its turn at a rate-limited gateway, a gateway that failed) checks again after waiting.
"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import datetime, timedelta
from functools import partial

import httpx
import pytest
from sqlalchemy import Engine

from notifier.app import create_app
from notifier.deliveries import failover, outcomes, service
from notifier.deliveries.dispatcher import Dispatcher
from notifier.deliveries.models import Delivery, DeliveryStatus
from notifier.gateways import SmsMessage, build_gateways
from notifier.gateways.http import make_client
from notifier.optouts.service import opt_out
from notifier.optouts.settling import sends_settled
from shared.events import utcnow
from shared.natsserver import NatsServer
from shared.unit_of_work import UnitOfWork
from tests.notifier.support import PHONE, delivery, seed, served_settings, sms_settings, text_in
from tests.support.config import Keys
from tests.support.servers import ThreadedServer, wait_until
from tests.support.sms_gateways import FakeGateways

OTHER_PHONE = "+31687654321"


def test_a_text_waiting_for_the_gateways_turn_checks_after_it_and_the_stop_does_not_wait_for_it(
    nats: NatsServer, database_url: str, notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    # one call a second: three texts to others come first, and PHONE's waits its turn, as under a gateway's rate limit
    settings = served_settings(nats.url, database_url, keys, fake, twilio_rate_per_second=1)
    with ThreadedServer(create_app(settings)) as server, server.client() as notifier:
        for n in range(3):
            seed(notifier_db, keys, code=f"AAAA-111{n}", phone=f"+3168765432{n}")
        queued = seed(notifier_db, keys)
        # claimed, and waiting for its turn: the three before it take the next three seconds
        wait_until(lambda: delivery(notifier_db, queued).status == DeliveryStatus.SENDING, message="it to be claimed")
        assert not delivery(notifier_db, queued).in_doubt  # not yet checked

        answer = text_in(notifier, fake, "STOP")
        assert delivery(notifier_db, queued).status == DeliveryStatus.SENDING  # the STOP did not wait for it
        wait_until(lambda: delivery(notifier_db, queued).status != DeliveryStatus.SENDING, message="its turn")

    assert answer.status_code == 200
    assert delivery(notifier_db, queued).status == DeliveryStatus.SKIPPED
    assert delivery(notifier_db, queued).last_error == service.OPTED_OUT
    assert [r for r in fake.sent("twilio") if r.form["To"] == PHONE] == []
    assert fake.texts() == 3


def test_a_text_failed_over_after_a_stop_is_not_sent_by_the_next_gateway(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    settings = sms_settings(keys, fake, gateways="twilio,vonage")
    claim = _claimed(notifier_db, seed(notifier_db, keys, due_at=utcnow() + timedelta(days=1)))
    outgoing = service.prepare(notifier_db, claim, settings, attempt_at="twilio")
    assert outgoing is not None
    fake.fail("twilio", "status", status=503)
    with UnitOfWork(notifier_db) as db:  # the STOP comes in while Twilio is being tried
        opt_out(db, keys.optout_key, PHONE)

    async def send() -> failover.Outcome:
        async with make_client(settings.sms_failover_seconds) as client:
            dispatcher = Dispatcher(notifier_db, settings, build_gateways(settings, client), wake_relay=lambda: None)
            message = SmsMessage(outgoing.to, outgoing.body, claim.idempotency_key, claim.delivery_id, 1)
            check = partial(dispatcher._before_call, claim, outgoing.to)
            return await failover.send_in_order(dispatcher.gateways, message, check, dispatcher.paces, ready="twilio")

    assert asyncio.run(send()) == failover.Stopped("vonage")
    assert [r.service for r in fake.sent()] == ["twilio"] and fake.texts() == 0
    assert delivery(notifier_db, claim.delivery_id).status == DeliveryStatus.SKIPPED


def test_no_check_lets_a_call_go_ahead_in_the_last_part_of_a_claims_lease(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    """A STOP stops waiting for a claim once its lease is over (its process died, or another took it over):
    a live sender must have called by then."""
    settings = sms_settings(keys, fake, gateways="twilio")  # a 60 s lease: no call from 50 s on
    later = utcnow() + timedelta(days=1)
    old = _claimed(notifier_db, seed(notifier_db, keys, due_at=later), at=utcnow() - timedelta(seconds=51))
    with pytest.raises(service.LeaseLost):
        service.prepare(notifier_db, old, settings, attempt_at="twilio")
    since = service.callable_since(settings)
    with pytest.raises(service.LeaseLost):
        outcomes.record_attempt(notifier_db, old, "twilio", claimed_since=since)
    young = _claimed(
        notifier_db, seed(notifier_db, keys, code="AAAA-1111", due_at=later), at=utcnow() - timedelta(seconds=45)
    )
    assert service.prepare(notifier_db, young, settings, attempt_at="twilio") is not None
    assert outcomes.record_attempt(notifier_db, young, "vonage", claimed_since=since)


def test_a_stop_waits_for_a_send_whose_check_came_first_until_its_outcome_is_recorded(
    notifier_server: ThreadedServer, notifier: httpx.Client, engine: Engine, keys: Keys, fake: FakeGateways
) -> None:
    # claimed here rather than by the served notifier, so the test can hold its preparation open
    claim = _claimed(engine, seed(engine, keys, due_at=utcnow() + timedelta(days=1)))
    checked, release = threading.Event(), threading.Event()
    prepared: list[service.Outgoing | None] = []

    def prepare() -> None:
        with UnitOfWork(engine) as db:
            prepared.append(service.prepare_in(db, claim, sms_settings(keys, fake), attempt_at="twilio"))
            checked.set()
            release.wait(10)

    answers: list[tuple[httpx.Response, float]] = []
    preparing = threading.Thread(target=prepare)
    stopping = threading.Thread(target=lambda: answers.append((text_in(notifier, fake, "STOP"), time.monotonic())))
    preparing.start()
    assert checked.wait(5)
    stopping.start()
    stopping.join(0.5)
    assert not answers, "the STOP was answered while a send that had passed its check was being prepared"
    release.set()
    preparing.join(5)
    assert prepared and prepared[0] is not None and prepared[0].to == PHONE  # its check came before the STOP
    stopping.join(0.5)
    assert not answers, "the STOP was answered while that send had yet to call the gateway"

    outcomes.sent(engine, claim, "twilio", "SM" + "4" * 32, 1)
    recorded = time.monotonic()
    stopping.join(10)
    [(answer, answered)] = answers
    assert answer.status_code == 200 and answered >= recorded


def test_the_wait_is_for_calls_under_way_only_and_ends_when_the_claim_moves_on(notifier_db: Engine, keys: Keys) -> None:
    later = utcnow() + timedelta(days=1)
    calling = _claimed(notifier_db, seed(notifier_db, keys, code="AAAA-1111", due_at=later), checked=True)
    # claimed and not yet checked: it will check after the STOP; a process that died: it calls nobody
    _claimed(notifier_db, seed(notifier_db, keys, code="BBBB-2222", due_at=later))
    dead = utcnow() - timedelta(minutes=5)
    _claimed(notifier_db, seed(notifier_db, keys, code="CCCC-3333", due_at=later), at=dead, checked=True)

    started = time.monotonic()
    assert asyncio.run(sends_settled(notifier_db, lease_seconds=60, at_most=0.3)) == 1  # the call under way only
    assert 0.3 <= time.monotonic() - started < 3

    # taken over (attempt 2): that claim checks after the STOP and sees it, so the wait is over
    reclaimed = threading.Timer(0.3, lambda: _claimed(notifier_db, calling.delivery_id, checked=True))
    reclaimed.start()
    started = time.monotonic()
    assert asyncio.run(sends_settled(notifier_db, lease_seconds=60, at_most=10)) == 0
    assert time.monotonic() - started < 5
    reclaimed.join()


def _claimed(engine: Engine, delivery_id: str, *, at: datetime | None = None, checked: bool = False) -> service.Claim:
    """Claim the delivery as a dispatcher does (``sending``, one more attempt), at ``at`` or now;
    ``checked``: its opt-out check passed and its attempt at a gateway is recorded."""
    with UnitOfWork(engine) as db:
        row = db.get(Delivery, delivery_id)
        assert row is not None
        row.status, row.claimed_at, row.attempts = DeliveryStatus.SENDING, at or utcnow(), row.attempts + 1
        row.in_doubt = checked
        db.add(row)
        return service.Claim(
            row.id, row.idempotency_key, row.attempts, False, booking_code=row.booking_code, kind=row.kind
        )
