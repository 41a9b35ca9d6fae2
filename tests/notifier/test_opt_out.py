"""STOP opts a number out, START opts it back in; an opted-out number is never texted, nor stored readably."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, text
from sqlmodel import select

from notifier.optouts.models import OptOut
from notifier.optouts.service import is_opted_out, keyword, number_hash, opt_in, opt_out
from shared.unit_of_work import UnitOfWork
from tests.notifier.support import INBOUND, PHONE, SENDER, delivery, events, seed, text_in, twilio_post
from tests.support.config import Keys
from tests.support.servers import ThreadedServer, wait_until
from tests.support.sms_gateways import FakeGateways


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("STOP", "stop"),
        ("stop", "stop"),
        (" Stop. ", "stop"),
        ("STOPALL", "stop"),
        ("stop all", "stop"),
        ("UNSUBSCRIBE", "stop"),
        ("cancel", "stop"),
        ("END", "stop"),
        ("quit", "stop"),
        ("Afmelden", "stop"),
        ("stop please, wrong number", "stop"),
        ("START", "start"),
        ("unstop", "start"),
        ("start sending again", None),  # opting back in must be deliberate
        ("Hello, is this the meeting?", None),
        ("", None),
        ("don't stop", None),
    ],
)
def test_stop_words_and_start_words(body: str, expected: str | None) -> None:
    assert keyword(body) == expected


def test_a_number_is_the_same_number_however_it_is_written(notifier_db: Engine, keys: Keys) -> None:
    with UnitOfWork(notifier_db) as db:
        opt_out(db, keys.optout_key, "06 12345678")
    with UnitOfWork(notifier_db) as db:
        assert is_opted_out(db, keys.optout_key, PHONE)
        assert is_opted_out(db, keys.optout_key, "+31 (0)6-1234 5678")
        assert not is_opted_out(db, keys.optout_key, "+31687654321")
        opt_in(db, keys.optout_key, "0031612345678")
    with UnitOfWork(notifier_db) as db:
        assert not is_opted_out(db, keys.optout_key, PHONE)


def test_stop_by_sms_keeps_every_later_message_from_that_number(
    notifier_server: ThreadedServer, notifier: httpx.Client, engine: Engine, keys: Keys, fake: FakeGateways
) -> None:
    response = text_in(notifier, fake, "STOP")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert "<Message>" not in response.text and response.text.endswith("<Response></Response>")

    delivery_id = seed(engine, keys)
    wait_until(lambda: delivery(engine, delivery_id).status == "skipped", message="the delivery to be skipped")
    assert fake.sent() == [] and fake.texts() == 0
    assert [e["status"] for e in events(engine)] == ["skipped"]
    assert "opted out" in (delivery(engine, delivery_id).last_error or "")


def test_start_opts_back_in(
    notifier_server: ThreadedServer, notifier: httpx.Client, engine: Engine, keys: Keys, fake: FakeGateways
) -> None:
    assert text_in(notifier, fake, "stop").status_code == 200
    assert text_in(notifier, fake, "START").status_code == 200
    with UnitOfWork(engine) as db:
        assert db.exec(select(OptOut)).all() == []

    delivery_id = seed(engine, keys)
    wait_until(lambda: delivery(engine, delivery_id).status == "sent", message="the SMS to go out")
    assert fake.texts() == 1


def test_an_unsigned_stop_changes_nothing(
    notifier_server: ThreadedServer, notifier: httpx.Client, engine: Engine, fake: FakeGateways
) -> None:
    params = {"From": PHONE, "To": SENDER, "Body": "STOP", "MessageSid": "SM" + "f" * 32}
    assert twilio_post(notifier, INBOUND, params, fake.twilio_token, signature="").status_code == 403
    assert twilio_post(notifier, INBOUND, params, "someone-else's-token").status_code == 403
    with UnitOfWork(engine) as db:
        assert db.exec(select(OptOut)).all() == []


def test_nothing_readable_is_stored_for_an_opt_out(
    notifier_server: ThreadedServer,
    notifier: httpx.Client,
    engine: Engine,
    keys: Keys,
    fake: FakeGateways,
    backend: str,
    tmp_path: Path,
) -> None:
    assert text_in(notifier, fake, "STOP please").status_code == 200
    with UnitOfWork(engine) as db:
        [row] = db.exec(select(OptOut)).all()
        stored = " ".join(str(v) for v in db.exec(text("SELECT * FROM sms_opt_out")).one())  # type: ignore[call-overload]
    assert row.number_hash == number_hash(keys.optout_key, PHONE)
    assert row.number_hash != hashlib.sha256(PHONE.encode()).hexdigest()  # keyed: a list of numbers cannot be checked
    assert row.number_hash != number_hash("another key of at least thirty-two characters", PHONE)
    assert "612345678" not in stored and "1234 5678" not in stored
    if backend == "sqlite":  # the whole file, journal included: no trace of the number or the text
        raw = b"".join(p.read_bytes() for p in tmp_path.glob("test.db*"))
        assert len(raw) > 10_000  # the database and its WAL were read
        assert b"612345678" not in raw and b"STOP please" not in raw
