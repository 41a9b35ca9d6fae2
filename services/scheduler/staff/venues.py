"""``/staff/venues``: venues and their rooms; every staff member may look, coordinators and ambassadors
add them (an ambassador often finds the room: a language café, a community centre), and coordinators
change how attendees find one (its public name, address, city, neighbourhood) and its notes for staff,
as ``PATCH /api/v1/venues/{id}`` does (venues.service.update_venue: attendees of its upcoming sessions
are told a new place).

A venue's real name stays on staff pages; its public name (for example just
the street and number) is what attendees see, so the form asks for both and
says why. Accessibility notes and whether there is a private entrance are for
staff only too: they help an ambassador tell an attendee how to get in.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from scheduler.errors import AddressNotHidden
from scheduler.staff.common import Desk, DeskDep
from scheduler.staff.forms import HIDDEN_ADDRESS, ROOM_ROWS, VenueForm
from scheduler.staff.labels import VENUE_KINDS
from scheduler.venues import service as venues
from scheduler.venues.schemas import WEEKDAYS
from shared import audit
from shared.errors import BrugError
from shared.pages import N_

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

PLANNERS = ("coordinator", "ambassador")
ONLY_COORDINATORS = N_("Only coordinators and ambassadors add venues; ask one of them to add this one.")
ADDED = N_("The venue is added.")
NOT_ALLOWED = N_("This is not yours to open")
ONLY_COORDINATORS_CHANGE = N_("Only coordinators change venues; ask one to change this one.")
CHANGED = N_("The venue is changed.")

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


def _page(
    desk: Desk,
    form: VenueForm,
    *,
    status: int = 200,
    added: str = "",
    changed: str = "",
    editing: tuple[str, VenueForm] | None = None,
) -> Response:
    """The venues; a coordinator gets each one's edit form, filled in as it is (``editing``: as typed)."""
    listed = venues.list_venues(desk.db)
    may_edit = desk.principal.is_coordinator
    edits = {venue.id: VenueForm.of(venue) for venue in listed} if may_edit else {}
    if editing is not None:
        edits[editing[0]] = editing[1]
    return desk.render(
        "scheduler_staff_venues.html",
        status=status,
        section="venues",
        venues=listed,
        form=form,
        kinds=VENUE_KINDS,
        weekdays=WEEKDAYS,
        day_names=DAY_NAMES,
        may_add=desk.principal.role in PLANNERS,
        may_edit=may_edit,
        edits=edits,
        editing=editing[0] if editing else "",
        added=added,
        changed=changed,
    )


@router.get("/staff/venues")
def venue_list(desk: DeskDep, added: str = "", changed: str = "") -> Response:
    return _page(desk, VenueForm(), added=added, changed=changed)


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


@router.post("/staff/venues/{venue_id}")
def change_venue(
    venue_id: str,
    desk: DeskDep,
    csrf: Text = "",
    public_name: Text = "",
    address: Text = "",
    city: Text = "",
    neighbourhood: Text = "",
    accessibility_notes: LongText = "",
    private_entrance: Text = "",
) -> Response:
    desk.page.check_csrf(csrf)
    if not desk.principal.is_coordinator:
        return desk.message(NOT_ALLOWED, desk._(ONLY_COORDINATORS_CHANGE), status=403, section="venues")
    form = VenueForm(
        public_name=public_name,
        address=address,
        city=city,
        neighbourhood=neighbourhood,
        accessibility_notes=accessibility_notes,
        private_entrance=private_entrance == "yes",
    )
    data = form.update()
    if data is None:
        return _page(desk, VenueForm(), status=422, editing=(venue_id, form))
    try:
        venues.update_venue(desk.db, venue_id, data)
    except AddressNotHidden as error:
        form.errors["form"] = HIDDEN_ADDRESS
        return _page(desk, VenueForm(), status=error.status_code, editing=(venue_id, form))
    except BrugError as error:
        return desk.refusal(error, section="venues", link="/staff/venues")
    audit.record(desk.db, desk.principal, "venue.updated", venue_id=venue_id)
    return desk.staff.redirect(f"/staff/venues?changed={venue_id}#venue-{venue_id}")
