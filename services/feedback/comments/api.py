"""Free-text comments wait for a coordinator, who approves or redacts them before providers see any.

Phone numbers and e-mail addresses were masked on receipt; a coordinator
removes what else could identify someone (names, places, a story only one
person could tell). Only coordinators see pending comments.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from feedback.errors import CommentNotFound
from feedback.forms.models import FeedbackResponse
from shared import audit
from shared.auth import Principal, require_roles
from shared.redaction import scrub_comment
from shared.web import DbDep

router = APIRouter(prefix="/api/v1/comments", tags=["comments"], dependencies=[Depends(require_roles("coordinator"))])
Moderator = Annotated[Principal, Depends(require_roles("coordinator"))]


class CommentPublic(BaseModel):
    id: str
    session_id: str
    text: str
    status: str


#: the audit log's name for each decision.
_AUDITED = {"approve": "comment.approved", "redact": "comment.redacted"}


class Moderation(BaseModel):
    action: Literal["approve", "redact"]
    text: str | None = Field(default=None, max_length=500, description="With redact: the text to keep.")


@router.get("")
def pending_comments(db: DbDep, status: Literal["pending", "approved", "redacted"] = "pending") -> list[CommentPublic]:
    rows = db.exec(
        select(FeedbackResponse)
        .where(FeedbackResponse.comment_status == status)
        .order_by(col(FeedbackResponse.session_id))
    ).all()
    return [CommentPublic(id=r.id, session_id=r.session_id, text=r.comment or "", status=status) for r in rows]


@router.post("/{comment_id}")
def moderate(comment_id: str, decision: Moderation, db: DbDep, user: Moderator) -> CommentPublic:
    row = _comment(db, comment_id)
    audit.record(db, user, _AUDITED[decision.action], comment_id=row.id, session_id=row.session_id)
    if decision.action == "redact":
        row.comment = scrub_comment((decision.text or "").strip()) or None
        row.comment_status = "redacted" if row.comment else None
    else:
        row.comment_status = "approved"
    db.add(row)
    return CommentPublic(
        id=row.id, session_id=row.session_id, text=row.comment or "", status=row.comment_status or "removed"
    )


def _comment(db: Session, comment_id: str) -> FeedbackResponse:
    row = db.get(FeedbackResponse, comment_id)
    if row is None or row.comment_status is None:
        raise CommentNotFound(f"No comment {comment_id}; it may have been removed.")
    return row
