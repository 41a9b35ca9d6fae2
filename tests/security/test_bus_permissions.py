"""Issue 16.1, "the bus is open": nobody but Brug's own services may speak on NATS.

The servers here have the deployment's users only (shared/natsauth.py), without the test
harness that the ordinary ``nats`` fixture lets in: what an attacker who reaches NATS meets.
Each refusal is checked by the server's own "Permissions Violation" answer, not by a silence.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import nats
import nats.errors
import nats.js.errors
import pytest
from nats.aio.client import Client
from nats.js.api import ConsumerConfig

from shared.events import BookingConfirmed, Envelope, SessionPublished, utcnow
from shared.natsauth import BusAuth, inbox_prefix, readers_of
from shared.natsserver import NatsServer
from shared.sealing import seal
from tests.support.factories import book, make_session
from tests.support.servers import wait_until
from tests.support.system import System

VICTIM = "+31687654321"
PHISH = "You have a free place: Your bank account is blocked, call 0900-1234, http://phish.example"


@contextmanager
def _deployments_users_only(root: Path) -> Iterator[NatsServer]:
    running = NatsServer(root / "nats", log_file=root / "nats.log", auth=BusAuth.generate()).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[NatsServer]:
    with _deployments_users_only(tmp_path) as running:
        yield running


@pytest.fixture(scope="module")
def guarded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    """A server with the deployment's users only, for the system the module's tests share."""
    with _deployments_users_only(tmp_path_factory.mktemp("guarded-nats")) as running:
        yield running


@pytest.fixture(scope="module")
def system(
    tmp_path_factory: pytest.TempPathFactory, guarded_server: NatsServer, module_database_urls: dict[str, str]
) -> Iterator[System]:
    """One system on that server for the module (per backend): its tests only add their own booking and read."""
    root = tmp_path_factory.mktemp("system")
    with System(root=root, nats=guarded_server, database_urls=module_database_urls).running() as running:
        yield running


#: how a refused request ends on the client's side, if it is not ended first
UNANSWERED = (nats.errors.TimeoutError, nats.errors.NoRespondersError)


class Intruder:
    """A client signed in as one service's user, recording what the server refuses it."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.nc: Client | None = None

    async def connect(self, server: NatsServer, service: str) -> Intruder:
        async def on_error(error: Exception) -> None:
            self.errors.append(str(error))

        assert server.auth is not None
        self.nc = await nats.connect(
            server.url,
            nkeys_seed_str=server.auth.seeds[service],
            inbox_prefix=inbox_prefix(service),
            error_cb=on_error,
            allow_reconnect=False,
            connect_timeout=2,
        )
        return self

    async def refused(self, subject: str, attempt: Callable[[], Awaitable[Any]]) -> str:
        """Start ``attempt`` and wait for the server's refusal naming ``subject``: a refused request gets
        no answer, only that error, so the refusal ends the attempt (it used to wait out its time-out)."""
        trying = asyncio.ensure_future(attempt())
        try:
            for _ in range(300):
                found = [
                    e for e in self.errors if "permissions violation" in e.lower() and subject.lower() in e.lower()
                ]
                if found:
                    return found[0]
                if trying.done() and not isinstance(trying.exception(), (type(None), *UNANSWERED)):
                    raise AssertionError(f"{subject}: not refused but failed otherwise") from trying.exception()
                await asyncio.sleep(0.05)
            raise AssertionError(f"no permissions violation for {subject}; errors seen: {self.errors}")
        finally:
            trying.cancel()
            await asyncio.gather(trying, return_exceptions=True)


def _forged(public_key: str) -> list[Envelope]:
    starts = utcnow() + timedelta(days=2)
    session = SessionPublished(
        session_id="forged-session",
        public_title=PHISH,
        venue_public_name="Online",
        address="Online",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        timezone="Europe/Amsterdam",
        languages=["en"],
        audience="open",
        capacity=10,
    )
    booking = BookingConfirmed(
        booking_code="FRGD-FRGD-FRGD",
        session_id="forged-session",
        locale="en",
        sealed_contact=seal(public_key, {"phone": VICTIM}),
        channels=["sms"],
    )
    return [Envelope.wrap(event, producer="scheduler") for event in (session, booking)]


