"""Twilio's status callbacks move a delivery on, and only Twilio may send them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import Engine

from notifier.deliveries.models import Delivery
from notifier.gateways import twilio_signature
from shared.unit_of_work import UnitOfWork
from tests.notifier.support import PUBLIC_URL, delivery, events, seed, twilio_post
from tests.support.config import Keys
from tests.support.servers import ThreadedServer, wait_until
from tests.support.sms_gateways import FakeGateways

VECTOR_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
VECTOR_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}


def test_the_signature_matches_twilios_published_examples() -> None:
    assert twilio_signature.compute("12345", VECTOR_URL, VECTOR_PARAMS.items()) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    repeated = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234"), ("Digits", "1234")]
    assert twilio_signature.compute("12345", VECTOR_URL, repeated) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="
    mixed_case = "https://MyCompany.com/myapp.php?foo=1&bar=2"
    assert twilio_signature.compute("12345", mixed_case, VECTOR_PARAMS.items()) == "g9IN/x4Cft2g517EjYvEvM/W7LU="


@pytest.mark.parametrize(
    ("url", "params", "token", "valid"),
    [
        (VECTOR_URL, VECTOR_PARAMS, "12345", True),
        ("https://mycompany.com:443/myapp.php?foo=1&bar=2", VECTOR_PARAMS, "12345", True),  # a proxy kept the port
        (VECTOR_URL + "&baz=3", VECTOR_PARAMS, "12345", False),
        (VECTOR_URL, {**VECTOR_PARAMS, "Digits": "9999"}, "12345", False),
        (VECTOR_URL, VECTOR_PARAMS, "54321", False),
        ("https://mycompany.com:8443/myapp.php?foo=1&bar=2", VECTOR_PARAMS, "12345", False),
    ],
)
def test_only_the_signed_url_params_and_token_verify(url: str, params: dict[str, str], token: str, valid: bool) -> None:
    assert twilio_signature.valid(token, url, params.items(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=") is valid


def test_a_sent_message_follows_its_callbacks_to_delivered_and_never_back(
    notifier_server: ThreadedServer, notifier: httpx.Client, engine: Engine, keys: Keys, fake: FakeGateways
) -> None:
    delivery_id = seed(engine, keys)
    wait_until(lambda: delivery(engine, delivery_id).status == "sent", message="the SMS to go out")
    [request] = fake.sent("twilio")
    callback = request.form["StatusCallback"]
    assert callback == f"{PUBLIC_URL}/api/v1/sms/status/twilio?delivery={delivery_id}"
    sid = delivery(engine, delivery_id).gateway_ref
    assert sid == fake.twilio_messages[0]["sid"]

    for status in ("queued", "sent", "delivered", "sent"):  # Twilio's callbacks may come out of order
        form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": fake.twilio_sid, "To": request.form["To"]}
        assert twilio_post(notifier, callback, form, fake.twilio_token).status_code == 204

    assert delivery(engine, delivery_id).status == "delivered"
    assert [e["status"] for e in events(engine)] == ["sent", "delivered"]


@pytest.mark.parametrize(("status", "code"), [("undelivered", "30003"), ("failed", "30008")])
def test_undelivered_and_failed_record_twilios_error_code(
    notifier_server: ThreadedServer, notifier: httpx.Client, engine: Engine, fake: FakeGateways, status: str, code: str
) -> None:
    delivery_id = _sent_by_twilio(engine, "SM" + "a" * 32)
    form = {"MessageSid": "SM" + "a" * 32, "MessageStatus": status, "ErrorCode": code}
    assert twilio_post(notifier, _callback_url(delivery_id), form, fake.twilio_token).status_code == 204
    row = delivery(engine, delivery_id)
    assert row.status == status
    assert row.last_error == f"twilio: {status}, error {code}"
    assert [e["status"] for e in events(engine)] == [status]


def test_a_callback_settles_a_call_that_timed_out_so_nothing_is_sent_again(
    notifier_server: ThreadedServer, notifier: httpx.Client, engine: Engine, fake: FakeGateways
) -> None:
    """Twilio took the message but the create call timed out: its first callback names the delivery."""
    delivery_id = _sent_by_twilio(engine, None, status="pending", in_doubt=True, due_in=timedelta(hours=1))
    form = {"MessageSid": "SM" + "b" * 32, "MessageStatus": "sent"}
    assert twilio_post(notifier, _callback_url(delivery_id), form, fake.twilio_token).status_code == 204
    row = delivery(engine, delivery_id)
    assert (row.status, row.gateway_ref, row.in_doubt) == ("sent", "SM" + "b" * 32, False)
    assert [e["status"] for e in events(engine)] == ["sent"]


def test_a_callback_cannot_claim_a_delivery_that_has_another_reference(
    notifier_server: ThreadedServer, notifier: httpx.Client, engine: Engine, fake: FakeGateways
) -> None:
    delivery_id = _sent_by_twilio(engine, "SM" + "c" * 32)
    form = {"MessageSid": "SM" + "d" * 32, "MessageStatus": "undelivered"}
    assert twilio_post(notifier, _callback_url(delivery_id), form, fake.twilio_token).status_code == 204
    assert delivery(engine, delivery_id).status == "sent"
    assert events(engine) == []


def test_unsigned_or_wrongly_signed_callbacks_are_refused_with_403(
    notifier_server: ThreadedServer, notifier: httpx.Client, engine: Engine, fake: FakeGateways
) -> None:
    delivery_id = _sent_by_twilio(engine, "SM" + "e" * 32)
    url = _callback_url(delivery_id)
    form = {"MessageSid": "SM" + "e" * 32, "MessageStatus": "delivered"}
    forged = {
        "unsigned": twilio_post(notifier, url, form, fake.twilio_token, signature=""),
        "another token": twilio_post(notifier, url, form, "not-the-auth-token"),
        "another URL": twilio_post(notifier, url, form, fake.twilio_token, signature=_sig(fake, url + "x", form)),
        "altered params": twilio_post(
            notifier, url, form, fake.twilio_token, signature=_sig(fake, url, {**form, "MessageStatus": "sent"})
        ),
        "garbage": twilio_post(notifier, url, form, fake.twilio_token, signature="not base64 at all"),
    }
    for name, response in forged.items():
        assert response.status_code == 403, name
        assert response.json()["error"] == "SignatureRejected", name
    assert "BRUG_NOTIFIER_PUBLIC_URL" in forged["another URL"].json()["detail"]
    assert delivery(engine, delivery_id).status == "sent"
    assert events(engine) == []


def test_a_signed_callback_without_a_message_sid_is_told_what_is_missing(
    notifier_server: ThreadedServer, notifier: httpx.Client, engine: Engine, fake: FakeGateways
) -> None:
    response = twilio_post(notifier, _callback_url("x"), {"MessageStatus": "sent"}, fake.twilio_token)
    assert response.status_code == 422
    assert "MessageSid" in response.json()["detail"]


def _callback_url(delivery_id: str) -> str:
    return f"{PUBLIC_URL}/api/v1/sms/status/twilio?delivery={delivery_id}"


def _sig(fake: FakeGateways, url: str, params: dict[str, str]) -> str:
    return twilio_signature.compute(fake.twilio_token, url, params.items())


def _sent_by_twilio(
    engine: Engine,
    ref: str | None,
    *,
    status: str = "sent",
    in_doubt: bool = False,
    due_in: timedelta = timedelta(0),
) -> str:
    """A delivery as the dispatcher leaves it after a call to Twilio (no recipient: nothing can resend it)."""
    now = datetime.now(UTC)
    row = Delivery(
        idempotency_key=f"confirmation:{(ref or 'none')[-8:]}:sms",
        booking_code="K7QF-93XA",
        session_id="s1",
        channel="sms",
        kind="confirmation",
        status=status,
        gateway="twilio",
        gateway_ref=ref,
        attempted_at=now,
        in_doubt=in_doubt,
        attempts=1,
        due_at=now + due_in,
    )
    with UnitOfWork(engine) as db:
        db.add(row)
    return row.id
