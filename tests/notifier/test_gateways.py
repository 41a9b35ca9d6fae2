"""Each gateway adapter speaks its gateway's real API, checked against a local server that speaks it too."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from notifier.gateways import (
    GatewayUnavailable,
    LookupUnsupported,
    MessageRejected,
    RateLimited,
    SmsMessage,
    TwilioGateway,
    VonageGateway,
    WebhookGateway,
)
from notifier.gateways.http import make_client, retry_after
from notifier.gateways.webhook import SIGNATURE_HEADER
from tests.notifier.support import PHONE, SENDER
from tests.support.sms_gateways import FakeGateways

MESSAGE = SmsMessage(PHONE, "Je hebt een plek: Thursday meeting.", "confirmation:K7QF-93XA:sms", "d" * 32)
ARABIC = SmsMessage(PHONE, "لديك مكان: Thursday meeting", "confirmation:AB12-CD34:sms", "e" * 32)


def _with_client(work: Callable[[httpx.AsyncClient], Awaitable[Any]]) -> Any:
    async def run() -> Any:
        async with make_client(2.0) as client:
            return await work(client)

    return asyncio.run(run())


def _twilio(fake: FakeGateways, client: httpx.AsyncClient, **overrides: Any) -> TwilioGateway:
    values: dict[str, Any] = {
        "account_sid": fake.twilio_sid,
        "auth_token": fake.twilio_token,
        "sender": SENDER,
        "base_url": fake.url,
        "public_url": "https://notifier.brug.example/",
        "deadline": 2.0,
        **overrides,
    }
    return TwilioGateway(client, **values)


def _vonage(fake: FakeGateways, client: httpx.AsyncClient, **overrides: Any) -> VonageGateway:
    values: dict[str, Any] = {
        "api_key": fake.vonage_key,
        "api_secret": fake.vonage_secret,
        "sender": "Brug",
        "base_url": fake.url,
        "deadline": 2.0,
        **overrides,
    }
    return VonageGateway(client, **values)


# --- Twilio ----------------------------------------------------------------------


def test_twilio_gets_a_form_post_with_basic_auth_a_status_callback_and_privacy_fields(fake: FakeGateways) -> None:
    sid = _with_client(lambda client: _twilio(fake, client).send(MESSAGE))

    [request] = fake.sent("twilio")
    assert request.path == f"/2010-04-01/Accounts/{fake.twilio_sid}/Messages.json"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    user, _, password = (
        base64.b64decode(request.headers["Authorization"].removeprefix("Basic ")).decode().partition(":")
    )
    assert (user, password) == (fake.twilio_sid, fake.twilio_token)
    assert request.form == {
        "To": PHONE,
        "From": SENDER,
        "Body": MESSAGE.body,
        "StatusCallback": f"https://notifier.brug.example/api/v1/sms/status/twilio?delivery={'d' * 32}",
        "ContentRetention": "discard",
        "AddressRetention": "obfuscate",
    }
    assert sid == fake.twilio_messages[0]["sid"] and sid.startswith("SM")
    assert fake.twilio_messages[0]["body"] == ""  # Twilio was asked not to keep it


def test_twilio_privacy_fields_can_be_turned_off_for_accounts_without_message_redaction(fake: FakeGateways) -> None:
    _with_client(lambda client: _twilio(fake, client, discard_content=False, obfuscate_address=False).send(MESSAGE))
    form = fake.sent("twilio")[0].form
    assert "ContentRetention" not in form and "AddressRetention" not in form


def test_twilio_refusing_an_invalid_number_is_permanent_and_never_quotes_the_number(fake: FakeGateways) -> None:
    bad = SmsMessage("0612345678", "hello", "k", "d" * 32)
    with pytest.raises(MessageRejected) as refused:
        _with_client(lambda client: _twilio(fake, client).send(bad))
    assert "21211" in str(refused.value) and "twilio.com/docs/errors/21211" in str(refused.value)
    assert "612345678" not in str(refused.value)


def test_twilio_wrong_credentials_hand_over_to_the_next_gateway(fake: FakeGateways) -> None:
    with pytest.raises(GatewayUnavailable) as unavailable:
        _with_client(lambda client: _twilio(fake, client, auth_token="wrong").send(MESSAGE))
    assert not isinstance(unavailable.value, MessageRejected)
    assert "HTTP 401" in str(unavailable.value) and "credentials" in str(unavailable.value)


def test_twilio_429_carries_its_retry_after(fake: FakeGateways) -> None:
    fake.fail("twilio", "rate_limit", retry_after="17")
    with pytest.raises(RateLimited) as limited:
        _with_client(lambda client: _twilio(fake, client).send(MESSAGE))
    assert limited.value.retry_after == 17


def test_twilio_lookup_finds_a_message_sent_since_the_attempt_by_number_and_sender(fake: FakeGateways) -> None:
    since = datetime.now(UTC) - timedelta(seconds=1)

    async def send_then_look(client: httpx.AsyncClient) -> tuple[str, str | None, str | None]:
        twilio = _twilio(fake, client)
        sid = await twilio.send(MESSAGE)
        other = SmsMessage("+31687654321", "x", "k2", "f" * 32)
        return sid, await twilio.lookup(MESSAGE, since), await twilio.lookup(other, since)

    sid, found, other = _with_client(send_then_look)
    assert found == sid
    assert other is None
    lookup = [r for r in fake.requests if r.method == "GET"][0]
    assert lookup.query["To"] == [PHONE] and lookup.query["From"] == [SENDER]


def test_twilio_lookup_ignores_messages_to_the_same_number_from_before_the_attempt(fake: FakeGateways) -> None:
    _with_client(lambda client: _twilio(fake, client).send(MESSAGE))
    fake.twilio_messages[0]["date_created"] = format_datetime(datetime.now(UTC) - timedelta(hours=2), usegmt=True)
    found = _with_client(lambda client: _twilio(fake, client).lookup(MESSAGE, datetime.now(UTC) - timedelta(seconds=5)))
    assert found is None


def test_twilio_lookup_reads_every_page(fake: FakeGateways) -> None:
    since = datetime.now(UTC) - timedelta(seconds=1)

    async def send_many(client: httpx.AsyncClient) -> str | None:
        twilio = _twilio(fake, client)
        for _ in range(3):
            await twilio.send(MESSAGE)
        return await twilio.lookup(MESSAGE, since)

    found = _with_client(send_many)
    assert found is not None
    first_created = fake.twilio_messages[0]
    # the newest come first; make only the oldest ours (on the last page of 100) to force paging
    for record in fake.twilio_messages[1:]:
        record["date_created"] = format_datetime(datetime.now(UTC) - timedelta(hours=3), usegmt=True)
    fake.twilio_messages[1:1] = [dict(fake.twilio_messages[1], sid=f"SMold{i}") for i in range(150)]
    found = _with_client(lambda client: _twilio(fake, client).lookup(MESSAGE, since))
    assert found == first_created["sid"]
    assert len([r for r in fake.requests if r.method == "GET"]) == 1 + 2  # two pages for 153 messages


def test_twilio_lookup_refuses_to_vouch_for_an_absence_once_the_number_may_be_masked(fake: FakeGateways) -> None:
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    with pytest.raises(LookupUnsupported, match="AddressRetention=obfuscate"):
        _with_client(lambda client: _twilio(fake, client).lookup(MESSAGE, long_ago))
    assert [r for r in fake.requests if r.method == "GET"] == []
    kept = _with_client(lambda client: _twilio(fake, client, obfuscate_address=False).lookup(MESSAGE, long_ago))
    assert kept is None  # numbers kept in full: an absence is an absence


# --- Vonage ----------------------------------------------------------------------


def test_vonage_gets_its_form_with_credentials_digits_only_and_unicode_when_needed(fake: FakeGateways) -> None:
    async def both(client: httpx.AsyncClient) -> tuple[str, str]:
        vonage = _vonage(fake, client)
        return await vonage.send(MESSAGE), await vonage.send(ARABIC)

    latin_id, arabic_id = _with_client(both)
    latin, arabic = (r.form for r in fake.sent("vonage"))
    assert fake.sent("vonage")[0].path == "/sms/json"
    assert latin == {
        "api_key": fake.vonage_key,
        "api_secret": fake.vonage_secret,
        "from": "Brug",
        "to": PHONE.removeprefix("+"),
        "text": MESSAGE.body,
        "type": "text",
        "client-ref": "d" * 32,
    }
    assert arabic["type"] == "unicode" and arabic["text"] == ARABIC.body
    assert [m["message-id"] for m in fake.vonage_messages] == [latin_id, arabic_id]


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("3", MessageRejected),
        ("7", MessageRejected),
        ("1", RateLimited),
        ("5", GatewayUnavailable),
        ("9", GatewayUnavailable),
    ],
)
def test_vonage_status_codes_say_whether_to_retry_or_fail_over(fake: FakeGateways, code: str, kind: type) -> None:
    fake.fail("vonage", "vonage_status", code=code)
    with pytest.raises(kind) as raised:
        _with_client(lambda client: _vonage(fake, client).send(MESSAGE))
    assert f"status {code}" in str(raised.value)
    assert raised.value.permanent is (kind is MessageRejected)


def test_vonage_wrong_credentials_hand_over_to_the_next_gateway(fake: FakeGateways) -> None:
    with pytest.raises(GatewayUnavailable) as unavailable:
        _with_client(lambda client: _vonage(fake, client, api_secret="wrong").send(MESSAGE))
    assert "status 4" in str(unavailable.value) and not unavailable.value.permanent


# --- webhook ---------------------------------------------------------------------


def test_the_webhook_posts_signed_json_and_a_repeat_of_the_key_is_taken_once(fake: FakeGateways) -> None:
    async def twice(client: httpx.AsyncClient) -> tuple[str, str]:
        webhook = WebhookGateway(client, url=f"{fake.url}/webhook", secret=fake.webhook_secret, deadline=2.0)
        return await webhook.send(MESSAGE), await webhook.send(MESSAGE)

    first, second = _with_client(twice)
    request = fake.sent("webhook")[0]
    assert request.json() == {"to": PHONE, "body": MESSAGE.body, "idempotency_key": MESSAGE.idempotency_key}
    expected = hmac.new(fake.webhook_secret.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers[SIGNATURE_HEADER] == f"sha256={expected}"
    assert request.headers["Idempotency-Key"] == MESSAGE.idempotency_key
    assert request.headers["Content-Type"] == "application/json"
    assert first == second == fake.webhook_messages[MESSAGE.idempotency_key]["id"]
    assert fake.texts() == 1


def test_the_webhook_keeps_non_latin_text_intact_in_utf8(fake: FakeGateways) -> None:
    _with_client(
        lambda client: WebhookGateway(client, url=f"{fake.url}/webhook", secret=fake.webhook_secret, deadline=2.0).send(
            ARABIC
        )
    )
    assert json.loads(fake.sent("webhook")[0].body.decode("utf-8"))["body"] == ARABIC.body


def test_a_webhook_with_the_wrong_secret_is_refused_for_good(fake: FakeGateways) -> None:
    with pytest.raises(GatewayUnavailable) as refused:
        _with_client(
            lambda client: WebhookGateway(client, url=f"{fake.url}/webhook", secret="x" * 40, deadline=2.0).send(
                MESSAGE
            )
        )
    assert "HTTP 401" in str(refused.value)
    assert fake.webhook_messages == {}


# --- shared HTTP handling ----------------------------------------------------------


def test_retry_after_is_read_as_seconds_or_as_an_http_date() -> None:
    request = httpx.Request("POST", "http://gateway.test")
    assert retry_after(httpx.Response(429, headers={"Retry-After": "30"}, request=request)) == 30
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    assert 85 <= retry_after(httpx.Response(429, headers={"Retry-After": later}, request=request)) <= 90
    assert retry_after(httpx.Response(429, headers={"Retry-After": "soon"}, request=request)) is None
    assert retry_after(httpx.Response(429, request=request)) is None
