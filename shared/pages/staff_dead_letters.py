"""``/staff/dead-letters`` on the notifier and the feedback service: the events the service gave up on,
and a replay for each (coordinators), as the scheduler's page (scheduler.staff.dead_letters) has them.

The list and the replay are shared.dead_letters': a replay applies the kept event through the service's
own consumer in this request's transaction (its inbox applies an event once, however often it is
replayed), marks the letter replayed and records ``dead_letter.replayed`` in the audit log; then the
page redirects, so a reload replays nothing. One template (``staff_dead_letters.html``) for all three
services, inside each one's own layout.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response

from shared.dead_letters import service as letters
from shared.errors import BrugError
from shared.pages.kit import N_
from shared.pages.staff import StaffPage, StaffPageDep
from shared.unit_of_work import SessionDep
from shared.web import runtime_of

__all__ = ["PATH", "PAGE_SIZE", "REFUSED", "DONE", "router"]

PATH = "/staff/dead-letters"
PAGE_SIZE = 20
#: what a refused replay is called on the page (the error's detail says why, in the log's English).
REFUSED: dict[type[BrugError], str] = {
    letters.AlreadyReplayed: N_("This event was replayed before; nothing was done twice."),
    letters.NotReplayable: N_("This event cannot be replayed here."),
    letters.ReplayFailed: N_("The event failed again, so it stays in this list."),
}
DONE = {
    "applied": N_("Replayed: the event is applied."),
    "duplicate": N_("Replayed: the event had been applied already, so nothing changed twice."),
}
ONLY_COORDINATORS = N_("Only coordinators see and replay events a service gave up on.")
FOR_COORDINATORS = N_("For coordinators only")
NOT_THERE = N_("We cannot find this")
ZONE = "Europe/Amsterdam"


def router(*, layout: str, message: str, service: str) -> APIRouter:
    """The page inside ``layout`` (the service's staff template); ``message`` is its template for a
    refusal; ``service`` names the service in the page's texts ("the notifier")."""
    routes = APIRouter(include_in_schema=False)

    def page(staff: StaffPage, db: SessionDep, before: int | None, *, status: int = 200, **shown: Any) -> Response:
        found = letters.read_page(db, before=before, limit=PAGE_SIZE)
        return staff.render(
            "staff_dead_letters.html",
            status=status,
            layout=layout,
            service=staff.page.gettext(service),
            found=found,
            moment=lambda at: staff.page.when(at, ZONE),
            **({"notice": "", "detail": "", "ok": True} | shown),
        )

    def refused(staff: StaffPage) -> Response | None:
        return staff.refuse_unless("coordinator", template=message, heading=FOR_COORDINATORS, text=ONLY_COORDINATORS)

    @routes.get(PATH)
    def dead_letters(
        staff: StaffPageDep,
        db: SessionDep,
        before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
        done: str = "",
    ) -> Response:
        if (refusal := refused(staff)) is not None:
            return refusal
        return page(staff, db, before, notice=staff.page.gettext(DONE[done]) if done in DONE else "")

    @routes.post(PATH + "/{letter_id}/replay")
    def replay(
        letter_id: int, staff: StaffPageDep, db: SessionDep, csrf: Annotated[str, Form(max_length=300)] = ""
    ) -> Response:
        staff.page.check_csrf(csrf)
        if (refusal := refused(staff)) is not None:
            return refusal
        _ = staff.page.gettext
        try:
            replayed = letters.replay(db, runtime_of(staff.page.request).consumers, letter_id, staff.principal)
        except letters.DeadLetterNotFound as error:
            return staff.render(message, status=404, heading=_(NOT_THERE), text=error.detail)
        except BrugError as error:
            heading = _(REFUSED.get(type(error), REFUSED[letters.NotReplayable]))
            return page(staff, db, None, status=error.status_code, notice=heading, detail=error.detail, ok=False)
        return staff.redirect(f"{PATH}?done={replayed.outcome}")

    return routes
