"""``feedback.report.published`` on the real bus: the scheduler keeps the summary for the
session's own people to read, and shows it to no one else."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import nats

from shared.events import Envelope, ReportPublished
from shared.natsserver import NatsServer
from tests.support.factories import make_session, make_user, signed_in
from tests.support.servers import wait_until


async def _publish(url: str, payload: ReportPublished) -> None:
    connection = await nats.connect(url)
    try:
        envelope = Envelope.wrap(payload, producer="feedback")
        await connection.jetstream().publish(envelope.subject, envelope.to_json(), headers={"Nats-Msg-Id": envelope.id})
    finally:
        await connection.close()


def test_a_published_report_reaches_the_sessions_people_and_no_one_else(
    scheduler: httpx.Client, scheduler_server: Any, nats: NatsServer
) -> None:
    session = make_session(scheduler)
    path = f"/api/v1/sessions/{session['id']}/feedback"
    assert scheduler.get(path).json() == {
        "session_id": session["id"],
        "status": "waiting",
        "response_count": None,
        "summary": {},
        "received_at": None,
    }
    summary = {"useful": {"mean": 4.2, "count": 7}, "felt_safe": None}  # None: withheld by the feedback service
    report = ReportPublished(
        session_id=session["id"], provider_id=session["provider_id"], response_count=7, summary=summary
    )
    asyncio.run(_publish(nats.url, report))
    shown = wait_until(
        lambda: (answer := scheduler.get(path).json())["status"] == "published" and answer,
        timeout=30,
        message="the report to reach the scheduler",
    )
    assert (shown["response_count"], shown["summary"]) == (7, summary)
    with scheduler_server.client() as stranger:
        signed_in(stranger, make_user(scheduler)["email"])  # an ambassador not on this session
        assert stranger.get(path).status_code == 403
        stranger.headers.pop("Authorization")
        assert stranger.get(path).status_code == 401
    assert scheduler.get("/api/v1/sessions/00000000000000000000000000000000/feedback").status_code == 404
