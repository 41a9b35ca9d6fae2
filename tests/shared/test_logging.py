"""Logs never print a phone number or an e-mail address."""

from __future__ import annotations

import io
import json
import logging

import pytest
import structlog

from shared.logging import configure_logging
from shared.redaction import scrub


@pytest.fixture
def log_lines() -> io.StringIO:
    buffer = io.StringIO()
    configure_logging("test", stream=buffer)
    return buffer


def _records(buffer: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_personal_keys_and_embedded_contacts_are_masked(log_lines: io.StringIO) -> None:
    structlog.get_logger("t").info(
        "notifier.sms.sent",
        phone="+31612345678",
        email="amal@example.org",
        detail="retry for 06-12345678 or amal@example.org",
        nested={"note": "+44 7911 123456"},
    )
    record = _records(log_lines)[0]
    text = json.dumps(record)
    for secret in ("612345678", "amal@example.org", "7911"):
        assert secret not in text
    assert record["phone"] == "[redacted]"
    assert record["detail"] == "retry for [phone] or [email]"
    assert record["event"] == "notifier.sms.sent"
    assert record["service"] == "test"


def test_percent_encoded_contacts_in_urls_are_masked(log_lines: io.StringIO) -> None:
    logging.getLogger("httpx").warning("GET https://api.example/Messages.json?To=%2B31612345678&From=Brug")
    logging.getLogger("httpx").warning("POST /subscribe?email=amal%40example.org")
    text = log_lines.getvalue()
    assert "612345678" not in text and "amal" not in text


def test_third_party_log_lines_are_masked_too(log_lines: io.StringIO) -> None:
    logging.getLogger("uvicorn.error").warning("could not deliver to 0031 6 1234 5678")
    assert _records(log_lines)[0]["event"] == "could not deliver to [phone]"


@pytest.mark.parametrize(
    "harmless",
    [
        "2026-12-03T14:00:00+01:00",
        "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "seq 1234567890",
        "room 12345678",
        "session 2026-11-28 14:00-16:00",
    ],
)
def test_dates_ids_and_counts_are_left_alone(harmless: str) -> None:
    assert scrub(harmless) == harmless
