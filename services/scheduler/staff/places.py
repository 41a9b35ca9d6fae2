"""``/staff/venues``: venues and their rooms; every staff member may look, coordinators and ambassadors
add them (an ambassador often finds the room: a language café, a community centre).

A venue's real name stays on staff pages; its public name (for example just
the street and number) is what attendees see, so the form asks for both and
says why. Accessibility notes and whether there is a private entrance are for
staff only too: they help an ambassador tell an attendee how to get in.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from scheduler.staff.common import Desk, DeskDep
from scheduler.staff.forms import ROOM_ROWS, VenueForm
from scheduler.staff.labels import VENUE_KINDS
from scheduler.venues import service as venues
from scheduler.venues.schemas import WEEKDAYS
from shared.errors import BrugError
from shared.pages import N_

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

PLANNERS = ("coordinator", "ambassador")
ONLY_COORDINATORS = N_("Only coordinators and ambassadors add venues; ask one of them to add this one.")
ADDED = N_("The venue is added.")
NOT_ALLOWED = N_("This is not yours to open")

Text = Annotated[str, Form(max_length=300)]
#: a little over the API's 1000, so a note just too long gets the form's own message, not a bare 422.
LongText = Annotated[str, Form(max_length=2000)]

DAY_NAMES = {
    "mon": N_("Monday"),
    "tue": N_("Tuesday"),
    "wed": N_("Wednesday"),
    "thu": N_("Thursday"),
    "fri": N_("Friday"),
    "sat": N_("Saturday"),
    "sun": N_("Sunday"),
}


def _page(desk: Desk, form: VenueForm, *, status: int = 200, added: str = "") -> Response:
    return desk.render(
        "scheduler_staff_venues.html",
        status=status,
        section="venues",
        venues=venues.list_venues(desk.db),
        form=form,
        kinds=VENUE_KINDS,
        weekdays=WEEKDAYS,
        day_names=DAY_NAMES,
        may_add=desk.principal.role in PLANNERS,
        added=added,
    )


@router.get("/staff/venues")
def venue_list(desk: DeskDep, added: str = "") -> Response:
    return _page(desk, VenueForm(), added=added)


@router.post("/staff/venues")
def add_venue(
    desk: DeskDep,
    csrf: Text = "",
    name: Text = "",
    public_name: Text = "",
    kind: Text = "",
    address: Text = "",
    city: Text = "",
    neighbourhood: Text = "",
    hidden_hours: Text = "",
    accessibility_notes: LongText = "",
    private_entrance: Text = "",
    room_name: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
    room_capacity: Annotated[list[str], Form()] = [],  # noqa: B006
    opens: Annotated[list[str], Form()] = [],  # noqa: B006 - one per weekday, Monday first
    closes: Annotated[list[str], Form()] = [],  # noqa: B006
) -> Response:
    desk.page.check_csrf(csrf)
    if desk.principal.role not in PLANNERS:
        return desk.message(NOT_ALLOWED, desk._(ONLY_COORDINATORS), status=403, section="venues")
    form = VenueForm(
        name,
        public_name,
        kind,
        address,
        city,
        neighbourhood,
        hidden_hours,
        accessibility_notes,
        private_entrance == "yes",
        room_name[:ROOM_ROWS],
        room_capacity[:ROOM_ROWS],
    )
    form.hours = dict(zip(WEEKDAYS, zip(opens, closes, strict=False), strict=False))
    data = form.create()
    if data is None:
        return _page(desk, form, status=422)
    try:
        created = venues.create_venue(desk.db, data)
    except BrugError as error:
        return desk.refusal(error, section="venues", link="/staff/venues")
    return desk.staff.redirect(f"/staff/venues?added={created.id}")
