"""Planning a session, and changing one (its time, room, details): a "check" step shows every clash first.

The form posts with ``action=check`` (validate and show what would stop it,
save nothing) or ``action=save`` (store it through sessions.service or
sessions.changes, which run the same checks again under lock: a slot taken
in between is still refused, and shown the same way). With JavaScript on,
staff-scheduler.js posts the form to the ``.../check`` JSON routes as it is
filled in, so the warnings appear while typing; without it, the check button
does the same in a round trip.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import FormData

from scheduler.accounts import service as accounts
from scheduler.providers import service as providers
from scheduler.sessions import access, changes, planning
from scheduler.sessions import service as sessions
from scheduler.sessions.schemas import SessionCreate, SessionPublic, SessionUpdate
from scheduler.staff.checks import Problem, problems
from scheduler.staff.common import Desk, DeskDep
from scheduler.staff.forms import SessionForm, language_choices
from scheduler.staff.labels import AUDIENCES, CUTOFFS, INTEGRATION_PHASES, OTHER_CUTOFF, TOPIC_NAMES
from scheduler.venues import service as venues
from shared.digits import read_number
from shared.errors import BrugError
from shared.events import Audience
from shared.pages import N_

__all__ = ["router", "read_form", "choices", "Form", "ONLY_PLANNERS"]

router = APIRouter(include_in_schema=False)

NOT_ALLOWED = N_("This is not yours to open")
ONLY_PLANNERS = N_("Only coordinators and ambassadors plan sessions.")
NO_PROBLEMS = N_("No clashes: the room and the ambassadors are free and the venue is open.")


async def _form(request: Request) -> FormData:
    return await request.form()


Form = Annotated[FormData, Depends(_form)]


def read_form(data: FormData) -> SessionForm:
    """The session form as posted (also the series form's session part)."""

    def text(name: str) -> str:
        value = data.get(name)
        return value if isinstance(value, str) else ""

    return SessionForm(
        room_id=text("room_id"),
        day=text("day"),
        starts=text("starts"),
        ends=text("ends"),
        languages=[code for code in data.getlist("languages") if isinstance(code, str)],
        audience=text("audience") or Audience.OPEN,
        topics=[t for t in data.getlist("topics") if isinstance(t, str)],
        internal_title=text("internal_title"),
        public_title=text("public_title"),
        capacity=text("capacity"),
        booking_cutoff=text("booking_cutoff") or "0",
        public=text("public") == "yes",
        provider_id=text("provider_id"),
        interpreter_present=text("interpreter_present") == "yes",
        integration_phase=text("integration_phase"),
        ambassador_ids=[a for a in data.getlist("ambassador_ids") if isinstance(a, str)],
    )


def choices(desk: Desk, form: SessionForm) -> dict[str, Any]:
    """What the form offers: the API's own allowed values, each named for staff; the languages each in
    its own script (as attendees find theirs), with any other code the session already has."""
    ambassadors = []
    if desk.principal.is_coordinator:
        ambassadors = [u for u in accounts.list_users(desk.db) if u.role == "ambassador" and u.active]
    return {
        "venues": venues.list_venues(desk.db),
        "providers": providers.list_providers(desk.db),
        "ambassadors": ambassadors,
        "audiences": AUDIENCES,
        "topics": TOPIC_NAMES,
        "phases": INTEGRATION_PHASES,
        "language_choices": language_choices(form.languages),
        "cutoffs": _cutoffs(desk, form),
    }


def _cutoffs(desk: Desk, form: SessionForm) -> dict[str, str]:
    """The cut-offs to choose from, by minutes, named; one set through the API stays among them."""
    named = {str(minutes): desk._(name) for minutes, name in CUTOFFS.items()}
    minutes = read_number(form.booking_cutoff)
    if minutes is not None and str(minutes) not in named:
        named[str(minutes)] = desk._(OTHER_CUTOFF, minutes=minutes)
    return named


def _check_new(desk: Desk, form: SessionForm) -> tuple[SessionCreate | None, list[Problem], str]:
    """The request, what would stop it, and a refusal that is not about the plan (e.g. a provider)."""
    data = form.create(desk.db)
    if data is None:
        return None, [], ""
    try:
        ambassador_ids = sessions.prepare(desk.db, data, desk.principal)
        venue, room = planning.place(desk.db, data.venue_id, data.room_id)
    except BrugError as error:
        return data, [], error.detail
    plan = planning.Plan(venue, room, data.starts_at, data.ends_at, data.capacity, ambassador_ids)
    return data, problems(desk.db, plan, desk.settings), ""


def _new_page(desk: Desk, form: SessionForm, *, status: int = 200, **context: Any) -> Response:
    context = {"checked": False, "problems": [], "refused": "", **context}
    return desk.render(
        "scheduler_staff_plan.html",
        status=status,
        section="new",
        form=form,
        editing=None,
        **choices(desk, form),
        **context,
    )


@router.get("/staff/sessions/new")
def new_session(desk: DeskDep) -> Response:
    if not desk.planner:
        return desk.message(NOT_ALLOWED, desk._(ONLY_PLANNERS), status=403)
    return _new_page(desk, SessionForm())


@router.post("/staff/sessions/new")
def plan_session(desk: DeskDep, data: Form) -> Response:
    desk.page.check_csrf(_str(data.get("csrf")))
    if not desk.planner:
        return desk.message(NOT_ALLOWED, desk._(ONLY_PLANNERS), status=403)
    form = read_form(data)
    request, found, refused = _check_new(desk, form)
    if request is None or refused:
        return _new_page(desk, form, status=422, refused=refused)
    if found or data.get("action") != "save":
        return _new_page(desk, form, status=409 if found else 200, checked=True, problems=found)
    try:
        created = sessions.create_session(desk.db, request, desk.settings, desk.principal)
    except BrugError as error:  # taken in between: show it as the check would
        _, found, refused = _check_new(desk, form)
        return _new_page(
            desk, form, status=error.status_code, checked=True, problems=found, refused=refused or error.detail
        )
    return desk.staff.redirect(f"/staff/sessions/{created.id}?saved=1")


@router.post("/staff/sessions/check")
def check_new(desk: DeskDep, data: Form) -> JSONResponse:
    """The live warnings, as the form is filled in: the planning rules only (room, time, places,
    ambassadors), so a clash shows before the titles are typed. Saving checks everything."""
    desk.page.check_csrf(_str(data.get("csrf")))
    form = read_form(data)
    if not desk.planner:
        return _live(desk, form, False, [], desk._(ONLY_PLANNERS))
    try:
        plan = _draft(desk, form)
    except BrugError as error:
        return _live(desk, form, False, [], error.detail)
    found = problems(desk.db, plan, desk.settings) if plan else []
    return _live(desk, form, plan is not None, found, "")


def _draft(desk: Desk, form: SessionForm) -> planning.Plan | None:
    """The plan of a form that may lack its titles and languages yet; None without a room or a time."""
    form.errors = {}
    placed = form.place(desk.db)
    when = form.moments(placed[0].timezone) if placed else None
    if placed is None or when is None:
        return None
    venue, room = planning.place(desk.db, placed[0].id, placed[1].id)
    capacity = read_number(form.capacity) or 1
    ambassador_ids = access.ambassadors_for_new_session(desk.principal, form.ambassador_ids)
    return planning.Plan(venue, room, when[0], when[1], capacity, ambassador_ids)


def _live(desk: Desk, form: SessionForm, complete: bool, found: list[Problem], refused: str) -> JSONResponse:
    body = {
        "complete": complete,
        "problems": [{"heading": desk._(p.heading), "detail": p.detail} for p in found],
        "refused": refused,
        "fields": {name: desk._(message) for name, message in form.errors.items()},
        "ok": desk._(NO_PROBLEMS) if complete and not found and not refused else "",
    }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


# moving a session ------------------------------------------------------------------------------


def _editable(desk: Desk, session_id: str) -> SessionPublic:
    """The session, if this person may change it and it is still planned (else the scheduler's refusal)."""
    sessions.runnable(desk.db, session_id, desk.principal, what="changes")
    return sessions.get_session(desk.db, session_id, desk.settings, desk.principal)


def _check_move(
    desk: Desk, current: SessionPublic, form: SessionForm
) -> tuple[SessionUpdate | None, list[Problem], str]:
    data = form.update(desk.db, current)
    if data is None:
        return None, [], ""
    try:
        venue, room = planning.place(desk.db, data.venue_id or current.venue_id, data.room_id or current.room_id)
    except BrugError as error:
        return data, [], error.detail
    starts_at, ends_at = data.starts_at or current.starts_at, data.ends_at or current.ends_at
    plan = planning.Plan(venue, room, starts_at, ends_at, data.capacity or current.capacity, current.ambassador_ids)
    return data, problems(desk.db, plan, desk.settings, exclude_id=current.id), ""


def _edit_page(desk: Desk, current: SessionPublic, form: SessionForm, *, status: int = 200, **context: Any) -> Response:
    context = {"checked": False, "problems": [], "refused": "", **context}
    return desk.render(
        "scheduler_staff_plan.html",
        status=status,
        section="home",
        form=form,
        editing=current,
        **choices(desk, form),
        **context,
    )


@router.get("/staff/sessions/{session_id}/edit")
def edit_session(session_id: str, desk: DeskDep) -> Response:
    try:
        current = _editable(desk, session_id)
    except BrugError as error:
        return desk.refusal(error)
    return _edit_page(desk, current, SessionForm.of(current))


@router.post("/staff/sessions/{session_id}/edit")
def move_session(session_id: str, desk: DeskDep, data: Form) -> Response:
    desk.page.check_csrf(_str(data.get("csrf")))
    try:
        current = _editable(desk, session_id)
    except BrugError as error:
        return desk.refusal(error)
    form = read_form(data)
    form.public_title = current.public_title  # it cannot change: attendees have it
    request, found, refused = _check_move(desk, current, form)
    if request is None or refused:
        return _edit_page(desk, current, form, status=422, refused=refused)
    if found or data.get("action") != "save":
        return _edit_page(desk, current, form, status=409 if found else 200, checked=True, problems=found)
    try:
        changed = changes.audited(
            desk.db, desk.principal, changes.change(desk.db, session_id, request, desk.settings, desk.principal)
        )
    except BrugError as error:
        _, found, _refused = _check_move(desk, current, form)
        return _edit_page(
            desk, current, form, status=error.status_code, checked=True, problems=found, refused=error.detail
        )
    return desk.staff.redirect(f"/staff/sessions/{session_id}?{'moved' if changed.moved else 'changed'}=1")


@router.post("/staff/sessions/{session_id}/check")
def check_move(session_id: str, desk: DeskDep, data: Form) -> JSONResponse:
    desk.page.check_csrf(_str(data.get("csrf")))
    form = read_form(data)
    try:
        current = _editable(desk, session_id)
    except BrugError as error:
        return _live(desk, form, False, [], error.detail)
    request, found, refused = _check_move(desk, current, form)
    return _live(desk, form, request is not None and not refused, found, refused)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None
