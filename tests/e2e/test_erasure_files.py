"""What erasure leaves behind in the files themselves (issue 16, item 7), not only in the tables.

A copy of ``var/`` (a backup, a laptop, a disk sent for repair) holds more than a ``SELECT`` shows:
SQLite leaves a deleted row's bytes in the page's free space and in free pages, the development SMS
file keeps every line it wrote, and an audit entry that names a booking by an unsalted SHA-256 of its
code is found again by anyone who hashes the code they hold (or guesses it).

The attack: book with a number, an address and a nickname, have the coordinator erase the booking,
then read the raw bytes of both SQLite files and the SMS file, while the services run and after they
stop (when the ``-wal`` has been checkpointed into the file), for the number, the address, the
nickname, the plain SHA-256 of the code and (in the SMS file) the code.

Before (the code at 1bd87c3), after the services stopped: the SMS file held the number and the code,
and the scheduler's file the plain ``sha256:`` of the code in the audit entry (found again by hashing
the code). After: neither; the other attendee's text stays in the SMS file. The deleted row itself
was not in the checkpointed files even before: this machine's SQLite (Debian's) is compiled with
SECURE_DELETE; shared/db.py now turns it on for every build. While running, the scheduler's ``-wal``
still held the nickname (before 2026-12-07's second session); now the erasure's commit checkpoints and
truncates it (``shared.db.forget_on_commit``), and the copy is read with the ``-wal`` while running too.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy.engine import make_url

from shared.natsserver import NatsServer
from tests.support.factories import book, make_session
from tests.support.servers import wait_until
from tests.support.system import System

PHONE, EMAIL, NICKNAME = "06 17531864", "noor.erase@example.net", "Parwana-X"
#: forms the number, address and nickname take in any file (E.164 +3169..., national, JSON...).
TRACES = ("17531864", "noor.erase", "Parwana-X")


def _raw(database_url: str) -> bytes:
    """The bytes of an SQLite database as a copy of its folder would give them (with its ``-wal``)."""
    path = Path(make_url(database_url).database or "")
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def _found(system: System, needles: list[str], code: str) -> dict[str, list[str]]:
    """Which of ``needles`` each file holds (also UTF-16, as SQLite may store text). The databases keep
    the booking's code by design (the erased row answers "already erased", the events name it); the SMS
    file must not."""
    files = {name: _raw(system.database_urls[name]) for name in ("scheduler", "notifier")}
    files["sms"] = system.sms_file.read_bytes() if system.sms_file.exists() else b""
    return {
        name: [
            n
            for n in (*needles, *([code] if name == "sms" else []))
            if n.encode() in data or n.encode("utf-16-le") in data
        ]
        for name, data in files.items()
    }


def test_an_erased_booking_is_in_no_file_neither_database_nor_sms_file_nor_as_a_plain_hash(
    tmp_path: Path, nats: NatsServer
) -> None:
    urls = {name: f"sqlite:///{tmp_path / (name + '.db')}" for name in ("scheduler", "notifier", "feedback")}
    system = System(root=tmp_path, nats=nats, database_urls=urls).start()
    try:
        scheduler = system.client("scheduler")
        session = make_session(scheduler)
        erased = book(scheduler, session["id"], phone=PHONE, email=EMAIL, nickname=NICKNAME, locale="fa")
        book(scheduler, session["id"], phone="06 28642097", locale="ar")
        wait_until(lambda: len(system.sms()) == 2 or None, message="both confirmation SMS")
        code = erased["code"]
        plain_hash = hashlib.sha256(code.strip().upper().encode()).hexdigest()[:16]
        needles = [*TRACES, plain_hash]
        assert _found(system, ["17531864"], code)["sms"] == ["17531864", code]  # it sees what it looks for

        answer = scheduler.post(f"/api/v1/bookings/{code}/erasure")
        assert answer.status_code == 200, answer.text
        wait_until(
            lambda: (
                system.scalar("notifier", "SELECT count(*) FROM recipient WHERE booking_code = :c", c=code) == 0 or None
            ),
            message="the notifier to delete the recipient",
        )
        wait_until(lambda: not _found(system, ["17531864"], code)["sms"] or None, message="the SMS file to forget it")
        [entry] = scheduler.get("/api/v1/audit", params={"action": "booking.erased"}).json()["entries"]
        assert entry["targets"]["booking"] != "sha256:" + plain_hash

        # A copy of a running service's folder, its -wal included: the erasure's commit checkpoints
        # and truncates the log (before, the frames that inserted the row still held the nickname).
        running = wait_until(
            lambda: (f := _found(system, needles, code)) == {"scheduler": [], "notifier": [], "sms": []} and f,
            message="the erased booking to leave both databases' files and write-ahead logs",
        )
    finally:
        system.stop()
    stopped = _found(system, needles, code)
    assert running == {"scheduler": [], "notifier": [], "sms": []}
    assert stopped == {"scheduler": [], "notifier": [], "sms": []}
    assert "28642097" in system.sms_file.read_text()  # the other attendee's text is still there
