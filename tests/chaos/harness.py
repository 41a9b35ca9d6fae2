"""The chaos run: the real system under a seeded workload and seeded faults, then its promises checked.

Everything is real: nats-server, the three services as processes, a local
server speaking Twilio's API and an aiosmtpd server, both recording every
message. A fault thread works through a schedule drawn from the seed (kill -9
and restart a service, stop and restart NATS, gateway and SMTP trouble, a
database held locked) while the workload books, cancels, reschedules, opts out,
checks in and completes; then the faults stop and the invariants are checked.

The short form books up front and lets the faults run over the reminders and the
closing. The long form (more than ``WAVES_AFTER`` seconds) goes on booking in
waves for the whole window: each wave opens a session, fills it past capacity,
texts STOP from one of its attendees while their confirmation may be on its way,
cancels some of its places (promoting the waitlist) and one on an earlier
session, and checks in and completes the session of four waves before (whose
reminders fell due in between: completing withdraws the pending ones), so the
faults also hit bookings, promotions, reminders and completions made late.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import nats

from notifier.gateways import twilio_signature
from shared.natsserver import NatsServer
from shared.tls import client_context
from tests.notifier.smtp import SmtpSink
from tests.support.clock import until_started
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.factories import make_provider, make_venue, signed_in
from tests.support.servers import CLIENT_SECONDS, wait_until
from tests.support.sms_gateways import FakeGateways
from tests.support.system import System

__all__ = ["Chaos", "chaos_env", "started"]

SENDER = "+3197010000000"
#: reminders fall due this long before a session; sessions start this much later plus seconds.
REMINDER_OFFSET = timedelta(minutes=120)
#: what a confirmation starts with: a seat at once, or one freed by a cancellation.
CONFIRMED = ("You have a free place", "A place opened up")
CHECKED_IN = 3  # one feedback card each: no spare cards are minted
SERVICES = ("scheduler", "notifier", "feedback")
#: how long a restarted service may take to answer again. No promise of the system: on a shared
#: two-core machine at load 20+ a Python service took 60 s to start, and a wait is only a bound.
BACK_WITHIN = 180.0
#: how long the events, outboxes and deliveries may take to drain after the faults.
SETTLE_WITHIN = 180.0
#: runs longer than this keep the workload going in waves (the short form in `make test` does not).
WAVES_AFTER = 60.0
WAVE_SECONDS = 6.0
WAVE_BOOKINGS = 10  # per wave session of capacity 6: four start on its waitlist
WAVE_CANCELS = 2
#: a wave session's reminders fall due this long after it opens, while the faults go on.
WAVE_REMINDER_DELAY = timedelta(seconds=10)
#: a wave session is completed this many waves after it opened, its reminders out by then.
WAVE_CLOSE_AFTER = 4


def chaos_env(fake: FakeGateways, smtp: SmtpSink) -> dict[str, str]:
    """Settings that make every retry and hand-over take seconds, so a run fits in a minute or two."""
    return {
        "BRUG_SMS_GATEWAY": "twilio",
        "BRUG_SMS_FROM": SENDER,
        "BRUG_TWILIO_ACCOUNT_SID": fake.twilio_sid,
        "BRUG_TWILIO_AUTH_TOKEN": fake.twilio_token,
        "BRUG_TWILIO_BASE_URL": fake.url,
        "BRUG_TWILIO_DISCARD_CONTENT": "false",  # so the recording gateway keeps the text to classify it
        "BRUG_SMS_FAILOVER_SECONDS": "1",
        "BRUG_SMS_RECONCILE_DELAY_SECONDS": "0.5",
        "BRUG_SMTP_HOST": "127.0.0.1",
        "BRUG_SMTP_PORT": str(smtp.port),
        "BRUG_SMTP_FROM": "no-reply@brug.example.org",
        "BRUG_SMTP_TLS": "none",
        "BRUG_SMTP_TIMEOUT_SECONDS": "2",
        "BRUG_REMINDER_OFFSETS": "120m",
        "BRUG_QUIET_HOURS": "",
        "BRUG_DELIVERY_LEASE_SECONDS": "3",
        "BRUG_DELIVERY_BACKOFF_SECONDS": "0.2",
        "BRUG_DELIVERY_BACKOFF_MAX_SECONDS": "2",
        "BRUG_DELIVERY_MAX_ATTEMPTS": "12",
        "BRUG_CONSUMER_ACK_WAIT_SECONDS": "3",
        "BRUG_CONSUMER_BACKOFF_SECONDS": "[0.2, 0.5, 1, 2]",
        "BRUG_CONSUMER_MAX_DELIVER": "20",
    }


def started(system: System) -> System:
    """``system`` started, given up to BACK_WITHIN for its services' first /readyz (System waits 60 s)."""
    try:
        return system.start()
    except AssertionError:  # not ready in 60 s; a service that exited raises from ready() itself
        ready = lambda: all(s.ready() for s in system.services.values())  # noqa: E731
        wait_until(ready, timeout=BACK_WITHIN, interval=0.5, message="every service's first /readyz")
        return system