async def _connect_anonymously(url: str) -> None:
    connection = Client()  # not nats.connect: its refused socket would be left open
    try:
        await connection.connect(url, connect_timeout=2, allow_reconnect=False, max_reconnect_attempts=0)
    finally:
        await connection.close()


async def _forge_as_feedback(server: NatsServer, envelopes: list[Envelope]) -> list[str]:
    intruder = await Intruder().connect(server, "feedback")
    assert intruder.nc is not None
    js = intruder.nc.jetstream(timeout=2)
    try:
        return [
            await intruder.refused(e.subject, lambda e=e: js.publish(e.subject, e.to_json()))  # type: ignore[misc]
            for e in envelopes
        ]
    finally:
        await intruder.nc.close()


def test_a_forged_booking_no_longer_makes_the_notifier_text_a_phishing_message(system: System) -> None:
    """Before (no NATS authentication): an anonymous client published a forged session and booking
    with a number sealed to the public notifier key, and the notifier texted that number within
    seconds (this test, run against the old code, saw the SMS to VICTIM).
    After: the anonymous client is refused at connect; with the feedback service's key the two
    publishes are refused by the server; a real booking made afterwards is texted, the victim is not.
    """
    with pytest.raises(Exception, match="(?i)authorization"):
        asyncio.run(_connect_anonymously(system.nats.url))
    assert isinstance(system.nats, NatsServer)
    refusals = asyncio.run(_forge_as_feedback(system.nats, _forged(system.keys.public)))
    assert len(refusals) == 2

    scheduler = system.client("scheduler")
    real = book(scheduler, make_session(scheduler)["id"], phone="06 12345678", locale="nl", nickname="Amal")
    [sms] = wait_until(lambda: system.sms_to("+31612345678"), message="the real booking's confirmation SMS")
    assert real["code"] in sms["body"]
    assert system.sms_to(VICTIM) == []
    assert system.scalar("notifier", "SELECT count(*) FROM notifier_session WHERE session_id = 'forged-session'") == 0


def test_each_readers_consumer_is_made_by_the_streams_producer_with_the_declared_filter(system: System) -> None:
    """The readers' keys may no longer make their consumers; the producers do, from shared/natsauth.py's
    READS, and the whole system still runs on them (the forged-booking test's real booking is texted)."""

    async def filters() -> dict[tuple[str, str], list[str]]:
        found = {}
        for producer, stream in (("scheduler", "SCHEDULING"), ("feedback", "FEEDBACK")):
            intruder = await Intruder().connect(system.nats, producer)
            assert intruder.nc is not None
            js = intruder.nc.jetstream(timeout=5)
            for reader in readers_of(stream):
                info = await js.consumer_info(stream, reader)
                found[(stream, reader)] = sorted(info.config.filter_subjects or [])
            await intruder.nc.close()
        return found

    made = wait_until(lambda: _all_made(asyncio.run(_quietly(filters))), message="the producers to make the consumers")
    assert made == {
        (stream, reader): subjects
        for stream in ("SCHEDULING", "FEEDBACK")
        for reader, subjects in readers_of(stream).items()
    }
    assert made[("SCHEDULING", "feedback")] == [
        "scheduling.account.deactivated",
        "scheduling.session.completed",
        "scheduling.session.published",
        "scheduling.session.reopened",
    ]


async def _quietly(work: Callable[[], Awaitable[dict[tuple[str, str], list[str]]]]) -> dict[tuple[str, str], list[str]]:
    """``work()``, or {} while a stream or consumer is not made yet."""
    try:
        return await work()
    except nats.js.errors.NotFoundError:
        return {}


def _all_made(found: dict[tuple[str, str], list[str]]) -> dict[tuple[str, str], list[str]] | None:
    return found if len(found) == 4 else None


def test_a_client_without_credentials_cannot_connect(server: NatsServer) -> None:
    """Before: any client connected and could publish or read every stream. After: refused at connect."""
    with pytest.raises(Exception, match="(?i)authorization"):
        asyncio.run(_connect_anonymously(server.url))


