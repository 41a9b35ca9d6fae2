"""The feedback service logs comment moderation and report exports: who, what, when, never the text."""

from __future__ import annotations

from sqlalchemy import text

from tests.feedback.conftest import FeedbackService
from tests.feedback.test_comments_api import _with_comments
from tests.support.tokens import StaffSigner


def test_moderation_and_exports_are_logged_for_coordinators_without_the_comment(
    feedback: FeedbackService, signer: StaffSigner
) -> None:
    session = feedback.complete_session(attendance=8, days_ago=20, provider="ggd")
    _with_comments(feedback, session, ["Ask for Fatima at the AZC in Ter Apel", "Clear and kind.", None, None, None])
    coordinator = signer.headers("coordinator", user_id="coord-1")
    staff = signer.headers("provider_staff", "ggd", user_id="staff-1")
    pending = {c["text"]: c["id"] for c in feedback.client.get("/api/v1/comments", headers=coordinator).json()}
    redacted = pending["Ask for Fatima at the AZC in Ter Apel"]
    feedback.client.post(
        f"/api/v1/comments/{redacted}", json={"action": "redact", "text": "Ask for [name]"}, headers=coordinator
    )
    feedback.client.post(
        f"/api/v1/comments/{pending['Clear and kind.']}", json={"action": "approve"}, headers=coordinator
    )
    assert feedback.client.get(f"/api/v1/reports/sessions/{session}.csv", headers=staff).status_code == 200
    assert feedback.client.get("/api/v1/reports/providers/ggd.csv", headers=staff).status_code == 200
    refused = feedback.client.post("/api/v1/comments/nope", json={"action": "approve"}, headers=coordinator)
    assert refused.status_code == 404

    log = feedback.client.get("/api/v1/audit", headers=coordinator)
    assert log.status_code == 200, log.text
    entries = [(e["actor_id"], e["actor_role"], e["action"], e["targets"]) for e in reversed(log.json()["entries"])]
    assert entries == [
        ("coord-1", "coordinator", "comment.redacted", {"comment_id": redacted, "session_id": session}),
        (
            "coord-1",
            "coordinator",
            "comment.approved",
            {"comment_id": pending["Clear and kind."], "session_id": session},
        ),
        ("staff-1", "provider_staff", "report.exported", {"session_id": session}),
        ("staff-1", "provider_staff", "report.exported", {"provider_id": "ggd"}),
    ]
    exports = feedback.client.get("/api/v1/audit", params={"actor": "staff-1"}, headers=coordinator).json()
    assert len(exports["entries"]) == 2

    with feedback.engine.connect() as connection:
        stored = str(connection.execute(text("SELECT * FROM audit_log")).all())
    assert "Fatima" not in stored and "Clear and kind" not in stored and "[name]" not in stored

    assert feedback.client.get("/api/v1/audit", headers=staff).status_code == 403
    assert feedback.client.get("/api/v1/audit", headers=signer.headers("ambassador")).status_code == 403
    assert feedback.client.get("/api/v1/audit").status_code == 401
