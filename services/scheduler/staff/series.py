"""Planning a series: the session's form, how often it repeats, and a report per date before saving.

``POST /api/v1/sessions/series`` plans the dates that are free and leaves out
the others, each with its reason. A planner wants to see that before anything
is saved, to change the time or the room rather than lose dates: the "check"
step lists every date of the rule with what stops it (the room taken, an
ambassador busy, the venue closed, the clocks skipping the time), in the
same words as a single session's check (scheduler.staff.checks), and saves
nothing. Saving runs sessions.series.create_series, which checks each date
again under lock, and is audited as the API's series is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.datastructures import FormData

from scheduler.sessions import planning, series
from scheduler.sessions import service as sessions
from scheduler.sessions.schemas import SeriesCreate
from scheduler.staff.checks import Problem, problems
from scheduler.staff.common import Desk, DeskDep
from scheduler.staff.forms import REPEATS, SeriesRule, SessionForm
from scheduler.staff.sessions import ONLY_PLANNERS, Form, choices, read_form
from shared import audit
from shared.errors import BrugError
from shared.pages import N_

__all__ = ["router", "DateReport"]

router = APIRouter(include_in_schema=False)

NOT_ALLOWED = N_("This is not yours to open")
#: how each repeat is named on the form (forms.REPEATS)
REPEAT_NAMES = {
    "weekly": N_("Every week"),
    "fortnightly": N_("Every two weeks"),
    "monthly_weekday": N_("Every month on the same weekday (like the second Tuesday)"),
    "monthly_date": N_("Every month on the same date (like the 12th)"),
}
assert tuple(REPEAT_NAMES) == REPEATS


@dataclass(frozen=True)
class DateReport:
    """One date of the series and what would stop it (empty: it will be planned)."""

    starts_at: datetime
    ends_at: datetime
    problems: list[Problem]


def _read_rule(data: FormData) -> SeriesRule:
    def text(name: str) -> str:
        value = data.get(name)
        return value if isinstance(value, str) else ""

    return SeriesRule(repeat=text("repeat") or "weekly", count=text("count"), until=text("until"))


def _report(desk: Desk, request: SeriesCreate) -> list[DateReport]:
    """Each date of the rule with its problems, nothing written; BrugError for a request refused whole."""
    ambassador_ids = sessions.prepare(desk.db, request, desk.principal)
    venue, room = planning.place(desk.db, request.venue_id, request.room_id)
    dates = series.occurrences(request.rrule, request.starts_at, request.ends_at, venue.timezone)
    series.check_span(request, dates, venue.timezone, desk.settings)
    found = []
    for starts_at, ends_at in dates:
        if (skipped := series.off_the_clock(starts_at, ends_at, request, venue.timezone)) is not None:
            found.append(DateReport(starts_at, ends_at, [Problem("clocks", skipped)]))
            continue
        plan = planning.Plan(venue, room, starts_at, ends_at, request.capacity, ambassador_ids)
        found.append(DateReport(starts_at, ends_at, problems(desk.db, plan, desk.settings)))
    return found


def _page(desk: Desk, form: SessionForm, rule: SeriesRule, *, status: int = 200, **context: Any) -> Response:
    context = {"report": None, "refused": "", "timezone": "", **context}
    return desk.render(
        "scheduler_staff_series.html",
        status=status,
        section="new",
        form=form,
        rule=rule,
        repeats=REPEAT_NAMES,
        editing=None,
        **choices(desk, form),
        **context,
    )


@router.get("/staff/sessions/series")
def new_series(desk: DeskDep) -> Response:
    if not desk.planner:
        return desk.message(NOT_ALLOWED, desk._(ONLY_PLANNERS), status=403)
    return _page(desk, SessionForm(), SeriesRule(count="6"))


@router.post("/staff/sessions/series")
def plan_series(desk: DeskDep, data: Form) -> Response:
    """``action=check``: the report per date; ``action=save``: the series, then its first session's page."""
    csrf = data.get("csrf")
    desk.page.check_csrf(csrf if isinstance(csrf, str) else None)
    if not desk.planner:
        return desk.message(NOT_ALLOWED, desk._(ONLY_PLANNERS), status=403)
    form, rule = read_form(data), _read_rule(data)
    request = form.series(desk.db, rule)
    if request is None:
        return _page(desk, form, rule, status=422)
    try:
        report = _report(desk, request)
        if data.get("action") != "save":
            timezone = planning.place(desk.db, request.venue_id, request.room_id)[0].timezone
            return _page(desk, form, rule, report=report, timezone=timezone)
        planned = series.create_series(desk.db, request, desk.settings, desk.principal)
    except BrugError as error:
        return _page(desk, form, rule, status=error.status_code, refused=error.detail)
    audit.record(
        desk.db, desk.principal, "session.series_created", series_id=planned.series_id, sessions=len(planned.created)
    )
    first = planned.created[0].id
    return desk.staff.redirect(f"/staff/sessions/{first}?series={len(planned.created)}&left_out={len(planned.skipped)}")
