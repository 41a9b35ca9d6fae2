"""An erasure reaches the notifier's dead letters: a dead-lettered confirmation keeps the sealed contact,
so the notifier drops that kept event when the booking is erased, and no replay can bring it back."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from shared.auth import Principal
from shared.dead_letters import service as dead_letters
from shared.events import BookingConfirmed, BookingErased, Envelope
from shared.sealing import seal
from shared.tables import DeadLetter
from shared.unit_of_work import UnitOfWork
from tests.notifier.events import apply, base_settings
from tests.support.config import Keys


def _letter(engine: Engine, keys: Keys, code: str) -> None:
    """A confirmation the notifier's consumer gave up on, as it records one."""
    sealed = seal(keys.public, {"phone": "+31612345678"})
    event = BookingConfirmed(booking_code=code, session_id="s1", locale="nl", sealed_contact=sealed, channels=["sms"])
    envelope = Envelope.wrap(event, producer="scheduler")
    with UnitOfWork(engine) as db:
        db.add(
            DeadLetter(
                consumer="notifier",
                stream="SCHEDULING",
                stream_seq=1,
                subject=envelope.subject,
                event_id=envelope.id,
                reason="failed 5 times; last error OperationalError: database is locked",
                body=envelope.to_json().decode(),
            )
        )


def test_erasing_a_booking_drops_the_kept_events_about_it_and_keeps_the_others(notifier_db: Engine, keys: Keys) -> None:
    _letter(notifier_db, keys, "ERAS-ED22")
    _letter(notifier_db, keys, "KEPT-2345")
    apply(notifier_db, base_settings(keys), BookingErased(booking_code="ERAS-ED22", session_id="s1"))
    with UnitOfWork(notifier_db) as db:
        erased, other = db.exec(select(DeadLetter).order_by(DeadLetter.id)).all()  # both stay: something failed
    assert erased.body is None and erased.id is not None
    assert other.body is not None and "KEPT-2345" in other.body
    with pytest.raises(dead_letters.NotReplayable, match="kept no event"), UnitOfWork(notifier_db) as db:
        dead_letters.replay(db, [], erased.id, Principal(user_id="c1", role="coordinator"))
