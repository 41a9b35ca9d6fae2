"""Failover between gateways, retries with backoff, and reconciliation: never a second text.

Each test runs the real dispatcher against the local gateway server and the
real database (SQLite, and PostgreSQL when configured).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from notifier.deliveries import service
from notifier.deliveries.backoff import retry_delay
from shared.natsserver import free_port
from shared.unit_of_work import UnitOfWork
from tests.notifier.support import PHONE, SHORT_TIMEOUT, delivery, dispatch, events, make_due, seed, sms_settings
from tests.support.config import Keys
from tests.support.sms_gateways import UNKNOWN_TO_TWILIO, FakeGateways


def test_the_primary_sends_when_it_is_well(notifier_db: Engine, keys: Keys, fake: FakeGateways) -> None:
    delivery_id = seed(notifier_db, keys)
    assert dispatch(notifier_db, sms_settings(keys, fake)) == [1]
    row = delivery(notifier_db, delivery_id)
    assert (row.status, row.gateway, row.gateway_ref) == ("sent", "twilio", fake.twilio_messages[0]["sid"])
    assert (row.in_doubt, row.attempts, row.segments) == (False, 1, 1)
    assert fake.sent("vonage") == []
    assert [e["status"] for e in events(notifier_db)] == ["sent"]


@pytest.mark.parametrize("status", [500, 503])
def test_a_5xx_fails_over_to_the_next_gateway_at_once(
    notifier_db: Engine, keys: Keys, fake: FakeGateways, status: int
) -> None:
    delivery_id = seed(notifier_db, keys)
    fake.fail("twilio", "status", status=status)
    dispatch(notifier_db, sms_settings(keys, fake))
    row = delivery(notifier_db, delivery_id)
    assert (row.status, row.gateway, row.gateway_ref) == ("sent", "vonage", fake.vonage_messages[0]["message-id"])
    assert (len(fake.sent("twilio")), fake.texts()) == (1, 1)


def test_a_gateway_that_cannot_be_reached_is_skipped(notifier_db: Engine, keys: Keys, fake: FakeGateways) -> None:
    delivery_id = seed(notifier_db, keys)
    settings = sms_settings(keys, fake, twilio_base_url=f"http://127.0.0.1:{free_port()}")  # nothing listens
    dispatch(notifier_db, settings)
    assert delivery(notifier_db, delivery_id).gateway == "vonage"
    assert fake.texts() == 1


def test_a_429_fails_over_and_when_no_gateway_is_left_its_retry_after_is_honoured(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    first, second = seed(notifier_db, keys), seed(notifier_db, keys, code="M2RT-7XQA")
    fake.fail("twilio", "rate_limit", retry_after="120", times=2)
    fake.fail("vonage", "rate_limit", times=1)  # no Retry-After: the backoff alone decides
    before = datetime.now(UTC)
    dispatch(notifier_db, sms_settings(keys, fake, delivery_backoff_seconds=1))

    rows = [delivery(notifier_db, first), delivery(notifier_db, second)]
    waiting = [r for r in rows if r.status == "pending"]
    [sent] = [r for r in rows if r.status == "sent"]
    assert sent.gateway == "vonage"
    [held_back] = waiting
    assert held_back.due_at >= before + timedelta(seconds=120)
    assert "HTTP 429" in (held_back.last_error or "") and not held_back.in_doubt
    assert dispatch(notifier_db, sms_settings(keys, fake)) == [0]  # not before its time
    assert fake.texts() == 1


def test_a_transient_failure_everywhere_retries_with_growing_jittered_waits_then_gives_up(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    delivery_id = seed(notifier_db, keys)
    fake.fail("twilio", "status", status=503, times=3)
    settings = sms_settings(keys, fake, gateways="twilio", delivery_max_attempts=3, delivery_backoff_seconds=10)
    waits = []  # (longest, shortest) the wait can have been: the retry is planned during dispatch()
    for _ in range(3):
        started = datetime.now(UTC)
        dispatch(notifier_db, settings)
        finished = datetime.now(UTC)
        row = delivery(notifier_db, delivery_id)
        waits.append(((row.due_at - started).total_seconds(), (row.due_at - finished).total_seconds()))
        make_due(notifier_db, delivery_id)
    assert waits[0][0] >= 5 and waits[0][1] <= 10.5  # half to all of 10 s
    assert waits[1][0] >= 10 and waits[1][1] <= 20.5  # then of 20 s
    row = delivery(notifier_db, delivery_id)
    assert (row.status, row.attempts) == ("failed", 3)
    assert [e["status"] for e in events(notifier_db)] == ["failed"]
    assert fake.texts() == 0


def test_the_backoff_doubles_stays_under_its_cap_and_never_undercuts_retry_after() -> None:
    assert [retry_delay(n, base=2, cap=300, rng=lambda: 1.0) for n in (1, 2, 3, 4)] == [2, 4, 8, 16]
    assert [retry_delay(n, base=2, cap=300, rng=lambda: 0.0) for n in (1, 2, 3)] == [1, 2, 4]
    assert retry_delay(20, base=2, cap=300, rng=lambda: 1.0) == 300
    assert retry_delay(1, base=2, cap=300, retry_after=45, rng=lambda: 1.0) == 45


def test_a_permanent_refusal_is_neither_retried_nor_failed_over(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    delivery_id = seed(notifier_db, keys, phone=UNKNOWN_TO_TWILIO)  # Twilio: 21211 not a valid phone number
    settings = sms_settings(keys, fake)
    assert dispatch(notifier_db, settings, rounds=2) == [1, 0]
    row = delivery(notifier_db, delivery_id)
    assert (row.status, row.attempts, row.in_doubt) == ("failed", 1, False)
    assert "21211" in (row.last_error or "")
    assert (len(fake.sent("twilio")), fake.sent("vonage")) == (1, [])
    assert [e["status"] for e in events(notifier_db)] == ["failed"]


def test_a_slow_gateway_is_checked_then_the_next_one_sends(notifier_db: Engine, keys: Keys, fake: FakeGateways) -> None:
    delivery_id = seed(notifier_db, keys)
    fake.fail("twilio", "hang", seconds=3)  # past BRUG_SMS_FAILOVER_SECONDS (0.5 s); never takes it
    settings = sms_settings(keys, fake, **SHORT_TIMEOUT)

    dispatch(notifier_db, settings)
    row = delivery(notifier_db, delivery_id)
    assert (row.status, row.gateway, row.in_doubt) == ("pending", "twilio", True)
    assert "no answer within 0.5 s" in (row.last_error or "")
    assert fake.texts() == 0 and fake.sent("vonage") == []

    dispatch(notifier_db, settings)  # the reconcile delay (0 here) has passed
    row = delivery(notifier_db, delivery_id)
    assert (row.status, row.gateway, row.in_doubt) == ("sent", "vonage", False)
    [lookup] = [r for r in fake.requests if r.method == "GET"]
    assert lookup.query["To"] == [PHONE]
    assert len(fake.sent("twilio")) == 1 and fake.texts() == 1


def test_a_gateway_that_keeps_hanging_is_given_up_once_it_shows_no_message(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    delivery_id = seed(notifier_db, keys)
    fake.fail("twilio", "hang", seconds=2, times=5)
    settings = sms_settings(keys, fake, gateways="twilio", delivery_max_attempts=2, **SHORT_TIMEOUT)
    assert dispatch(notifier_db, settings, rounds=4) == [1, 1, 1, 0]
    row = delivery(notifier_db, delivery_id)
    assert (row.status, row.attempts) == ("failed", 3)
    assert "not sent after 2 attempts" in (row.last_error or "")
    assert (len(fake.sent("twilio")), fake.texts()) == (2, 0)


def test_a_dropped_connection_is_checked_before_failing_over(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    delivery_id = seed(notifier_db, keys)
    fake.fail("twilio", "drop")
    dispatch(notifier_db, sms_settings(keys, fake), rounds=2)
    row = delivery(notifier_db, delivery_id)
    assert (row.status, row.gateway) == ("sent", "vonage")
    assert len([r for r in fake.requests if r.method == "GET"]) == 1
    assert fake.texts() == 1


def test_a_timeout_after_twilio_took_the_message_is_reconciled_without_a_second_text(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    delivery_id = seed(notifier_db, keys)
    fake.fail("twilio", "accept_then_hang", seconds=3)
    settings = sms_settings(keys, fake, **SHORT_TIMEOUT)

    dispatch(notifier_db, settings)
    assert delivery(notifier_db, delivery_id).in_doubt
    assert events(notifier_db) == []  # nothing is announced while in doubt

    dispatch(notifier_db, settings, rounds=2)
    row = delivery(notifier_db, delivery_id)
    assert (row.status, row.gateway, row.gateway_ref) == ("sent", "twilio", fake.twilio_messages[0]["sid"])
    assert (len(fake.sent("twilio")), fake.sent("vonage"), fake.texts()) == (1, [], 1)
    assert [e["status"] for e in events(notifier_db)] == ["sent"]


def test_an_unanswered_lookup_keeps_the_doubt_and_sends_nothing(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    delivery_id = seed(notifier_db, keys)
    fake.fail("twilio", "accept_then_hang", seconds=3)
    fake.fail("twilio", "status", on="lookup", status=503)
    settings = sms_settings(keys, fake, **SHORT_TIMEOUT)
    dispatch(notifier_db, settings, rounds=2)
    row = delivery(notifier_db, delivery_id)
    assert (row.status, row.in_doubt, row.gateway) == ("pending", True, "twilio")
    assert "HTTP 503" in (row.last_error or "")
    assert fake.sent("vonage") == []

    make_due(notifier_db, delivery_id)
    dispatch(notifier_db, settings)
    assert delivery(notifier_db, delivery_id).status == "sent"
    assert fake.texts() == 1


def test_a_vonage_timeout_cannot_be_checked_so_it_is_never_sent_again(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    delivery_id = seed(notifier_db, keys)
    fake.fail("vonage", "accept_then_hang", seconds=3)
    settings = sms_settings(keys, fake, gateways="vonage,twilio", **SHORT_TIMEOUT)
    assert dispatch(notifier_db, settings, rounds=3) == [1, 1, 0]
    row = delivery(notifier_db, delivery_id)
    assert (row.status, row.gateway) == ("unconfirmed", "vonage")
    assert "cannot look a message up" in (row.last_error or "")
    assert (len(fake.sent("vonage")), fake.sent("twilio"), fake.texts()) == (1, [], 1)
    assert [e["status"] for e in events(notifier_db)] == ["unconfirmed"]


def test_a_webhook_timeout_is_resent_to_the_same_webhook_only_with_the_same_key(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    delivery_id = seed(notifier_db, keys)
    fake.fail("webhook", "accept_then_hang", seconds=3)
    fake.fail("webhook", "status", status=503)  # and the first resend fails too: the doubt stays
    settings = sms_settings(keys, fake, gateways="webhook,twilio", **SHORT_TIMEOUT)
    dispatch(notifier_db, settings, rounds=2)
    row = delivery(notifier_db, delivery_id)
    assert (row.status, row.in_doubt, row.gateway) == ("pending", True, "webhook")

    make_due(notifier_db, delivery_id)
    dispatch(notifier_db, settings)
    row = delivery(notifier_db, delivery_id)
    assert (row.status, row.gateway) == ("sent", "webhook")
    keys_sent = {r.json()["idempotency_key"] for r in fake.sent("webhook")}
    assert len(fake.sent("webhook")) == 3 and keys_sent == {"confirmation:K7QF-93XA:sms"}
    assert (fake.sent("twilio"), fake.texts()) == ([], 1)


def test_an_earlier_text_to_the_same_number_is_not_taken_for_the_one_in_doubt(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    """Twilio can only be searched by number and time: the confirmation it took a minute ago must not
    pass for the next message (here a reschedule notice) whose connection dropped, or that would be lost."""
    settings = sms_settings(keys, fake, quiet_hours=None)  # a notice may wait for the morning otherwise
    confirmation = seed(notifier_db, keys)
    dispatch(notifier_db, settings)
    assert delivery(notifier_db, confirmation).status == "sent"
    with UnitOfWork(notifier_db) as db:
        notice = service.plan(db, booking_code="K7QF-93XA", session_id="s1", channel="sms", kind="rescheduled")
    fake.fail("twilio", "drop")
    dispatch(notifier_db, settings, rounds=2)
    row = delivery(notifier_db, notice)
    assert (row.status, row.gateway) == ("sent", "vonage"), row.last_error
    assert row.gateway_ref != delivery(notifier_db, confirmation).gateway_ref
    assert fake.texts() == 2
