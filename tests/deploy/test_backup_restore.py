"""deploy/README.md's backup and restore, run as written: everything lost, everything back.

The databases are backed up with pg_dump (or SQLite's .backup) and the JetStream
store as a tar of its folder, with the system stopped; then the databases are
emptied and the store deleted, restored from the backups, and the system started
again. Bookings made before are still there, nothing is sent twice, and new work flows.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from shared.db import normalise_url
from shared.natsserver import NatsServer
from tests.support.config import Keys
from tests.support.factories import book, make_session
from tests.support.servers import wait_until
from tests.support.system import SERVICES, System


def sh(command: str) -> None:
    """Run one of the README's commands; fail with its output if it fails."""
    result = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"{command}\n{result.stdout}{result.stderr}"


def libpq(url: str) -> str:
    """The database URL as pg_dump and psql take it (no SQLAlchemy driver suffix)."""
    return make_url(normalise_url(url)).set(drivername="postgresql").render_as_string(hide_password=False)


def back_up(url: str, backup: Path) -> None:
    if url.startswith("sqlite"):
        sh(f"sqlite3 {shlex.quote(make_url(url).database or '')} \".backup '{backup}.db'\"")
    else:
        sh(f"pg_dump --format=custom --file={backup}.dump {shlex.quote(libpq(url))}")


def lose(url: str) -> None:
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{make_url(url).database}{suffix}").unlink(missing_ok=True)
    else:
        sh(f"psql --quiet {shlex.quote(libpq(url))} -c 'DROP SCHEMA public CASCADE; CREATE SCHEMA public'")


def restore(url: str, backup: Path) -> None:
    if url.startswith("sqlite"):
        sh(f"sqlite3 {shlex.quote(make_url(url).database or '')} \".restore '{backup}.db'\"")
    else:
        sh(f"pg_restore --no-owner --exit-on-error --dbname={shlex.quote(libpq(url))} {backup}.dump")


@pytest.fixture
def system(tmp_path: Path, nats: NatsServer, database_urls: dict[str, str]) -> Iterator[System]:
    with System(root=tmp_path, nats=nats, database_urls=database_urls, keys=Keys()).running() as running:
        yield running


@pytest.mark.production_backend
def test_a_stopped_system_backed_up_and_restored_into_nothing_carries_on(system: System, tmp_path: Path) -> None:
    scheduler = system.client("scheduler")
    session = make_session(scheduler)
    before = book(scheduler, session["id"], phone="+31 6 11111111", locale="en")
    wait_until(lambda: len(system.sms()) == 1, message="the first confirmation")
    store = system.nats.store_dir  # type: ignore[union-attr]

    system.stop()
    system.nats.stop()  # type: ignore[union-attr]
    backups = tmp_path / "backups"
    backups.mkdir()
    for name in SERVICES:
        back_up(system.database_urls[name], backups / name)
    sh(f"tar -C {store.parent} -czf {backups / 'nats-store.tgz'} {store.name}")

    for name in SERVICES:
        lose(system.database_urls[name])
    shutil.rmtree(store)
    for name in SERVICES:
        restore(system.database_urls[name], backups / name)
    sh(f"tar -C {store.parent} -xzf {backups / 'nats-store.tgz'}")

    system.nats.start()  # type: ignore[union-attr]
    again = System(root=tmp_path, nats=system.nats, database_urls=system.database_urls, keys=system.keys).start()
    try:
        scheduler = again.client("scheduler")
        kept = scheduler.get(f"/api/v1/bookings/{before['code']}", params={"token": before["manage_token"]})
        assert kept.status_code == 200, kept.text
        assert kept.json()["status"] == "confirmed"
        after = book(scheduler, session["id"], phone="+31 6 22222222", locale="en")
        sent = wait_until(lambda: len(again.sms()) == 2 and again.sms(), message="the second confirmation")
        assert [after["code"] in sms["body"] for sms in sent] == [False, True], "the first is not sent again"
    finally:
        again.stop()
