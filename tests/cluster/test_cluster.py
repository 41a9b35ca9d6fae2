"""The system on a three-node JetStream cluster with two replicas of each service.

Mid-workload one NATS node and one replica of each service are killed (kill -9);
the rest carry on: every booking is confirmed by exactly one SMS, every completed
session gets its feedback tokens exactly once, and no event is left unpublished.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.cluster import NatsCluster
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.factories import make_session, signed_in
from tests.support.servers import wait_until
from tests.support.system import System

SESSIONS = 3
BOOKINGS_PER_SESSION = 12
MARGIN = 3  # BRUG_FEEDBACK_TOKEN_MARGIN's default: cards for walk-ins


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[NatsCluster]:
    nodes = NatsCluster(tmp_path / "nats")
    try:
        yield nodes.start()
    finally:
        nodes.stop()


@pytest.fixture
def system(tmp_path: Path, cluster: NatsCluster, database_urls: dict[str, str]) -> Iterator[System]:
    running = System(
        root=tmp_path,
        nats=cluster,
        database_urls=database_urls,
        replicas={"scheduler": 2, "notifier": 2, "feedback": 2},
        extra_env={
            "BRUG_STREAM_REPLICAS": "3",
            # what a killed replica had fetched or leased comes back to the survivor within seconds
            "BRUG_CONSUMER_ACK_WAIT_SECONDS": "3",
            "BRUG_CONSUMER_BACKOFF_SECONDS": "[0.2, 0.5, 1]",
            "BRUG_DELIVERY_LEASE_SECONDS": "3",
        },
    )
    try:
        yield running.start()
    finally:
        running.stop()


def where_they_stopped(system: System, codes: list[str]) -> str:
    """For each booking without an SMS: its event in the scheduler's outbox, and the notifier's delivery."""
    texted = {code for message in system.sms() for code in codes if code in message["body"]}
    lines = []
    for code in sorted(set(codes) - texted):
        unsent = system.scalar(
            "scheduler",
            "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND body LIKE :code",
            code=f"%{code}%",
        )
        delivery = system.rows(
            "notifier", "SELECT kind, status, attempts, last_error FROM delivery WHERE booking_code = :c", c=code
        )
        recipient = system.scalar("notifier", "SELECT count(*) FROM recipient WHERE booking_code = :c", c=code)
        lines.append(
            f"{code}: unsent in the scheduler's outbox {unsent}, notifier recipient {recipient}, deliveries {delivery}"
        )
    return "\n".join(lines)


class Booker:
    """Books through whichever scheduler replica answers, as a load balancer would, with an
    Idempotency-Key so a retry after a lost answer never takes a second seat."""

    def __init__(self, system: System) -> None:
        self.clients = [
            signed_in(httpx.Client(base_url=system.services[label].url, timeout=10), ADMIN_EMAIL, ADMIN_PASSWORD)
            for label in ("scheduler-2", "scheduler")
        ]

    def post(self, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        key = uuid.uuid4().hex
        for client in list(self.clients):
            try:
                return client.post(path, json=body, headers={"Idempotency-Key": key})
            except httpx.TransportError:
                self.clients.remove(client)  # that replica is gone: the balancer drops it
        raise AssertionError("no scheduler replica answered")

    def close(self) -> None:
        for client in self.clients:
            client.close()


@pytest.mark.production_backend
def test_losing_a_nats_node_and_a_replica_of_each_service_loses_and_repeats_nothing(
    system: System, cluster: NatsCluster
) -> None:
    assert [cluster.replicas(stream) for stream in ("SCHEDULING", "NOTIFY", "FEEDBACK")] == [3, 3, 3]
    sessions = [make_session(system.client("scheduler"), capacity=BOOKINGS_PER_SESSION) for _ in range(SESSIONS)]
    booker = Booker(system)
    bookings: dict[str, list[dict[str, Any]]] = {s["id"]: [] for s in sessions}
    for n in range(BOOKINGS_PER_SESSION):
        if n == BOOKINGS_PER_SESSION // 2:
            cluster.nodes[0].kill()
            for label in ("scheduler-2", "notifier-2", "feedback-2"):
                system.services[label].kill()
        for session in sessions:
            phone = f"+3161{len(bookings[session['id']]) + 100 * sessions.index(session):07d}"
            response = booker.post(f"/api/v1/sessions/{session['id']}/bookings", {"locale": "en", "phone": phone})
            assert response.status_code == 201, response.text
            assert response.json()["status"] == "confirmed"
            bookings[session["id"]].append(response.json())

    for session in sessions:
        for booking in bookings[session["id"]][::2]:
            checked = booker.post(f"/api/v1/sessions/{session['id']}/check-ins", {"booking_code": booking["code"]})
            assert checked.status_code == 200, checked.text
        assert booker.post(f"/api/v1/sessions/{session['id']}/complete").status_code == 200
    booker.close()

    codes = [b["code"] for all_of_one in bookings.values() for b in all_of_one]
    try:
        wait_until(lambda: len(system.sms()) >= len(codes), timeout=60, message=f"{len(codes)} confirmations")
    except AssertionError as error:
        raise AssertionError(f"{error}\n{where_they_stopped(system, codes)}") from None
    tokens = "SELECT count(*) FROM feedback_token WHERE session_id = :s"
    expected_tokens = BOOKINGS_PER_SESSION // 2 + MARGIN
    for session in sessions:
        wait_until(
            lambda s=session: system.scalar("feedback", tokens, s=s["id"]) == expected_tokens,
            timeout=60,
            message=f"{expected_tokens} feedback tokens for session {session['id']}",
        )
    unsent = "SELECT count(*) FROM outbox WHERE sent_at IS NULL"
    wait_until(lambda: system.scalar("scheduler", unsent) == 0, timeout=30, message="an empty scheduler outbox")

    sent = system.sms()
    per_key = Counter(message["idempotency_key"] for message in sent)
    assert [key for key, count in per_key.items() if count > 1] == [], "an SMS was sent twice"
    per_code = Counter(code for message in sent for code in codes if code in message["body"])
    assert sorted(per_code) == sorted(codes), "every booking got a confirmation"
    assert set(per_code.values()) == {1}, "no booking got two"
    for label in ("scheduler", "notifier", "feedback"):
        assert system.services[label].process.poll() is None, f"{label} survived"  # type: ignore[union-attr]
