"""Undoing a completion for a short while (BRUG_COMPLETION_UNDO_MINUTES), then never."""

from __future__ import annotations

from datetime import timedelta

import httpx

from tests.scheduler.conftest import Events
from tests.support.clock import advance, until_started
from tests.support.factories import make_session, make_user, signed_in
from tests.support.servers import ThreadedServer


def _completed(scheduler: httpx.Client, server: ThreadedServer, **overrides: object) -> dict[str, object]:
    session = make_session(scheduler, **overrides)
    until_started(server.app, session)
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/check-ins", json={"walk_ins": 2}).status_code == 200
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/complete").status_code == 200
    return session


def test_a_completion_is_undone_within_the_window_and_completed_anew(
    scheduler: httpx.Client, scheduler_server: ThreadedServer, events: Events
) -> None:
    session = _completed(scheduler, scheduler_server)
    advance(scheduler_server.app, timedelta(minutes=14))
    reopened = scheduler.post(f"/api/v1/sessions/{session['id']}/reopen")
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["status"] == "published"
    assert events("scheduling.session.reopened") == [{"session_id": session["id"]}]
    assert scheduler.post(f"/api/v1/sessions/{session['id']}/check-ins", json={"walk_ins": 1}).status_code == 200
    again = scheduler.post(f"/api/v1/sessions/{session['id']}/complete")
    assert again.json()["attendance"] == 3
    assert [e["attendance"] for e in events("scheduling.session.completed")] == [2, 3]


def test_past_the_window_or_not_completed_it_is_refused(
    scheduler: httpx.Client, scheduler_server: ThreadedServer, events: Events
) -> None:
    session = _completed(scheduler, scheduler_server)
    advance(scheduler_server.app, timedelta(minutes=16))
    late = scheduler.post(f"/api/v1/sessions/{session['id']}/reopen")
    assert late.status_code == 409 and late.json()["error"] == "CompletionNotUndoable"
    assert "can be undone for 15 minutes after it, and that time has passed" in late.json()["detail"]
    open_one = make_session(scheduler)
    refused = scheduler.post(f"/api/v1/sessions/{open_one['id']}/reopen")
    assert refused.json() == {
        "error": "CompletionNotUndoable",
        "detail": "This session is published; only a completed session can be reopened.",
    }
    assert events("scheduling.session.reopened") == []


def test_only_who_may_run_it_reopens_it(scheduler: httpx.Client, scheduler_server: ThreadedServer) -> None:
    session = _completed(scheduler, scheduler_server)
    other = make_user(scheduler)
    with scheduler_server.client() as client:
        response = signed_in(client, other["email"]).post(f"/api/v1/sessions/{session['id']}/reopen")
    assert response.status_code == 403
