"""Free-text comments wait for a coordinator, who approves or redacts them before providers see any.

Phone numbers and e-mail addresses were masked on receipt; a coordinator
removes what else could identify someone (names, places, a story only one
person could tell). Only coordinators see pending comments.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from feedback.comments import service
from feedback.comments.schemas import CommentPublic, Moderation
from feedback.forms.models import CommentStatus
from shared.auth import Principal, require_roles
from shared.unit_of_work import SessionDep

router = APIRouter(prefix="/api/v1/comments", tags=["comments"], dependencies=[Depends(require_roles("coordinator"))])
Moderator = Annotated[Principal, Depends(require_roles("coordinator"))]


@router.get("")
def pending_comments(db: SessionDep, status: CommentStatus = CommentStatus.PENDING) -> list[CommentPublic]:
    return service.comments_with_status(db, status)


@router.post("/{comment_id}")
def moderate(comment_id: str, decision: Moderation, db: SessionDep, user: Moderator) -> CommentPublic:
    return service.moderate(db, comment_id, decision, user)
