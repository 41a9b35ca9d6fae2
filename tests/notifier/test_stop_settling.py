"""From a STOP's answer on, nothing more reaches the phone, even a text whose opt-out check came first.

A send checks the opt-outs while preparing and calls the gateway afterwards; a STOP in between
is answered only once that call is done (notifier.optouts.settling).
"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import datetime, timedelta

import httpx
from sqlalchemy import Engine

from notifier.app import create_app
from notifier.deliveries import outcomes, service
from notifier.deliveries.models import Delivery, DeliveryStatus
from notifier.optouts.settling import sends_settled
from shared.db import transaction
from shared.events import utcnow
from shared.natsserver import NatsServer
from tests.notifier.support import PHONE, delivery, seed, served_settings, sms_settings, text_in
from tests.support.config import Keys
from tests.support.servers import ThreadedServer, wait_until
from tests.support.sms_gateways import FakeGateways

OTHER_PHONE = "+31687654321"


def test_a_text_already_past_its_check_reaches_the_gateway_before_the_stop_is_answered(
    nats: NatsServer, database_url: str, notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    # one call every 2 s: the second text waits for its turn after its check, as under a gateway's rate limit
    settings = served_settings(nats.url, database_url, keys, fake, twilio_rate_per_second=0.5)
    with ThreadedServer(create_app(settings)) as server, server.client() as notifier:
        seed(notifier_db, keys, code="AAAA-1111", phone=OTHER_PHONE)
        wait_until(lambda: fake.texts() == 1, message="the first text to take the gateway's turn")
        held = seed(notifier_db, keys)
        wait_until(lambda: delivery(notifier_db, held).in_doubt, message="the text to PHONE to pass its check")

        answer = text_in(notifier, fake, "STOP")
        answered = time.monotonic()
        wait_until(lambda: delivery(notifier_db, held).status != DeliveryStatus.SENDING, message="that send to end")

    assert answer.status_code == 200
    [to_phone] = [r for r in fake.sent("twilio") if r.form["To"] == PHONE]
    assert to_phone.at < answered, "a text reached the gateway after the STOP was answered"


def test_a_stop_waits_for_a_send_whose_check_came_first_until_its_outcome_is_recorded(
    notifier_server: ThreadedServer, notifier: httpx.Client, engine: Engine, keys: Keys, fake: FakeGateways
) -> None:
    # claimed here rather than by the served notifier, so the test can hold its preparation open
    claim = _claimed(engine, seed(engine, keys, due_at=utcnow() + timedelta(days=1)))
    checked, release = threading.Event(), threading.Event()
    prepared: list[service.Outgoing | None] = []

    def prepare() -> None:
        with transaction(engine) as db:
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


def test_the_wait_skips_claims_of_a_process_that_died_and_ends_when_the_claim_moves_on(
    notifier_db: Engine, keys: Keys
) -> None:
    later = utcnow() + timedelta(days=1)
    alive = _claimed(notifier_db, seed(notifier_db, keys, code="AAAA-1111", due_at=later))
    _claimed(notifier_db, seed(notifier_db, keys, code="BBBB-2222", due_at=later), at=utcnow() - timedelta(minutes=5))

    started = time.monotonic()
    assert asyncio.run(sends_settled(notifier_db, lease_seconds=60, at_most=0.3)) == 1  # the live claim, no more
    assert 0.3 <= time.monotonic() - started < 3

    # taken over (attempt 2): that claim prepares after the STOP and sees it, so the wait is over
    reclaimed = threading.Timer(0.3, lambda: _claimed(notifier_db, alive.delivery_id))
    reclaimed.start()
    started = time.monotonic()
    assert asyncio.run(sends_settled(notifier_db, lease_seconds=60, at_most=10)) == 0
    assert time.monotonic() - started < 5
    reclaimed.join()


def _claimed(engine: Engine, delivery_id: str, *, at: datetime | None = None) -> service.Claim:
    """Claim the delivery as a dispatcher does (``sending``, one more attempt), at ``at`` or now."""
    with transaction(engine) as db:
        row = db.get(Delivery, delivery_id)
        assert row is not None
        row.status, row.claimed_at, row.attempts = DeliveryStatus.SENDING, at or utcnow(), row.attempts + 1
        db.add(row)
        return service.Claim(
            row.id, row.idempotency_key, row.attempts, False, booking_code=row.booking_code, kind=row.kind
        )
