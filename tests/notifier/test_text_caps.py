"""Issue 16, item 2b: nobody can turn Brug's SMS into a flood at one phone. Booked many times with one
number (on one session or several), the phone gets at most BRUG_SMS_PER_NUMBER_PER_DAY texts a day and
BRUG_SMS_PER_NUMBER_PER_SESSION about one session; the rest are skipped with the reason, never sent later.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from notifier.deliveries import service
from notifier.deliveries.models import Delivery, DeliveryStatus
from notifier.retention.service import purge
from notifier.textcaps.models import SmsText
from shared.db import is_sqlite, make_engine
from shared.unit_of_work import UnitOfWork
from tests.notifier.support import PHONE, delivery, dispatch, seed, sms_settings
from tests.support.config import Keys
from tests.support.sms_gateways import FakeGateways

#: what the day's cap says when it skips a text (no digit of the number).
PER_DAY = "the number's limit of 6 texts a day (BRUG_SMS_PER_NUMBER_PER_DAY) was reached; not sent"


def flood(engine: Engine, keys: Keys, count: int, *, phone: str = PHONE, prefix: str = "F") -> list[str]:
    """``count`` bookings with one number, each with a confirmation due now; their delivery ids."""
    return [seed(engine, keys, code=f"{prefix}{n:03d}-FLOD", phone=phone) for n in range(count)]


def statuses(engine: Engine, ids: list[str]) -> list[str]:
    return [delivery(engine, i).status for i in ids]


def test_twelve_texts_due_to_one_number_in_a_day_send_six(notifier_db: Engine, keys: Keys, fake: FakeGateways) -> None:
    """Before: all 12 confirmations went out to the one phone (fake.texts() == 12). After: 6 are sent and
    the other 6 skipped with the reason, which names no digit of the number; none is sent later."""
    ids = flood(notifier_db, keys, 12)
    settings = sms_settings(keys, fake)
    dispatch(notifier_db, settings)
    assert fake.texts() == 6
    assert sorted(statuses(notifier_db, ids)) == [DeliveryStatus.SENT] * 6 + [DeliveryStatus.SKIPPED] * 6
    skipped = [delivery(notifier_db, i) for i in ids if delivery(notifier_db, i).status == DeliveryStatus.SKIPPED]
    assert {row.last_error for row in skipped} == {PER_DAY}
    dispatch(notifier_db, settings, rounds=2)
    assert fake.texts() == 6


def test_the_session_cap_holds_when_the_day_allows_more(notifier_db: Engine, keys: Keys, fake: FakeGateways) -> None:
    """Before: 12 of 12 went out. After, with 20 a day allowed: 10 about this session, 2 skipped."""
    ids = flood(notifier_db, keys, 12)
    dispatch(notifier_db, sms_settings(keys, fake, sms_per_number_per_day=20))
    assert fake.texts() == 10
    skipped = [delivery(notifier_db, i) for i in ids if delivery(notifier_db, i).status == DeliveryStatus.SKIPPED]
    assert [row.last_error for row in skipped] == [
        "the number's limit of 10 texts about one session (BRUG_SMS_PER_NUMBER_PER_SESSION) was reached; not sent"
    ] * 2


def test_other_numbers_are_not_held_back_and_zero_turns_a_cap_off(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    """The flood at one phone costs no one else a text; 0 in both settings sends all of it."""
    flood(notifier_db, keys, 8)
    other = seed(notifier_db, keys, code="K7QF-93XA", phone="+31612345679")
    dispatch(notifier_db, sms_settings(keys, fake))
    assert fake.texts() == 7 and delivery(notifier_db, other).status == DeliveryStatus.SENT
    flood(notifier_db, keys, 4, prefix="G")
    dispatch(notifier_db, sms_settings(keys, fake, sms_per_number_per_day=0, sms_per_number_per_session=0))
    assert fake.texts() == 11


def test_a_retried_text_counts_once(notifier_db: Engine, keys: Keys, fake: FakeGateways) -> None:
    """A text whose first call failed is tried again under the place it already holds: with 6 texts of
    the day's 6 counted, the retry still goes, and the count stays at 6 rows."""
    ids = flood(notifier_db, keys, 6)
    fake.fail("twilio", "status", status=503)
    settings = sms_settings(keys, fake, gateways="twilio")
    dispatch(notifier_db, settings)
    retried = [i for i in ids if delivery(notifier_db, i).status == DeliveryStatus.PENDING]
    assert len(retried) == 1 and fake.texts() == 5
    with UnitOfWork(notifier_db) as db:
        row = db.get(Delivery, retried[0])
        assert row is not None
        row.due_at = datetime.now(UTC) - timedelta(seconds=1)
        db.add(row)
    dispatch(notifier_db, settings)
    assert fake.texts() == 6 and statuses(notifier_db, ids) == [DeliveryStatus.SENT] * 6
    with UnitOfWork(notifier_db, read_only=True) as db:
        assert len(db.exec(select(SmsText)).all()) == 6


