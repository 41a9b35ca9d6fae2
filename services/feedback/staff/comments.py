"""The coordinator's page for free-text comments: approve one as it is, or keep only part of it.

GET  /staff/comments              comments waiting for a decision (coordinators only)
POST /staff/comments/{id}         approve, or redact (the text to keep); a form with a CSRF token

The decisions are the comments API's own (``POST /api/v1/comments/{id}``),
called with the signed-in coordinator, so the same scrubbing and the same
audit record follow. A provider sees a comment only after this.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form
from fastapi.responses import Response
from pydantic import ValidationError

from feedback.comments import service as comments
from feedback.comments.schemas import Moderation
from feedback.errors import CommentNotFound
from feedback.forms.models import CommentStatus
from feedback.forms.questions import TEXT_LIMIT
from feedback.tokens.models import FeedbackSession
from shared.pages import N_
from shared.pages.staff import StaffPage, StaffPageDep
from shared.unit_of_work import SessionDep

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

DONE = {
    "approve": N_("The comment is approved: the provider sees it in the report."),
    "redact": N_("The shortened comment is saved: the provider sees only that."),
}


#: comments are checked by coordinators before any provider reads them.
COORDINATORS_ONLY = {
    "template": "feedback_staff/message.html",
    "heading": N_("For coordinators only"),
    "text": N_("Only a coordinator checks comments before a provider may read them."),
    "nav": "comments",
}


@router.get("/staff/comments")
def comments_page(staff: StaffPageDep, db: SessionDep, done: str | None = None) -> Response:
    refused = staff.refuse_unless("coordinator", **COORDINATORS_ONLY)
    if refused is not None:
        return refused
    waiting = comments.comments_with_status(db, CommentStatus.PENDING)
    titles = {c.session_id: _title(staff, db, c.session_id) for c in waiting}
    return staff.render(
        "feedback_staff/comments.html",
        nav="comments",
        comments=[(c, titles[c.session_id]) for c in waiting],
        done=staff.page.gettext(DONE[done]) if done in DONE else None,
        limit=TEXT_LIMIT,
    )


@router.post("/staff/comments/{comment_id}")
def moderate_page(
    comment_id: str,
    staff: StaffPageDep,
    db: SessionDep,
    action: Annotated[Literal["approve", "redact"], Form()],
    text: Annotated[str, Form(max_length=TEXT_LIMIT * 2)] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    staff.page.check_csrf(csrf)
    refused = staff.refuse_unless("coordinator", **COORDINATORS_ONLY)
    if refused is not None:
        return refused
    _ = staff.page.gettext
    try:
        decision = Moderation(action=action, text=text if action == "redact" else None)
        comments.moderate(db, comment_id, decision, staff.principal)
    except ValidationError:
        heading, message, status = _("This comment is too long"), _("Keep at most {n} characters.", n=TEXT_LIMIT), 422
        return staff.render("feedback_staff/message.html", status=status, heading=heading, text=message, nav="comments")
    except CommentNotFound:
        heading, message = _("This comment is not there any more"), _("Another coordinator may have decided on it.")
        return staff.render("feedback_staff/message.html", status=404, heading=heading, text=message, nav="comments")
    return staff.redirect(f"/staff/comments?done={action}")


def _title(staff: StaffPage, db: SessionDep, session_id: str) -> str:
    session = db.get(FeedbackSession, session_id)
    if session is None or session.completed_at is None:
        return staff.page.gettext("Session")
    day = staff.page.day(session.completed_at, "Europe/Amsterdam")
    return f"{session.public_title or staff.page.gettext('Session')}, {day}"
