"""Group commit (UnitOfWork.run on SQLite): writers queued together share a transaction, but not each other's failures."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text
from sqlmodel import Session

from shared import group_commit
from shared.context import correlation_id, current_correlation_id
from shared.db import make_engine
from shared.unit_of_work import UnitOfWork


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'group_commit.db'}")
    with UnitOfWork(engine) as db:
        db.execute(text("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
        db.execute(
            text(
                "CREATE TABLE row (id INTEGER PRIMARY KEY, parent INTEGER"
                " REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)"
            )
        )
        db.execute(text("INSERT INTO parent (id) VALUES (1)"))
    return engine


def _commits(engine: Engine) -> list[int]:
    seen: list[int] = []
    event.listen(engine, "commit", lambda _connection: seen.append(1))
    return seen


def _insert(number: int, parent: int = 1) -> group_commit.Work:
    def work(db: Session) -> int:
        db.execute(text("INSERT INTO row (id, parent) VALUES (:id, :parent)"), {"id": number, "parent": parent})
        if number == 7:
            raise ValueError("seven is refused after its insert")
        return number * 10

    return work


def _rows(engine: Engine) -> list[int]:
    with UnitOfWork(engine, read_only=True) as db:
        return [row[0] for row in db.execute(text("SELECT id FROM row ORDER BY id"))]


async def _submit_all(engine: Engine, works: list[group_commit.Work]) -> list[object]:
    return await asyncio.gather(*(UnitOfWork(engine).run(work) for work in works), return_exceptions=True)


def test_writers_queued_together_share_one_commit_and_one_failure_is_rolled_back_alone(
    sqlite_engine: Engine,
) -> None:
    commits = _commits(sqlite_engine)
    outcomes = asyncio.run(_submit_all(sqlite_engine, [_insert(n) for n in range(1, 21)]))

    assert isinstance(outcomes[6], ValueError)
    assert [o for i, o in enumerate(outcomes) if i != 6] == [n * 10 for n in range(1, 21) if n != 7]
    assert _rows(sqlite_engine) == [n for n in range(1, 21) if n != 7]
    assert len(commits) < 20, "twenty writers queued at once took a transaction each"


def test_a_commit_that_fails_fails_every_writer_in_it_and_writes_nothing(sqlite_engine: Engine) -> None:
    # An orphan row breaks a deferred foreign key, which SQLite checks only at COMMIT.
    works = [_insert(1), _insert(2, parent=99), _insert(3)]
    outcomes = asyncio.run(_submit_all(sqlite_engine, works))

    assert all(isinstance(outcome, Exception) and "FOREIGN KEY" in str(outcome) for outcome in outcomes), outcomes
    assert _rows(sqlite_engine) == []
    # The queue goes on: the next writer is committed.
    assert asyncio.run(_submit_all(sqlite_engine, [_insert(4)])) == [40]
    assert _rows(sqlite_engine) == [4]


def test_more_writers_than_a_batch_are_all_committed(sqlite_engine: Engine) -> None:
    count = group_commit.BATCH_LIMIT * 2 + 5
    outcomes = asyncio.run(_submit_all(sqlite_engine, [_insert(n) for n in range(100, 100 + count)]))

    assert outcomes == [n * 10 for n in range(100, 100 + count)]
    assert len(_rows(sqlite_engine)) == count


def test_each_writer_runs_in_its_callers_context(sqlite_engine: Engine) -> None:
    """The events a registration records carry its own request's correlation id, not the batch's first."""

    async def as_request(cid: str) -> str:
        correlation_id.set(cid)  # in this task's own context, as the access-log middleware does
        return await UnitOfWork(sqlite_engine).run(lambda _db: current_correlation_id())

    async def requests() -> list[str]:
        return await asyncio.gather(*(as_request(f"request-{n}") for n in range(12)))

    assert asyncio.run(requests()) == [f"request-{n}" for n in range(12)]


def test_writers_waiting_when_the_batch_is_cancelled_are_cancelled_too(sqlite_engine: Engine) -> None:
    """A service stopping mid-batch leaves nobody waiting for ever."""

    async def scenario() -> list[object]:
        gate = group_commit.loop_gate(sqlite_engine)
        await gate.acquire()  # another writer holds the gate, so the batch waits for it
        waiting = [asyncio.create_task(UnitOfWork(sqlite_engine).run(_insert(n))) for n in range(3)]
        await asyncio.sleep(0.05)
        drainer = group_commit._BATCHES[sqlite_engine].drainer
        assert drainer is not None
        drainer.cancel()
        return await asyncio.gather(*waiting, return_exceptions=True)

    outcomes = asyncio.run(asyncio.wait_for(scenario(), timeout=10))
    assert all(isinstance(outcome, asyncio.CancelledError) for outcome in outcomes), outcomes
    assert _rows(sqlite_engine) == []
