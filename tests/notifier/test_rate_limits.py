"""Per-gateway rate limits: never faster than the setting, and a 429's Retry-After pauses the gateway."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from itertools import combinations

from sqlalchemy import Engine

from notifier.deliveries import failover
from notifier.deliveries.dispatcher import CLAIM_BATCH, Dispatcher, claim_batch
from notifier.gateways import build_gateways
from notifier.gateways.base import SmsMessage
from notifier.gateways.http import make_client
from notifier.gateways.pace import Pace
from notifier.settings import NotifierSettings
from tests.notifier.support import delivery, seed, sms_settings
from tests.support.config import Keys
from tests.support.sms_gateways import FakeGateways

#: what two readings of the monotonic clock around one asyncio step may differ by.
CLOCK = 0.002


def _seed(engine: Engine, keys: Keys, count: int) -> list[str]:
    return [seed(engine, keys, code=f"RATE-{n:04d}", phone=f"+3161234{n:04d}") for n in range(count)]


def _rounds(
    engine: Engine,
    settings: NotifierSettings,
    ids: list[str],
    *,
    until_sent: bool,
    limit: float,
    watch: Callable[[Dispatcher], None] = lambda dispatcher: None,
) -> None:
    """One dispatcher (so one pace per gateway) runs rounds; with ``until_sent``, until every id is sent.

    ``watch`` sees the dispatcher first, to note when things happen in it."""

    async def run() -> None:
        async with make_client(settings.sms_failover_seconds) as client:
            dispatcher = Dispatcher(engine, settings, build_gateways(settings, client), wake_relay=lambda: None)
            watch(dispatcher)
            deadline = time.monotonic() + limit
            await dispatcher.dispatch_once()
            while until_sent and time.monotonic() < deadline:
                if all(delivery(engine, i).status == "sent" for i in ids):
                    return
                await dispatcher.dispatch_once()
                await asyncio.sleep(0.05)

    asyncio.run(run())


def test_concurrent_sends_keep_to_the_gateways_rate(notifier_db: Engine, keys: Keys, fake: FakeGateways) -> None:
    """The calls the notifier begins are at least 1/rate apart. Measured where the notifier begins them:
    when they reach the gateway also depends on the network and, here, on when the fake gateway's
    thread gets the CPU (a loaded CI machine delayed one arrival by 0.18 s)."""
    settings = sms_settings(keys, fake, "twilio", twilio_rate_per_second=4)
    ids = _seed(notifier_db, keys, 5)
    calls: list[float] = []

    def watch(dispatcher: Dispatcher) -> None:
        [twilio] = dispatcher.gateways
        send = twilio.send

        async def noted_send(message: SmsMessage) -> str:
            calls.append(time.monotonic())
            return await send(message)

        twilio.send = noted_send  # type: ignore[method-assign]

    _rounds(notifier_db, settings, ids, until_sent=False, limit=10, watch=watch)  # one round: five sends at once

    assert {delivery(notifier_db, i).status for i in ids} == {"sent"}
    assert len(fake.sent("twilio")) == 5 and len(calls) == 5
    interval = 1 / 4
    for (i, a), (j, b) in combinations(enumerate(calls), 2):
        assert b - a >= (j - i) * interval - CLOCK, f"calls {i} and {j} began {b - a:.3f} s apart"


def test_a_429_pauses_that_gateway_for_its_retry_after(notifier_db: Engine, keys: Keys, fake: FakeGateways) -> None:
    # 4 per second: three more sends have their slots within the second the 429 asks for
    fake.fail("twilio", "rate_limit", retry_after="1")
    settings = sms_settings(keys, fake, "twilio", twilio_rate_per_second=4, delivery_backoff_seconds=0.5)
    ids = _seed(notifier_db, keys, 4)
    paused_at: list[float] = []
    calls: list[float] = []

    def watch(dispatcher: Dispatcher) -> None:
        """Note when the 429 came back (the pause began) and when each call to the gateway began."""
        pace, [twilio] = dispatcher.paces["twilio"], dispatcher.gateways
        pause, send = pace.pause, twilio.send

        def noted_pause(seconds: float) -> None:
            paused_at.append(time.monotonic())
            pause(seconds)

        async def noted_send(message: SmsMessage) -> str:
            calls.append(time.monotonic())
            return await send(message)

        pace.pause, twilio.send = noted_pause, noted_send  # type: ignore[method-assign]

    _rounds(notifier_db, settings, ids, until_sent=True, limit=10, watch=watch)

    assert {delivery(notifier_db, i).status for i in ids} == {"sent"}
    # only the refused one spent an attempt; the others waited for the pause without trying
    assert sorted(delivery(notifier_db, i).attempts for i in ids) == [1, 1, 1, 2]
    assert len(fake.sent("twilio")) == 5 and fake.texts() == 4  # the refused one was sent again after the pause
    [began] = paused_at
    # a call that began before the 429 was back could not know of it; none began during the pause
    during = [round(at - began, 3) for at in calls if began <= at < began + 1.0]
    assert not during, f"calls began {during} s into the gateway's 1 s pause"
    assert len([at for at in calls if at >= began]) >= 2  # what this test is about happened


def test_while_paused_the_next_gateway_takes_over(notifier_db: Engine, keys: Keys, fake: FakeGateways) -> None:
    fake.fail("twilio", "rate_limit", retry_after="30")
    settings = sms_settings(keys, fake, "twilio,vonage", twilio_rate_per_second=2)
    ids = _seed(notifier_db, keys, 3)
    _rounds(notifier_db, settings, ids, until_sent=False, limit=10)

    assert len(fake.sent("twilio")) == 1  # the 429, then nothing more for 30 s
    assert len(fake.vonage_messages) == 3
    assert {delivery(notifier_db, i).gateway for i in ids} == {"vonage"}


def test_a_slow_rate_claims_no_more_than_half_a_lease_can_send(keys: Keys, fake: FakeGateways) -> None:
    assert claim_batch(sms_settings(keys, fake, "twilio"), ["twilio"]) == CLAIM_BATCH
    slow = sms_settings(keys, fake, "twilio,vonage", twilio_rate_per_second=0.2, delivery_lease_seconds=60)
    assert claim_batch(slow, ["twilio", "vonage"]) == 6


def test_calls_keep_the_pace_when_one_sends_check_takes_longer_than_the_next_ones() -> None:
    """A send takes its turn, checks the opt-outs, then calls: a slow check must not bring two calls closer."""
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    pace = Pace(4, clock=lambda: now[0], sleep=sleep)  # a call every 0.25 s
    calls = []

    async def run() -> None:
        await pace.turn()  # the first send's turn: at once
        now[0] += 0.2  # its check takes 0.2 s
        await pace.spaced()
        calls.append(now[0])
        await pace.turn()  # the next send's turn: at 0.25
        await pace.spaced()  # its check took no time
        calls.append(now[0])

    asyncio.run(run())
    assert calls == [0.2, 0.45]


def test_a_wait_that_ends_late_does_not_bring_the_next_call_closer() -> None:
    """On a busy machine a sleep may end later than asked: the next call is timed from when this one
    really began, not from when it was planned (timed from the plan, the third call came 0.1 s after
    the second instead of 0.25)."""
    now = [0.0]
    late = [0.15]  # the first wait ends this much late; the others on time

    async def sleep(seconds: float) -> None:
        now[0] += seconds + (late.pop() if late else 0.0)

    pace = Pace(4, clock=lambda: now[0], sleep=sleep)
    calls = []

    async def call() -> None:
        await pace.spaced()
        calls.append(now[0])

    async def run() -> None:
        await call()  # at once: 0.0
        await asyncio.gather(call(), call())  # planned at 0.25 (ends late: 0.4) and then 0.25 after it

    asyncio.run(run())
    assert calls == [0.0, 0.4, 0.65]


def test_a_429_that_comes_back_while_a_send_waits_for_its_spacing_stops_its_call() -> None:
    """Another send's 429 pauses the gateway just as this one's turn comes: it is not called."""

    class PausedWhileSpacing(Pace):
        async def spaced(self) -> None:
            await super().spaced()
            self.pause(1.0)

    class Twilio:
        name, calls = "twilio", 0

        async def send(self, message: SmsMessage) -> str:
            Twilio.calls += 1
            return "SM1"

    async def checked(_gateway: str) -> bool:
        return True

    message = SmsMessage("+31612345678", "Tot donderdag", "key", "d1", 1)
    paces = {"twilio": PausedWhileSpacing(4)}
    outcome = asyncio.run(failover.send_in_order([Twilio()], message, checked, paces, ready="twilio"))  # type: ignore[list-item]
    assert isinstance(outcome, failover.TryLater) and not outcome.called
    assert Twilio.calls == 0
