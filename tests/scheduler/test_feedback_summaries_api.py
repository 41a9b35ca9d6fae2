"""``feedback.report.published`` on the real bus: the scheduler keeps the summary for coordinators and
the provider's staff; the session's ambassadors, who hold its cards, see only figures pooled over at
least three of their sessions; no one else sees anything."""

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
        "pooled_only": False,
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


def _counts(useful: dict[str, int]) -> dict[str, Any]:
    """Released noisy counts as the feedback service sends them (one faces question)."""
    return {
        "responses": sum(useful.values()),
        "cells": {f"useful:{face}": n for face, n in useful.items()},
        "questions": [{"id": "useful", "kind": "faces", "options": []}],
        "min_group": 5,
    }


def test_an_ambassador_sees_no_single_session_only_figures_pooled_over_three(
    scheduler: httpx.Client, scheduler_server: Any, nats: NatsServer
) -> None:
    ambassador = make_user(scheduler)
    sessions = [make_session(scheduler, ambassador_ids=[ambassador["id"]]) for _ in range(3)]
    cells = [
        {"1": 2, "2": 2, "3": 6, "4": 1, "5": 3},
        {"1": 1, "2": 3, "3": 0, "4": 6, "5": 5},
        {"1": 3, "2": 1, "3": 0, "4": 0, "5": 0},
    ]
    with scheduler_server.client() as own:
        signed_in(own, ambassador["email"])
        for number, (session, useful) in enumerate(zip(sessions, cells, strict=True), start=1):
            summary = {"responses": sum(useful.values()), "questions": {"useful": {"mean": 3.1}}}
            report = ReportPublished(
                session_id=session["id"],
                provider_id=session["provider_id"],
                response_count=summary["responses"],
                summary=summary,
                counts=_counts(useful),
            )
            asyncio.run(_publish(nats.url, report))
            path = f"/api/v1/sessions/{session['id']}/feedback"
            wait_until(lambda: scheduler.get(path).json()["status"] == "published", message="the report")  # noqa: B023
            seen = own.get(path).json()
            assert (seen["status"], seen["pooled_only"], seen["response_count"], seen["summary"]) == (
                "published",
                True,
                None,
                {},
            ), "an ambassador sees no one session's figures"
            assert scheduler.get(path).json()["summary"] == summary  # a coordinator still does
            mine = own.get("/api/v1/feedback/mine").json()
            if number < 3:
                assert mine == {"sessions": number, "responses": None, "withheld": "withheld to protect small groups"}
        assert mine["sessions"] == 3 and mine["responses"] == 33
        useful = mine["questions"]["useful"]
        assert useful["distribution"] == {"1": 6, "2": 6, "3": 6, "4": 7, "5": 8}
        assert useful["mean"] == round((6 + 12 + 18 + 28 + 40) / 33, 2)
    assert scheduler.get("/api/v1/feedback/mine").json()["sessions"] == 0  # the coordinator runs none of them
