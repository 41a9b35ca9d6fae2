"""Nicknames and sealed contacts are deleted BRUG_NICKNAME_RETENTION_DAYS after their session; the
bookings stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, text

from scheduler.app import create_app
from scheduler.retention.service import blank_nicknames
from shared.natsserver import NatsServer
from shared.unit_of_work import UnitOfWork
from tests.support.clock import EARLY_2026, set_clock
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD, Keys, scheduler_settings
from tests.support.factories import book, make_session, signed_in
from tests.support.servers import ThreadedServer, wait_until


def _nicknames(engine: Engine) -> dict[str, str | None]:
    with engine.connect() as connection:
        return dict(connection.execute(text("SELECT code, nickname FROM booking")).all())  # type: ignore[arg-type]


def test_nicknames_go_the_set_number_of_days_after_the_session_ends(
    scheduler: httpx.Client, scheduler_server: ThreadedServer, engine: Engine
) -> None:
    set_clock(scheduler_server.app, EARLY_2026)  # booked before these fixed dates (tests/support/clock.py)
    early = make_session(scheduler, starts_at="2026-12-01T10:00:00+01:00", ends_at="2026-12-01T12:00:00+01:00")
    late = make_session(scheduler, starts_at="2026-12-05T10:00:00+01:00", ends_at="2026-12-05T12:00:00+01:00")
    first = book(scheduler, early["id"], nickname="Amal", phone="0612345678")
    cancelled = book(scheduler, early["id"], nickname="Sara")
    scheduler.post(f"/api/v1/bookings/{cancelled['code']}/cancel", params={"token": cancelled["manage_token"]})
    second = book(scheduler, late["id"], nickname="Noor", email="noor@example.org")
    ended = datetime(2026, 12, 1, 11, tzinfo=UTC)  # 12:00 in Amsterdam
    with UnitOfWork(engine) as db:
        assert blank_nicknames(db, now=ended + timedelta(days=7), days=7) == 0  # exactly 7 days: not yet
    with UnitOfWork(engine) as db:
        assert blank_nicknames(db, now=ended + timedelta(days=7, seconds=1), days=7) == 2
    assert _nicknames(engine) == {first["code"]: None, cancelled["code"]: None, second["code"]: "Noor"}
    with engine.connect() as connection:
        sealed = dict(connection.execute(text("SELECT code, sealed_contact FROM booking")).all())  # type: ignore[arg-type]
    assert sealed[first["code"]] is None and sealed[second["code"]] is not None  # the later session's is still needed
    with UnitOfWork(engine) as db:
        assert blank_nicknames(db, now=ended + timedelta(days=30), days=7) == 1
        assert blank_nicknames(db, now=ended + timedelta(days=30), days=7) == 0
    assert set(_nicknames(engine).values()) == {None}
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM booking WHERE sealed_contact IS NOT NULL")).scalar() == 0
    shown = scheduler.get(f"/api/v1/bookings/{first['code']}", params={"token": first["manage_token"]})
    assert shown.status_code == 200 and shown.json()["status"] == "confirmed"  # the booking itself stays


def test_the_worker_deletes_due_nicknames_in_the_background(
    nats: NatsServer, database_url: str, keys: Keys, engine: Engine
) -> None:
    settings = scheduler_settings(nats.url, database_url, keys, nickname_retention_days=1, nickname_check_seconds=0.05)
    ended = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1, hours=1)
    with ThreadedServer(create_app(settings)) as server, server.client() as client:
        coordinator = signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        set_clock(server.app, ended - timedelta(hours=3))  # planned and booked before it ran
        past = make_session(coordinator, starts_at=(ended - timedelta(hours=2)).isoformat(), ends_at=ended.isoformat())
        gone = book(coordinator, past["id"], nickname="Amal")
        set_clock(server.app, datetime.now(UTC))
        upcoming = make_session(coordinator)
        kept = book(coordinator, upcoming["id"], nickname="Noor")
        wait_until(lambda: _nicknames(engine)[gone["code"]] is None, message="the worker to delete the nickname")
    assert _nicknames(engine)[kept["code"]] == "Noor"


@pytest.mark.parametrize(("field", "value"), [("nickname_retention_days", -1), ("nickname_check_seconds", 0)])
def test_retention_settings_out_of_range_stop_start_up_naming_the_setting(keys: Keys, field: str, value: float) -> None:
    with pytest.raises(ValidationError, match=field):
        scheduler_settings("nats://127.0.0.1:1", "sqlite://", keys, **{field: value})
