"""Calling a session off: a confirmation with the reason and what attendees will be told, then the call.

The page shows the very text the notifier sends everyone who booked
(``notifier.deliveries.messages``, kind ``cancelled``): the attendee catalog's
words, the session's public title in that language (shared.titles) and its
day and hour. It is shown in each of the session's languages, since that is
what attendees booked in. The reason is a code chosen from the API's own list
(``SessionCancel``) and is never part of the message: it is for staff and the
audit log. Calling off goes through sessions.changes.cancel, as
``POST /api/v1/sessions/{id}/cancel`` does, and is audited the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, get_args

from fastapi import APIRouter, Form
from fastapi.responses import Response

from scheduler.sessions import changes
from scheduler.sessions import service as sessions
from scheduler.sessions.schemas import CancelReason, SessionCancel, SessionPublic
from scheduler.staff.common import Desk, DeskDep
from scheduler.staff.labels import CANCEL_REASONS
from shared import audit
from shared.discretion import sensitive_words_in
from shared.errors import BrugError
from shared.formats import format_when
from shared.i18n import DEFAULT, text_direction, translate
from shared.pages import N_
from shared.titles import locales_of, title_for

__all__ = ["router", "CANCELLED_TEXT", "Told", "told"]

router = APIRouter(include_in_schema=False)

#: the notifier's text for a session called off (notifier.deliveries.messages.MESSAGES["cancelled"], the
#: attendee catalog's msgid); tests/scheduler/staff_pages/test_calling_off.py keeps the two the same.
CANCELLED_TEXT = "Cancelled: {title} on {when} will not take place. We are sorry."

CHOOSE_REASON = N_("Choose why it is called off.")
CONFIRM = N_("Not called off: tick the box to confirm.")


@dataclass(frozen=True)
class Told:
    """The message attendees reading ``locale`` get."""

    locale: str
    text: str
    direction: str


def told(session: SessionPublic) -> list[Told]:
    """The cancellation message in each of the session's languages (English when it has none we write).

    A text with a sensitive word is left out: the notifier would refuse to send it, and this page may be
    seen by others. The public title is checked on planning, so none is expected."""
    found = []
    for locale in locales_of(session.languages) or [DEFAULT]:
        title = title_for(locale, session.public_title, session.public_titles, session.languages)
        text = translate(locale, CANCELLED_TEXT).format(
            title=title, when=format_when(session.starts_at, session.timezone, locale)
        )
        if not sensitive_words_in(text):
            found.append(Told(locale, text, text_direction(locale)))
    return found


def _page(desk: Desk, session: SessionPublic, *, status: int = 200, reason: str = "", error: str = "") -> Response:
    return desk.render(
        "scheduler_staff_cancel.html",
        status=status,
        section="home",
        session=session,
        told=told(session),
        reasons=CANCEL_REASONS,
        reason=reason,
        error=error,
    )


@router.get("/staff/sessions/{session_id}/cancel")
def confirm_cancel(session_id: str, desk: DeskDep) -> Response:
    try:
        sessions.runnable(desk.db, session_id, desk.principal, what="changes")
        session = sessions.get_session(desk.db, session_id, desk.settings, desk.principal)
    except BrugError as error:
        return desk.refusal(error, link=f"/staff/sessions/{session_id}")
    return _page(desk, session)


Text = Annotated[str, Form(max_length=200)]


@router.post("/staff/sessions/{session_id}/cancel")
def cancel(session_id: str, desk: DeskDep, csrf: Text = "", reason: Text = "", confirm: Text = "") -> Response:
    """Whoever may not change the session is told that first; then a reason and the tick are needed."""
    desk.page.check_csrf(csrf)
    try:
        sessions.runnable(desk.db, session_id, desk.principal, what="changes")
        session = sessions.get_session(desk.db, session_id, desk.settings, desk.principal)
        if reason not in get_args(CancelReason) or confirm != "yes":
            wrong = CHOOSE_REASON if reason not in get_args(CancelReason) else CONFIRM
            return _page(desk, session, status=422, reason=reason, error=wrong)
        request = SessionCancel(reason_code=reason)  # type: ignore[arg-type]  # one of CancelReason, checked above
        changes.cancel(desk.db, session_id, request, desk.settings, desk.principal)
    except BrugError as error:
        return desk.refusal(error, link=f"/staff/sessions/{session_id}")
    audit.record(desk.db, desk.principal, "session.cancelled", session_id=session_id, reason_code=reason)
    return desk.staff.redirect(f"/staff/sessions/{session_id}?called_off=1")
