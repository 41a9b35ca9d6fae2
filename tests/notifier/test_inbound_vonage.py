"""A STOP texted to Brug's Vonage number is heard (issue 16, item 5): the SMS API's inbound webhook."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine

from notifier.optouts.service import number_hash
from shared.natsserver import NatsServer
from tests.notifier.inbound import VONAGE_SECRET, opt_outs, served_for_inbound, vonage_params
from tests.notifier.support import PHONE, delivery, seed
from tests.support.config import Keys
from tests.support.servers import wait_until
from tests.support.sms_gateways import FakeGateways

URL = "/api/v1/sms/inbound/vonage"
MSISDN = PHONE.lstrip("+")


@pytest.fixture
def client(nats: NatsServer, database_url: str, keys: Keys, fake: FakeGateways) -> Iterator[httpx.Client]:
    yield from served_for_inbound(nats.url, database_url, keys, fake)


def test_a_stop_through_vonage_keeps_every_later_text_from_that_number(
    client: httpx.Client, engine: Engine, keys: Keys, fake: FakeGateways
) -> None:
    """The attack: an Arabic speaker texts توقف to Brug's Vonage number, then is due a reminder.

    Before (at 1bd87c3): Vonage had no inbound route (POST /api/v1/sms/inbound/vonage: 404) and the
    reminder was texted (delivery ``sent``, 1 text). After: 204, the number's keyed hash is stored
    (as +31..., though Vonage writes it without ``+``), the reminder is skipped, no text is sent.
    """
    response = client.post(URL, data=vonage_params(MSISDN, "توقف من فضلك"))
    assert response.status_code == 204 and response.content == b""  # no reply is sent
    assert opt_outs(engine) == [number_hash(keys.optout_key, PHONE)]

    delivery_id = seed(engine, keys, locale="ar")
    wait_until(lambda: delivery(engine, delivery_id).status == "skipped", message="the reminder to be skipped")
    assert fake.texts() == 0


@pytest.mark.parametrize("method", ["md5hash", "md5", "sha1", "sha256", "sha512"])
def test_every_signature_method_vonage_offers(
    nats: NatsServer, database_url: str, engine: Engine, keys: Keys, fake: FakeGateways, method: str
) -> None:
    for client in served_for_inbound(nats.url, database_url, keys, fake, vonage_signature_method=method):
        assert client.post(URL, data=vonage_params(MSISDN, "СТОП", method=method)).status_code == 204
        other = "sha256" if method != "sha256" else "md5hash"  # the dashboard's method must be the one set
        assert client.post(URL, data=vonage_params("31687654321", "СТОП", method=other)).status_code == 403
    assert opt_outs(engine) == [number_hash(keys.optout_key, PHONE)]


def test_get_and_json_posts_are_read_too(client: httpx.Client, engine: Engine, keys: Keys) -> None:
    """Vonage's dashboard offers GET, POST and POST-JSON for the inbound webhook."""
    assert client.get(URL, params=vonage_params("31611111111", "ARRÊT")).status_code == 204
    assert client.post(URL, json=vonage_params("31622222222", "DUR")).status_code == 204
    expected = {number_hash(keys.optout_key, n) for n in ("+31611111111", "+31622222222")}
    assert set(opt_outs(engine)) == expected


@pytest.mark.parametrize(
    ("params", "why"),
    [
        (vonage_params(MSISDN, "STOP", secret=None), "no sig at all"),
        (vonage_params(MSISDN, "STOP", secret="someone else's secret, 32 chars.."), "signed under another secret"),
        ({**vonage_params(MSISDN, "hello"), "text": "STOP"}, "the text changed after signing"),
        ({**vonage_params("31687654321", "STOP"), "msisdn": MSISDN}, "the sender changed after signing"),
        ({**vonage_params(MSISDN, "STOP"), "sig": ""}, "an empty sig"),
    ],
)
def test_anything_vonage_did_not_sign_is_refused(
    client: httpx.Client, engine: Engine, params: dict[str, str], why: str
) -> None:
    """Before: no route at all (404). After: 403 naming what to check, and nothing is recorded."""
    response = client.post(URL, data=params)
    assert response.status_code == 403, why
    assert response.json()["error"] == "SignatureRejected"
    assert opt_outs(engine) == []


def test_refused_while_no_signature_secret_is_set(notifier: httpx.Client, engine: Engine) -> None:
    """Without BRUG_VONAGE_SIGNATURE_SECRET nothing can be checked, so nothing is taken."""
    response = notifier.post(URL, data=vonage_params(MSISDN, "STOP"))
    assert response.status_code == 403
    assert "BRUG_VONAGE_SIGNATURE_SECRET" in response.json()["detail"]
    assert opt_outs(engine) == []


def test_start_opts_back_in_only_while_fresh(client: httpx.Client, engine: Engine) -> None:
    """A signed START replayed after a later STOP must not undo it; a retried old STOP still counts."""
    hour_ago = time.time() - 3600
    assert client.post(URL, data=vonage_params(MSISDN, "STOP", timestamp=hour_ago)).status_code == 204
    assert len(opt_outs(engine)) == 1
    assert client.post(URL, data=vonage_params(MSISDN, "START", timestamp=hour_ago)).status_code == 204
    assert len(opt_outs(engine)) == 1
    assert client.post(URL, data=vonage_params(MSISDN, "شروع")).status_code == 204
    assert opt_outs(engine) == []


def test_only_the_first_part_of_a_long_text_is_read(client: httpx.Client, engine: Engine) -> None:
    """A stop word must start the text; the second part of a long one does not start it."""
    later = {"concat": "true", "concat-ref": "7", "concat-total": "2", "concat-part": "2"}
    assert client.post(URL, data=vonage_params(MSISDN, "stop ...", **later)).status_code == 204
    assert opt_outs(engine) == []
    first = {**later, "concat-part": "1"}
    assert client.post(URL, data=vonage_params(MSISDN, "jooji fadlan, ", **first)).status_code == 204
    assert len(opt_outs(engine)) == 1


def test_ampersands_and_equals_signs_are_signed_as_underscores(client: httpx.Client, engine: Engine) -> None:
    """As Vonage's guide says; a text holding them is still Vonage's, and still heard."""
    params = vonage_params(MSISDN, "stop & go = now")
    assert VONAGE_SECRET not in str(params)
    assert client.post(URL, data=params).status_code == 204
    assert len(opt_outs(engine)) == 1