@dataclass
class Booking:
    code: str
    token: str
    session_id: str
    phone: str
    email: str | None
    cancelled: bool = False


@dataclass
class Chaos:
    """One seeded run; ``run`` drives it, ``invariants`` checks it, ``table`` prints the result."""

    system: System
    nats: NatsServer
    fake: FakeGateways
    smtp: SmtpSink
    seed: int
    seconds: float
    rng: random.Random = field(init=False)
    faults: list[str] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    opted_out: dict[str, int] = field(default_factory=dict)  # phone → messages taken before its STOP returned
    closed: set[str] = field(default_factory=set)  # sessions already checked in and completed
    waves: int = 0
    _session_body: dict[str, Any] = field(default_factory=dict)  # the first sessions' details, for the waves
    _stop: threading.Event = field(default_factory=threading.Event)
    _client: httpx.Client | None = None

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    # -- the workload ------------------------------------------------------------------

    def run(self) -> None:
        try:
            self._run()
        finally:
            self._drop_client()  # also when a step failed: no socket left for the garbage collector

    def _run(self) -> None:
        started = time.monotonic()
        self._plan_sessions(count=4, capacity=6)
        faults = threading.Thread(target=self._inject_faults, args=(random.Random(self.seed + 1),), daemon=True)
        faults.start()
        try:
            for n in range(40):
                self._book(self.sessions[n % len(self.sessions)], n)
            for booking in self.rng.sample(self.bookings, 8):
                self._cancel(booking)
            self._reschedule(self.sessions[0])
            self._opt_out(self.rng.choice([b for b in self.bookings if not b.cancelled]))
            if self.seconds > WAVES_AFTER:
                self._waves(until=started + self.seconds)
            # the reminders fall due now; the faults go on until the window closes
            time.sleep(max(0.0, self.seconds - (time.monotonic() - started)))
        finally:
            self._stop.set()
            faults.join(30)
        self._recover()
        for session in self.sessions:
            if session["id"] not in self.closed:
                self._close(session)

    def _waves(self, until: float) -> None:
        """Book, opt out, cancel, check in and complete in waves until ``until`` (time.monotonic)."""
        first = list(self.sessions)
        opened: list[dict[str, Any]] = []
        while time.monotonic() + WAVE_SECONDS < until:
            began = time.monotonic()
            self.waves += 1
            session = self._open_wave_session()
            opened.append(session)
            for _ in range(WAVE_BOOKINGS):
                self._book(session, len(self.bookings))
            mine = [b for b in self.bookings if b.session_id == session["id"]]
            # a STOP while that booking's confirmation may be on its way: sent before the answer, or never
            self._opt_out(self.rng.choice(mine))
            for booking in self.rng.sample(mine, WAVE_CANCELS):
                self._cancel(booking)
            # a late booking and a late cancellation on the first sessions, whose reminders may be out
            self._book(self.rng.choice(first), len(self.bookings))
            earlier = [b for b in self.bookings if b.session_id in {s["id"] for s in first} and not b.cancelled]
            earlier = [b for b in earlier if b.phone not in self.opted_out]
            if earlier:
                self._cancel(self.rng.choice(earlier))
            if len(opened) > WAVE_CLOSE_AFTER:
                self._close(opened[-1 - WAVE_CLOSE_AFTER])
            time.sleep(max(0.0, WAVE_SECONDS - (time.monotonic() - began)))

    def _open_wave_session(self) -> dict[str, Any]:
        """A session of capacity 6 in a room of its own, whose reminders fall due shortly."""
        room = {"name": "Room 1", "capacity": 20}
        venue_body = {
            "name": f"Wave venue {self.waves}",
            "public_name": f"Keizersgracht {self.waves}",
            "kind": "sexual_violence_centre",
            "address": f"Keizersgracht {self.waves}, 1015 CS Amsterdam",
            "city": "Amsterdam",
            "rooms": [room],
        }
        venue = self._call("POST", "/api/v1/venues", venue_body, expect=(201,)).json()
        starts = datetime.now(UTC) + REMINDER_OFFSET + WAVE_REMINDER_DELAY
        body = {
            **self._session_body,
            "venue_id": venue["id"],
            "room_id": venue["rooms"][0]["id"],
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=1)).isoformat(),
        }
        session = self._call("POST", "/api/v1/sessions", body, expect=(201,)).json()
        self.sessions.append(session)
        return session

    def _plan_sessions(self, count: int, capacity: int) -> None:
        client = self._scheduler()
        provider = make_provider(client)
        venues = [make_venue(client, rooms=[{"name": f"Room {i}", "capacity": 20} for i in range(2)]) for _ in range(2)]
        # the reminders fall due after the bookings and cancellations, while the faults go on
        first_due = datetime.now(UTC) + timedelta(seconds=max(25.0, self.seconds * 0.5))
        for i in range(count):
            venue = venues[i % 2]
            starts = first_due + REMINDER_OFFSET + timedelta(seconds=3 * i)
            body = {
                "venue_id": venue["id"],
                "room_id": venue["rooms"][i // 2]["id"],
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=2)).isoformat(),
                "languages": ["en"],
                "audience": "open",
                "topics": ["where_to_find_help"],
                "internal_title": "Sexual violence: where to find help",
                "public_title": "Afternoon meeting",
                "capacity": capacity,
                "provider_id": provider["id"],
            }
            self.sessions.append(self._call("POST", "/api/v1/sessions", body, expect=(201,)).json())
        self._session_body = body

    def _book(self, session: dict[str, Any], n: int) -> None:
        phone = f"+3162{n:07d}"
        email = f"attendee-{n}@example.org" if n % 2 == 0 else None
        body = {"locale": "en", "phone": phone, "email": email}
        answer = self._call("POST", f"/api/v1/sessions/{session['id']}/bookings", body, expect=(201,)).json()
        self.bookings.append(Booking(answer["code"], answer["manage_token"], session["id"], phone, email))

    def _cancel(self, booking: Booking) -> None:
        path = f"/api/v1/bookings/{booking.code}/cancel?token={booking.token}"
        self._call("POST", path, None, expect=(200,), again=(409,))
        booking.cancelled = True

    def _reschedule(self, session: dict[str, Any]) -> None:
        starts = datetime.fromisoformat(session["starts_at"]) + timedelta(seconds=2)
        body = {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat()}
        moved = self._call("PATCH", f"/api/v1/sessions/{session['id']}", body, expect=(200,))
        session.update(moved.json())  # its new start, which closing it waits for

    def _opt_out(self, booking: Booking) -> None:
        """The attendee texts STOP; from its answer on, nothing more may reach that phone."""
        notifier = self.system.services["notifier"]
        url = f"{notifier.url}/api/v1/sms/inbound/twilio"
        params = {"From": booking.phone, "To": SENDER, "Body": "STOP", "MessageSid": "SM" + uuid.uuid4().hex}
        signature = twilio_signature.compute(self.fake.twilio_token, url, params.items())

        def stop() -> bool:
            try:
                return (
                    httpx.post(
                        url, data=params, headers={"X-Twilio-Signature": signature}, verify=client_context()
                    ).status_code
                    == 200
                )
            except httpx.TransportError:
                return False

        wait_until(stop, timeout=BACK_WITHIN, interval=0.2, message="the STOP to be taken")
        self.opted_out[booking.phone] = len(self.fake.twilio_messages)

    def _close(self, session: dict[str, Any]) -> None:
        for booking in self.rng.sample(self.confirmed(session["id"]), CHECKED_IN):
            self._call(
                "POST", f"/api/v1/sessions/{session['id']}/check-ins", {"booking_code": booking.code}, expect=(200,)
            )
        until_started(self.system.clock, session)  # closed at once, not waited for (tests/support/clock.py)
        self._call("POST", f"/api/v1/sessions/{session['id']}/complete", None, expect=(200,))
        self.closed.add(session["id"])

    # -- talking to the scheduler through its crashes ----------------------------------

    def _scheduler(self) -> httpx.Client:
        """A signed-in client of the scheduler, kept until the scheduler drops it."""
        if self._client is None:
            client = httpx.Client(
                base_url=self.system.services["scheduler"].url, timeout=CLIENT_SECONDS, verify=client_context()
            )
            self._client = wait_until(
                lambda: _try_sign_in(client), timeout=BACK_WITHIN, interval=0.2, message="a scheduler to sign in to"
            )
        return self._client

    def _drop_client(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _call(
        self, method: str, path: str, body: Any, *, expect: tuple[int, ...], again: tuple[int, ...] = ()
    ) -> httpx.Response:
        """Call until the scheduler answers, with one Idempotency-Key for every try; ``again`` are
        answers that mean an earlier try, whose answer was lost, already did it."""
        key, retried, deadline = uuid.uuid4().hex, False, time.monotonic() + BACK_WITHIN
        while True:
            try:
                response = self._scheduler().request(method, path, json=body, headers={"Idempotency-Key": key})
                if response.status_code in expect or (retried and response.status_code in again):
                    return response
                if response.status_code == 401:  # a restarted scheduler keeps its key; this is a lapsed token
                    self._drop_client()
                elif response.status_code < 500:
                    raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
            except httpx.TransportError:
                self._drop_client()
            retried = True
            if time.monotonic() > deadline:
                raise AssertionError(f"{method} {path}: no answer within {BACK_WITHIN:g} s")
            time.sleep(0.2)

    # -- faults --------------------------------------------------------------------------

    def _inject_faults(self, rng: random.Random) -> None:
        """Every kind of fault in turn, in a shuffled order, one to three seconds apart."""
        faults: list[Callable[[random.Random], None]] = []
        while not self._stop.wait(rng.uniform(1.0, 3.0)):
            if not faults:
                kills = [lambda r, name=name: self._kill(name, r) for name in sorted(self.system.services)]
                faults = [*kills, self._fault_nats, self._fault_gateway, self._fault_smtp, self._fault_lock]
                rng.shuffle(faults)
            faults.pop()(rng)

    def _kill(self, name: str, rng: random.Random) -> None:
        service = self.system.services[name]
        self.faults.append(f"kill -9 {name}")
        service.kill()
        time.sleep(rng.uniform(0.5, 2.0))
        service.start()
        wait_until(service.ready, timeout=BACK_WITHIN, message=f"{name} back")

    def _fault_nats(self, rng: random.Random) -> None:
        self.faults.append("nats-server stopped")
        self.nats.stop()
        time.sleep(rng.uniform(1.0, 3.0))
        self.nats.start()

    def _fault_gateway(self, rng: random.Random) -> None:
        how = rng.choice(["500", "429", "hang", "drop", "accept_then_hang"])
        times = rng.randint(1, 4)
        self.faults.append(f"gateway {how} x{times}")
        if how == "500":
            self.fake.fail("twilio", "status", times=times, status=500)
        elif how == "429":
            self.fake.fail("twilio", "rate_limit", times=times, retry_after="1")
        else:
            self.fake.fail("twilio", how, times=times, seconds=2.0)

    def _fault_smtp(self, rng: random.Random) -> None:
        self.faults.append("smtp refusing")
        self.smtp.refuse_with = "421 Service not available, closing channel"
        time.sleep(rng.uniform(1.0, 3.0))
        self.smtp.refuse_with = None

    def _fault_lock(self, rng: random.Random) -> None:
        name = rng.choice(["scheduler", "notifier", "feedback"])
        self.faults.append(f"{name} database locked")
        self.system.hold_lock(name, seconds=rng.uniform(1.0, 3.0))

    # -- after the storm -----------------------------------------------------------------

    def _recover(self) -> None:
        if not self.nats.running:
            self.nats.start()
        for name, service in self.system.services.items():
            if service.process is None or service.process.poll() is not None:
                service.start()
            wait_until(service.ready, timeout=BACK_WITHIN, message=f"{name} ready after the faults")

    def confirmed(self, session_id: str | None = None) -> list[Booking]:
        statuses = dict(self.system.rows("scheduler", "SELECT code, status FROM booking"))
        return [
            b
            for b in self.bookings
            if statuses.get(b.code) == "confirmed" and (session_id is None or b.session_id == session_id)
        ]

    def settle(self) -> None:
        """Wait until every event is consumed, every outbox empty and nothing left to send."""
        wait_until(
            lambda: asyncio.run(_quiet(self.nats.url)),
            timeout=SETTLE_WITHIN,
            interval=0.5,
            message="every event consumed",
        )
        for name in SERVICES:
            wait_until(
                lambda n=name: self.system.scalar(n, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0,
                timeout=SETTLE_WITHIN,
                message=f"the {name} outbox to drain",
            )
        wait_until(
            lambda: asyncio.run(_quiet(self.nats.url)), timeout=SETTLE_WITHIN, interval=0.5, message="the last events"
        )
        busy = "SELECT count(*) FROM delivery WHERE status IN ('pending', 'sending')"
        wait_until(
            lambda: self.system.scalar("notifier", busy) == 0, timeout=SETTLE_WITHIN, message="every delivery to settle"
        )

    def invariants(self) -> list[Invariant]:
        """Each promise, how many cases it was checked on, and the cases that break it."""
        confirmed = self.confirmed()
        texted = [b for b in confirmed if b.phone not in self.opted_out]
        mailed = [b for b in confirmed if b.email]
        phones = {b.code: b.phone for b in self.bookings}
        # a reminder is due once planned: not withdrawn by a cancellation or reschedule, not planned
        # for a booking made after its time, and not skipped for an opted-out number
        reminders = "SELECT booking_code, status FROM delivery WHERE kind = 'reminder' AND channel = 'sms'"
        due = {code: status for code, status in self.system.rows("notifier", reminders) if status != "skipped"}
        # SMTP cannot be asked whether it took a message, so one cut short is sent again with the same
        # Message-ID, which a mailbox shows once (notifier/mail/dispatch.py); two IDs would be two e-mails
        by_id = {str(m["Message-ID"]): (r, m) for r, m in zip(self.smtp.recipients, self.smtp.messages, strict=True)}
        mail = Counter((tuple(r), str(m["Subject"])) for r, m in by_id.values())
        over = self.system.rows(
            "scheduler",
            "SELECT s.id FROM info_session s WHERE s.capacity < "
            "(SELECT count(*) FROM booking b WHERE b.session_id = s.id AND b.status = 'confirmed')",
        )
        tokens = dict(
            self.system.rows(
                "feedback", "SELECT session_id, count(*) FROM feedback_token WHERE NOT link GROUP BY session_id"
            )
        )
        dead = [(n, row) for n in SERVICES for row in self.system.rows(n, "SELECT id, reason FROM dead_letter")]
        late = [
            m["to"] for phone, n in self.opted_out.items() for m in self.fake.twilio_messages[n:] if m["to"] == phone
        ]
        return [
            Invariant(
                "one SMS confirmation per confirmed booking",
                len(texted),
                [f"{b.code} ({n}x)" for b in texted if (n := len(self.sms_to(b.phone, *CONFIRMED))) != 1],
            ),
            Invariant(
                "one e-mail confirmation per confirmed booking",
                len(mailed),
                [
                    f"{b.code} ({n}x)"
                    for b in mailed
                    if (n := len(self.mail_to(b.email or "", b.code, *CONFIRMED))) != 1
                ],
            ),
            Invariant(
                "every due reminder sent exactly once",
                len(due),
                [f"{c} ({n}x, {due[c]})" for c in due if (n := len(self.sms_to(phones[c], "Reminder:"))) != 1],
            ),
            Invariant(
                "no reminder that was not due (cancelled, stale)",
                len(self.bookings),
                [b.code for b in self.bookings if b.code not in due and self.sms_to(b.phone, "Reminder:")],
            ),
            Invariant("no SMS to a number after its STOP", len(self.opted_out), late),
            Invariant(
                "no e-mail shown twice (distinct Message-IDs)",
                len(mail),
                [f"{to[0]} ({n}x)" for (to, _), n in mail.items() if n > 1],
            ),
            Invariant("no session over capacity", len(self.sessions), [row[0] for row in over]),
            Invariant(
                "feedback tokens minted once per session",
                len(self.sessions),
                [f"{s['id']} ({tokens.get(s['id'], 0)})" for s in self.sessions if tokens.get(s["id"]) != CHECKED_IN],
            ),
            Invariant("every dead letter has a reason", len(dead), [f"{n}:{row[0]}" for n, row in dead if not row[1]]),
            Invariant(
                "no event left unpublished",
                len(SERVICES),
                [n for n in SERVICES if self.system.scalar(n, "SELECT count(*) FROM outbox WHERE sent_at IS NULL")],
            ),
        ]

    def sms_to(self, phone: str, *prefixes: str) -> list[dict[str, Any]]:
        return [m for m in self.fake.twilio_messages if m["to"] == phone and (m["body"] or "").startswith(prefixes)]

    def mail_to(self, address: str, code: str, *prefixes: str) -> set[str]:
        """The Message-IDs of the e-mails to ``address`` about ``code`` whose subject starts so."""
        return {
            str(m["Message-ID"])
            for recipients, m in zip(self.smtp.recipients, self.smtp.messages, strict=True)
            if address in recipients and str(m["Subject"]).startswith(prefixes) and code in str(m["Subject"])
        }

    def table(self, invariants: list[Invariant]) -> str:
        lines = [
            f"chaos run: seed {self.seed}, {self.seconds:g} s of faults, {len(self.sessions)} sessions, "
            f"{len(self.bookings)} bookings ({sum(b.cancelled for b in self.bookings)} cancelled; "
            f"{self.waves} waves after the first), "
            f"{len(self.fake.twilio_messages)} SMS, {len(self.smtp.messages)} e-mails",
            f"faults ({len(self.faults)}): " + ", ".join(f"{n}x {k}" for k, n in Counter(self.faults).most_common()),
            "",
            f"| {'invariant':<47} | checked | result | broken by",
            f"| {'-' * 47} | ------: | ------ | ---------",
        ]
        for invariant in invariants:
            result = "held" if invariant.held else "BROKEN"
            broken = ", ".join(invariant.broken[:5])
            lines.append(f"| {invariant.name:<47} | {invariant.checked:>7} | {result:<6} | {broken}")
        return "\n".join(lines + self.evidence(invariants))

    def evidence(self, invariants: list[Invariant]) -> list[str]:
        """The notifier's deliveries of each booking a broken invariant names, to start looking from."""
        named = {entry.split(" ")[0] for invariant in invariants for entry in invariant.broken}
        codes = sorted(named & {b.code for b in self.bookings})
        lines = (
            ["", "deliveries of the bookings named above (idempotency key, status, due, attempts):"] if codes else []
        )
        query = (
            "SELECT idempotency_key, status, due_at, attempts FROM delivery WHERE booking_code = :code ORDER BY due_at"
        )
        for code in codes:
            for key, status, due, attempts in self.system.rows("notifier", query, code=code):
                lines.append(f"  {key} {status} due {due:%H:%M:%S} attempts {attempts}")
        return lines


@dataclass(frozen=True)
class Invariant:
    name: str
    checked: int
    broken: list[str]

    @property
    def held(self) -> bool:
        return not self.broken


async def _quiet(url: str) -> bool:
    """No durable consumer of any stream has a message pending or awaiting its ack."""
    connection = await nats.connect(url, connect_timeout=2, allow_reconnect=False)
    try:
        manager = connection.jsm()
        for stream in await manager.streams_info():
            for consumer in await manager.consumers_info(stream.config.name or ""):
                if consumer.num_pending or consumer.num_ack_pending:
                    return False
        return True
    finally:
        await connection.close()


def _try_sign_in(client: httpx.Client) -> httpx.Client | None:
    try:
        return signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    except (httpx.TransportError, AssertionError):
        return None