def test_the_count_is_forgotten_a_day_on_once_the_session_is_purged(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    """The rows name a keyed hash of the number, the session and a time, no more, and are kept no longer
    than a cap needs them: a day, and the session's retention period."""
    flood(notifier_db, keys, 2)
    dispatch(notifier_db, sms_settings(keys, fake))
    with UnitOfWork(notifier_db, read_only=True) as db:
        rows = db.exec(select(SmsText)).all()
    assert len(rows) == 2 and all(PHONE[-6:] not in row.number_hash for row in rows)
    now = rows[0].sent_at + timedelta(days=1, seconds=1)
    purge(notifier_db, days=3650, now=now)  # a day on, the session is kept: its cap still counts them
    with UnitOfWork(notifier_db, read_only=True) as db:
        assert len(db.exec(select(SmsText)).all()) == 2
    purge(notifier_db, days=0, now=now + timedelta(days=40))  # the session's retention has run
    with UnitOfWork(notifier_db, read_only=True) as db:
        assert db.exec(select(SmsText)).all() == []


@pytest.fixture
def impatient(notifier_db: Engine) -> Engine:
    """A second engine on the test's database (a second notifier) that gives up at once on a lock."""
    other = make_engine(str(notifier_db.url.render_as_string(hide_password=False)))

    @event.listens_for(other, "connect")
    def _no_waiting(dbapi_connection: object, _record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("PRAGMA busy_timeout=0" if is_sqlite(other) else "SET lock_timeout = '200ms'")
        cursor.close()

    yield other
    other.dispose()


def test_two_notifiers_cannot_both_take_a_numbers_last_place(
    notifier_db: Engine, impatient: Engine, keys: Keys, fake: FakeGateways
) -> None:
    """Before (PostgreSQL): with one place left, a second notifier counted while the first had not yet
    committed its text, and both went out. After: the second waits for the first's count (here it gives
    up instead, so the test need not wait); SQLite lets one writer in at a time anyway."""
    first, second = flood(notifier_db, keys, 2)
    settings = sms_settings(keys, fake, sms_per_number_per_day=1)
    claims = service.claim_due(notifier_db, lease_seconds=60, limit=10)
    by_id = {claim.delivery_id: claim for claim in claims}
    with UnitOfWork(notifier_db) as db:
        assert service.prepare_in(db, by_id[first], settings, attempt_at="twilio") is not None
        with pytest.raises(OperationalError), UnitOfWork(impatient) as other:
            service.prepare_in(other, by_id[second], settings, attempt_at="twilio")
    with UnitOfWork(notifier_db) as db:
        assert service.prepare_in(db, by_id[second], settings, attempt_at="twilio") is None
    assert delivery(notifier_db, second).last_error == (
        "the number's limit of 1 texts a day (BRUG_SMS_PER_NUMBER_PER_DAY) was reached; not sent"
    )
