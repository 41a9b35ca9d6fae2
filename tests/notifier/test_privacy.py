"""No phone number reaches the logs, whatever the gateways answer."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine

from shared.logging import configure_logging
from tests.notifier.support import PHONE, PUBLIC_URL, SENDER, delivery, seed, twilio_post
from tests.support.config import Keys
from tests.support.servers import ThreadedServer, wait_until
from tests.support.sms_gateways import UNKNOWN_TO_TWILIO, FakeGateways


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    buffer = io.StringIO()
    configure_logging("notifier", level="DEBUG", stream=buffer)
    yield buffer


def test_sending_failing_opting_out_and_callbacks_log_no_number(
    log_lines: io.StringIO,
    notifier_server: ThreadedServer,
    notifier: httpx.Client,
    engine: Engine,
    keys: Keys,
    fake: FakeGateways,
) -> None:
    fake.fail("twilio", "status", status=500)
    fake.fail("twilio", "hang", seconds=2)
    refused = seed(engine, keys, code="BAD1-NUMB", phone=UNKNOWN_TO_TWILIO)  # Twilio quotes it back in its error
    retried = seed(engine, keys, code="K7QF-93XA")
    wait_until(lambda: delivery(engine, refused).status == "failed", message="the refusal")
    wait_until(
        lambda: delivery(engine, retried).in_doubt or delivery(engine, retried).status == "sent", message="a try"
    )

    inbound = {"From": PHONE, "To": SENDER, "Body": "STOP", "MessageSid": "SM" + "1" * 32}
    assert (
        twilio_post(notifier, f"{PUBLIC_URL}/api/v1/sms/inbound/twilio", inbound, fake.twilio_token).status_code == 200
    )
    callback = f"{PUBLIC_URL}/api/v1/sms/status/twilio?delivery={retried}"
    status = {"MessageSid": "SM" + "2" * 32, "MessageStatus": "failed", "To": PHONE, "ErrorCode": "30003"}
    twilio_post(notifier, callback, status, fake.twilio_token)

    logs = log_lines.getvalue()
    assert "notifier.sms.refused" in logs and "notifier.sms.inbound" in logs  # the events were logged...
    for trace in ("612345678", "1234 5678", "12345678", "%2B316", "619999999", "9999 9999"):
        assert trace not in logs, trace  # ...without the number in any form
