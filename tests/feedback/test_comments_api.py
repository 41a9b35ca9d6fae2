"""Comments reach providers only after a coordinator approved or redacted them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert

from feedback.forms.models import FeedbackResponse
from tests.feedback.conftest import FeedbackService
from tests.support.tokens import StaffSigner


def _with_comments(feedback: FeedbackService, session_id: str, comments: list[str | None]) -> None:
    with feedback.engine.begin() as connection:
        connection.execute(
            insert(FeedbackResponse),
            [
                {
                    "id": f"c{session_id[:19]}{i:012d}",
                    "session_id": session_id,
                    "question_set": 1,
                    "submitted_on": date.today(),
                    "language": "nl",
                    "answers": {"useful": 4},
                    "comment": text,
                    "comment_status": "pending" if text else None,
                }
                for i, text in enumerate(comments)
            ],
        )


@pytest.fixture(autouse=True)
def exact_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Comments show only beside a released report of k answers or more; with a budget this high the
    released count is the true one, so these tests are about moderation, not noise (set before the
    ``feedback`` fixture starts the service)."""
    monkeypatch.setenv("BRUG_DP_EPSILON", "1000")


def test_a_coordinator_approves_or_redacts_and_only_then_providers_see_comments(
    feedback: FeedbackService, signer: StaffSigner
) -> None:
    session = feedback.complete_session(attendance=8, days_ago=20, provider="ggd")
    _with_comments(feedback, session, ["Clear and kind.", "Ask for Fatima at the AZC in Ter Apel", None, None, None])
    coordinator, staff = signer.headers("coordinator"), signer.headers("provider_staff", "ggd")
    report_url = f"/api/v1/reports/sessions/{session}"
    assert feedback.client.get(report_url, headers=staff).json()["comments"] == []

    assert feedback.client.get("/api/v1/comments", headers=staff).status_code == 403
    pending = feedback.client.get("/api/v1/comments", headers=coordinator).json()
    assert sorted(c["text"] for c in pending) == ["Ask for Fatima at the AZC in Ter Apel", "Clear and kind."]
    by_text = {c["text"]: c["id"] for c in pending}
    approve = feedback.client.post(
        f"/api/v1/comments/{by_text['Clear and kind.']}", json={"action": "approve"}, headers=coordinator
    )
    assert approve.json()["status"] == "approved"
    redact = feedback.client.post(
        f"/api/v1/comments/{by_text['Ask for Fatima at the AZC in Ter Apel']}",
        json={"action": "redact", "text": "Ask for [name] at the [place]"},
        headers=coordinator,
    )
    assert redact.json()["status"] == "redacted"

    assert feedback.client.get(report_url, headers=staff).json()["comments"] == [
        "Ask for [name] at the [place]",
        "Clear and kind.",
    ]
    assert feedback.client.get("/api/v1/comments", headers=coordinator).json() == []


def test_comments_of_a_group_under_the_threshold_are_never_shown(
    feedback: FeedbackService, signer: StaffSigner
) -> None:
    session = feedback.complete_session(attendance=8, days_ago=20, provider="ggd")
    _with_comments(feedback, session, ["Good.", None])
    [comment] = feedback.client.get("/api/v1/comments", headers=signer.headers("coordinator")).json()
    feedback.client.post(
        f"/api/v1/comments/{comment['id']}", json={"action": "approve"}, headers=signer.headers("coordinator")
    )
    report = feedback.client.get(f"/api/v1/reports/sessions/{session}", headers=signer.headers("coordinator")).json()
    assert report["responses"] is None
    assert report["comments"] == []


def test_moderating_an_unknown_comment_is_a_clear_404(feedback: FeedbackService, signer: StaffSigner) -> None:
    response = feedback.client.post(
        "/api/v1/comments/nope", json={"action": "approve"}, headers=signer.headers("coordinator")
    )
    assert response.status_code == 404
    assert response.json()["error"] == "CommentNotFound"