async def _widened_by(feedback: Intruder) -> dict[str, str]:
    """A stolen feedback key remaking its own consumer on SCHEDULING to let every event through, by each
    of the API's three create subjects (before: the server allowed all three, so the key could read
    every event on SCHEDULING, every booking's code included)."""
    wide = json.dumps({"stream_name": "SCHEDULING", "config": {"durable_name": "feedback", "ack_policy": "explicit"}})
    subjects = [
        "$JS.API.CONSUMER.DURABLE.CREATE.SCHEDULING.feedback",
        "$JS.API.CONSUMER.CREATE.SCHEDULING.feedback",
        "$JS.API.CONSUMER.CREATE.SCHEDULING.feedback.scheduling.booking.confirmed",
    ]
    assert feedback.nc is not None
    return {
        f"feedback widens its consumer by {subject}": await feedback.refused(
            subject,
            lambda subject=subject: feedback.nc.request(subject, wide.encode(), timeout=1),  # type: ignore[misc,union-attr]
        )
        for subject in subjects
    }


async def _as_feedback_and_scheduler(server: NatsServer) -> dict[str, str]:
    """Every act a stolen feedback or scheduler key should not allow, with the server's refusal."""
    feedback = await Intruder().connect(server, "feedback")
    scheduler = await Intruder().connect(server, "scheduler")
    assert feedback.nc is not None and scheduler.nc is not None
    fjs, sjs = feedback.nc.jetstream(timeout=2), scheduler.nc.jetstream(timeout=2)
    # the streams exist, as in a running deployment (created by their owners)
    notifier = await Intruder().connect(server, "notifier")
    assert notifier.nc is not None
    await notifier.nc.jetstream(timeout=5).add_stream(name="NOTIFY", subjects=["notify.>"])
    await sjs.add_stream(name="SCHEDULING", subjects=["scheduling.>"])
    await notifier.nc.close()
    try:
        booking = "scheduling.booking.confirmed"
        return {
            "feedback publishes a booking": await feedback.refused(booking, lambda: fjs.publish(booking, b"{}")),
            "feedback reads the notifier's consumer": await feedback.refused(
                "$JS.API.CONSUMER.MSG.NEXT.SCHEDULING.notifier",
                lambda: feedback.nc.request("$JS.API.CONSUMER.MSG.NEXT.SCHEDULING.notifier", b"1", timeout=1),  # type: ignore[union-attr]
            ),
            "feedback reads NOTIFY": await feedback.refused(
                "$JS.API.CONSUMER.DURABLE.CREATE.NOTIFY.feedback",
                lambda: fjs.add_consumer("NOTIFY", ConsumerConfig(durable_name="feedback")),
            ),
            "feedback listens to the notifier's replies": await feedback.refused(
                "_INBOX_notifier.>",
                lambda: feedback.nc.subscribe("_INBOX_notifier.>"),  # type: ignore[union-attr]
            ),
            "feedback listens to raw booking subjects": await feedback.refused(
                "scheduling.>",
                lambda: feedback.nc.subscribe("scheduling.>"),  # type: ignore[union-attr]
            ),
            "feedback changes SCHEDULING's limits": await feedback.refused(
                "$JS.API.STREAM.UPDATE.SCHEDULING",
                lambda: fjs.update_stream(name="SCHEDULING", subjects=["scheduling.>"], max_age=1),
            ),
            **await _widened_by(feedback),
            "scheduler reads SCHEDULING": await scheduler.refused(
                "$JS.API.CONSUMER.DURABLE.CREATE.SCHEDULING.scheduler",
                lambda: sjs.add_consumer("SCHEDULING", ConsumerConfig(durable_name="scheduler")),
            ),
            "scheduler publishes a feedback report": await scheduler.refused(
                "feedback.report.published", lambda: sjs.publish("feedback.report.published", b"{}")
            ),
        }
    finally:
        await feedback.nc.close()
        await scheduler.nc.close()


def test_another_services_key_cannot_publish_a_booking_nor_read_a_stream_it_does_not_consume(
    server: NatsServer,
) -> None:
    """Before: every client could publish any subject and read every stream. After: each act below is
    refused by the server with a permissions violation naming the subject."""
    refusals = asyncio.run(_as_feedback_and_scheduler(server))
    assert len(refusals) == 11 and all("permissions violation" in r.lower() for r in refusals.values())
