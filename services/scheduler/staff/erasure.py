"""``/staff/erasure``: a coordinator erases an attendee's data by booking code, in two steps.

1. The code, typed any way the door accepts it (``bookings.codes.normalise_code``); a code
   of the wrong shape or one no booking has is said beside the field.
2. A confirmation that says what will go, from ``erasure.service.preview``: which kinds of
   data the booking holds (never their values), what becomes of the seat, and what stays.
   The session is named by its public title only.

Erasing calls ``erasure.service.erase_audited``, as ``POST /api/v1/bookings/{code}/erasure``
does, so the audit entry is the API's (a keyed hash of the code, never the data). The code
travels in POST bodies only, never in a URL a browser's history or a proxy's log keeps;
after erasing, the page redirects with the seat's outcome, so a reload erases nothing twice.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import Response

from scheduler.bookings.codes import ALPHABET, normalise_code
from scheduler.erasure import service as erasure
from scheduler.errors import BookingNotFound
from scheduler.staff.common import Desk, DeskDep
from shared.pages import N_

__all__ = ["router", "PATH"]

router = APIRouter(include_in_schema=False)

PATH = "/staff/erasure"
SECTION = "erasure"
ONLY_COORDINATORS = N_("Only coordinators erase an attendee's data. Ask a coordinator if someone asks for it.")
TYPE_A_CODE = N_("Type the booking code, like EGU4-KHET.")
MALFORMED = N_("A booking code has 8 letters and digits, like EGU4-KHET, and never 0, O, 1, I or L.")
UNKNOWN = N_("No booking has the code {code}. Check the code the attendee gave.")
#: what the redirect after erasing says (the API's seat, or "already"): a message id each.
DONE = {
    "released": N_("The data is erased. The booking is cancelled and its place is free for someone else."),
    "kept": N_("The data is erased. The seat stays counted, so the attendance stays true."),
    "already": N_("This booking's data was erased before; nothing changed."),
}
_SHAPE = re.compile(rf"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}")

Text = Annotated[str, Form(max_length=100)]


def _form(desk: Desk, *, code: str = "", error: str = "", status: int = 200, done: str = "") -> Response:
    return desk.render(
        "scheduler_staff_erasure.html", status=status, section=SECTION, code=code, error=error, done=done
    )


def _coordinator_code(desk: Desk, csrf: str, typed: str) -> tuple[str, Response | None]:
    """A coordinator's normalised code; or the refusal, or the form again saying what is wrong with it
    (both steps, the preview and the erase, take the code the same way)."""
    desk.page.check_csrf(csrf)
    refused = desk.coordinators_only(ONLY_COORDINATORS, section=SECTION)
    if refused is not None:
        return "", refused
    return _checked(desk, typed)


def _checked(desk: Desk, typed: str) -> tuple[str, Response | None]:
    """The normalised code, or the form again saying what is wrong with it."""
    if not typed.strip():
        return "", _form(desk, error=desk._(TYPE_A_CODE), status=422)
    code = normalise_code(typed)
    if not _SHAPE.fullmatch(code):
        return "", _form(desk, code=typed, error=desk._(MALFORMED), status=422)
    return code, None


@router.get(PATH)
def erasure_form(desk: DeskDep, done: str = "") -> Response:
    refused = desk.coordinators_only(ONLY_COORDINATORS, section=SECTION)
    if refused is not None:
        return refused
    return _form(desk, done=desk._(DONE[done]) if done in DONE else "")


@router.post(f"{PATH}/confirm")
def confirm(desk: DeskDep, csrf: Text = "", code: Text = "") -> Response:
    """Step 2: what erasing this booking would remove; nothing changes yet."""
    normalised, wrong = _coordinator_code(desk, csrf, code)
    if wrong is not None:
        return wrong
    try:
        preview = erasure.preview(desk.db, normalised)
    except BookingNotFound:
        return _form(desk, code=code, error=desk._(UNKNOWN, code=normalised), status=404)
    context: dict[str, Any] = {"preview": preview}
    return desk.render("scheduler_staff_erasure_confirm.html", section=SECTION, **context)


@router.post(PATH)
def erase(desk: DeskDep, csrf: Text = "", code: Text = "") -> Response:
    normalised, wrong = _coordinator_code(desk, csrf, code)
    if wrong is not None:
        return wrong
    try:
        result = erasure.erase_audited(desk.db, normalised, desk.principal, desk.settings.audit_hash_secret)
    except BookingNotFound:
        return _form(desk, code=code, error=desk._(UNKNOWN, code=normalised), status=404)
    return desk.staff.redirect(f"{PATH}?done={'already' if result.already_erased else result.seat}")
