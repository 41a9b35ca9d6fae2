"""The unit of work's two entry points commit or roll back, and wake the relay only after a commit that
recorded an event (group commit itself: tests/shared/test_group_commit.py)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from shared import outbox
from shared.events import SessionCancelled
from shared.tables import OutboxMessage
from shared.unit_of_work import SessionDep, UnitOfWork
from tests.support.probe import prepare_probe_tables


class FakeRelay:
    def __init__(self) -> None:
        self.woken = 0

    def wake(self) -> None:
        self.woken += 1


def _record(db: Session) -> str:
    return outbox.record(db, SessionCancelled(session_id="s1"), producer="test").id


def _events(engine: Engine) -> int:
    with UnitOfWork(engine, read_only=True) as db:
        return int(db.exec(select(func.count()).select_from(OutboxMessage)).one())


def test_a_background_unit_commits_and_wakes_its_relay_only_when_it_recorded_an_event(engine: Engine) -> None:
    engine = prepare_probe_tables(engine)
    relay = FakeRelay()
    with UnitOfWork(engine, relay=relay) as db:  # type: ignore[arg-type]  # a relay that counts its wake-ups
        db.exec(select(OutboxMessage)).all()
    assert relay.woken == 0

    with UnitOfWork(engine, relay=relay) as db:  # type: ignore[arg-type]
        _record(db)
    assert (relay.woken, _events(engine)) == (1, 1)

    with pytest.raises(RuntimeError), UnitOfWork(engine, relay=relay) as db:  # type: ignore[arg-type]
        _record(db)
        raise RuntimeError("rolled back")
    assert (relay.woken, _events(engine)) == (1, 1)


def test_run_commits_before_it_returns_and_wakes_the_relay(engine: Engine) -> None:
    engine = prepare_probe_tables(engine)
    relay = FakeRelay()

    async def scenario() -> list[str]:
        unit = UnitOfWork(engine, relay=relay)  # type: ignore[arg-type]
        return await asyncio.gather(*(unit.run(_record) for _ in range(5)))

    ids = asyncio.run(scenario())
    assert len(set(ids)) == 5
    assert _events(engine) == 5
    assert relay.woken >= 1  # once per transaction that recorded one: on SQLite the five may share one


def test_a_requests_unit_commits_before_the_response_and_reads_only_for_a_get(engine: Engine) -> None:
    engine = prepare_probe_tables(engine)
    relay = FakeRelay()
    app = FastAPI()
    app.state.runtime = SimpleNamespace(engine=engine, relay=relay)

    @app.post("/events")
    def record(db: SessionDep) -> str:
        return _record(db)

    @app.get("/events")
    def count(db: SessionDep) -> int:
        return int(db.exec(select(func.count()).where(col(OutboxMessage.sent_at).is_(None))).one())

    @app.post("/fail")
    def fail(db: SessionDep) -> None:
        _record(db)
        raise RuntimeError("rolled back")

    async def requests() -> None:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert (await client.post("/events")).status_code == 200
            assert (await client.get("/events")).json() == 1
            assert relay.woken == 1
            assert (await client.post("/fail")).status_code == 500
            assert (await client.get("/events")).json() == 1

    asyncio.run(requests())
    assert relay.woken == 1
