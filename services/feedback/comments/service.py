"""Rules for moderating comments: a coordinator approves one as it is, or keeps only part of it.

Phone numbers and e-mail addresses were masked on receipt; the text a
coordinator keeps is scrubbed again, and every decision is audited.
"""

from __future__ import annotations

from sqlmodel import Session

from feedback.comments import repository
from feedback.comments.schemas import CommentPublic, Moderation
from feedback.errors import CommentNotFound
from feedback.forms.models import CommentStatus, FeedbackResponse
from shared import audit
from shared.auth import Principal
from shared.redaction import scrub_comment

__all__ = ["comments_with_status", "moderate"]

#: the audit log's name for each decision.
_AUDITED = {"approve": "comment.approved", "redact": "comment.redacted"}


def comments_with_status(db: Session, status: str) -> list[CommentPublic]:
    rows = repository.with_status(db, status)
    return [CommentPublic(id=r.id, session_id=r.session_id, text=r.comment or "", status=status) for r in rows]


def moderate(db: Session, comment_id: str, decision: Moderation, user: Principal) -> CommentPublic:
    row = _comment(db, comment_id)
    audit.record(db, user, _AUDITED[decision.action], comment_id=row.id, session_id=row.session_id)
    if decision.action == "redact":
        row.comment = scrub_comment((decision.text or "").strip()) or None
        row.comment_status = CommentStatus.REDACTED if row.comment else None
    else:
        row.comment_status = CommentStatus.APPROVED
    db.add(row)
    return CommentPublic(
        id=row.id, session_id=row.session_id, text=row.comment or "", status=row.comment_status or "removed"
    )


def _comment(db: Session, comment_id: str) -> FeedbackResponse:
    row = repository.get(db, comment_id)
    if row is None or row.comment_status is None:
        raise CommentNotFound(f"No comment {comment_id}; it may have been removed.")
    return row
