"""``/staff/dead-letters``: the events the scheduler gave up on, and a replay for each (coordinators).

The list and the replay are shared.dead_letters', the page shared.pages' (staff_dead_letters.html),
as on the notifier's and the feedback service's pages (shared.pages.staff_dead_letters); here through the
scheduler's desk, which also refuses an account deactivated since its token was issued. A replay
applies the kept event through the consumer's own apply path in this request's transaction (the inbox
applies an event once, however often it is replayed), marks the letter replayed and records
``dead_letter.replayed`` in the audit log; then the page redirects, so a reload replays nothing.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response

from scheduler.staff.common import NOT_FOUND, Desk, DeskDep
from shared.dead_letters import service as letters
from shared.errors import BrugError
from shared.pages import N_
from shared.pages.staff_dead_letters import DONE, PAGE_SIZE, REFUSED
from shared.web import runtime_of

__all__ = ["router", "PATH"]

router = APIRouter(include_in_schema=False)

PATH = "/staff/dead-letters"
SECTION = "dead-letters"
ONLY_COORDINATORS = N_("Only coordinators see and replay events the scheduler gave up on.")
SERVICE = N_("The scheduler")


def _page(
    desk: Desk, before: int | None, *, status: int = 200, notice: str = "", detail: str = "", ok: bool = True
) -> Response:
    found = letters.read_page(desk.db, before=before, limit=PAGE_SIZE)
    context: dict[str, Any] = {"found": found, "notice": notice, "detail": detail, "ok": ok, "moment": desk.moment}
    context |= {"layout": "scheduler_staff_base.html", "service": desk._(SERVICE)}
    return desk.render("staff_dead_letters.html", status=status, section=SECTION, **context)


@router.get(PATH)
def dead_letters(
    desk: DeskDep, before: Annotated[int | None, Query(ge=1, le=2**62)] = None, done: str = ""
) -> Response:
    refused = desk.coordinators_only(ONLY_COORDINATORS, section=SECTION)
    if refused is not None:
        return refused
    return _page(desk, before, notice=desk._(DONE[done]) if done in DONE else "")


@router.post(PATH + "/{letter_id}/replay")
def replay(letter_id: int, desk: DeskDep, csrf: Annotated[str, Form(max_length=300)] = "") -> Response:
    desk.page.check_csrf(csrf)
    refused = desk.coordinators_only(ONLY_COORDINATORS, section=SECTION)
    if refused is not None:
        return refused
    consumers = runtime_of(desk.page.request).consumers
    try:
        replayed = letters.replay(desk.db, consumers, letter_id, desk.principal)
    except letters.DeadLetterNotFound as error:
        return desk.message(NOT_FOUND, error.detail, status=404, link=PATH, section=SECTION)
    except BrugError as error:
        heading = desk._(REFUSED.get(type(error), REFUSED[letters.NotReplayable]))
        return _page(desk, None, status=error.status_code, notice=heading, detail=error.detail, ok=False)
    return desk.staff.redirect(f"{PATH}?done={replayed.outcome}")
