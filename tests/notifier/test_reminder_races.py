"""A promotion and a reschedule of the same session handled at the same moment, as two notifier
replicas do on PostgreSQL: the promoted booking ends up with reminders for the new time only.

Found by the chaos suite's scaled variant (seed 2): one booking promoted while its session was
rescheduled got two reminders, one per revision, by SMS and by e-mail. Each handler here runs in
its own transaction in its own thread; the first is held open until the second has started.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from notifier.settings import NotifierSettings
from shared.events import BookingConfirmed, BookingWaitlisted, Payload, SessionRescheduled
from shared.sealing import seal
from shared.unit_of_work import UnitOfWork
from tests.notifier.events import apply, base_settings, confirm, handle, planned, publish
from tests.support.config import Keys

STARTS = (datetime.now(UTC) + timedelta(days=7)).replace(hour=14, minute=0, second=0, microsecond=0)
LATER = STARTS + timedelta(days=1)
CODE = "WAIT-0001"


@contextmanager
def held_open(engine: Engine, settings: NotifierSettings, payload: Payload) -> Iterator[None]:
    """Handle ``payload`` in a transaction of its own thread, and commit it only on leaving."""
    handled, release, failed = threading.Event(), threading.Event(), []

    def run() -> None:
        try:
            with UnitOfWork(engine) as db:
                handle(db, settings, payload)
                handled.set()
                release.wait(30)
        except BaseException as error:  # noqa: BLE001 - handed to the test below
            failed.append(error)
            handled.set()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert handled.wait(30), "the first handler did not finish within 30 s"
        yield
    finally:
        release.set()
        thread.join(30)
    assert not failed, failed


def _in_thread(
    engine: Engine, settings: NotifierSettings, payload: Payload
) -> tuple[threading.Thread, list[BaseException]]:
    failed: list[BaseException] = []

    def run() -> None:
        try:
            apply(engine, settings, payload)
        except BaseException as error:  # noqa: BLE001 - handed to the test below
            failed.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, failed


@pytest.mark.parametrize("first", ["promotion", "reschedule"])
def test_a_promotion_during_a_reschedule_gets_the_new_reminders_only(
    notifier_db: Engine, keys: Keys, first: str
) -> None:
    settings = base_settings(keys, quiet_hours="")
    publish(notifier_db, settings, STARTS)
    confirm(notifier_db, settings, keys, "SEAT-0001")  # already booked: the reschedule re-plans it
    contact = seal(keys.public, {"phone": "+31612345679"})
    apply(
        notifier_db,
        settings,
        BookingWaitlisted(
            booking_code=CODE, session_id="s1", position=1, locale="en", sealed_contact=contact, channels=["sms"]
        ),
    )
    promoted = BookingConfirmed(
        booking_code=CODE, session_id="s1", locale="en", sealed_contact=contact, channels=["sms"], promoted=True
    )
    moved = SessionRescheduled(
        session_id="s1",
        revision=2,
        venue_public_name="Keizersgracht 12",
        address="Keizersgracht 12",
        starts_at=LATER,
        ends_at=LATER + timedelta(hours=2),
        timezone="Europe/Amsterdam",
    )
    one, other = (promoted, moved) if first == "promotion" else (moved, promoted)
    with held_open(notifier_db, settings, one):
        second, failed = _in_thread(notifier_db, settings, other)
        second.join(1)  # it may wait for the first one's lock; that is the point
    second.join(30)
    assert not second.is_alive() and not failed, failed

    new_times = [LATER - timedelta(hours=24), LATER - timedelta(hours=2)]
    assert [r.due_at for r in planned(notifier_db, kind="reminder", booking_code=CODE)] == new_times
    assert [r.due_at for r in planned(notifier_db, kind="reminder", booking_code="SEAT-0001")] == new_times
