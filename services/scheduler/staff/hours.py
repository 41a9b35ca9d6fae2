"""``/staff/hours``: an ambassador's month against the allowance cap, its CSV statement, and (coordinators)
the ambassador's allowance settings.

Ambassadors see their own month; coordinators choose the ambassador. The
figures, the cap and its warning come from hours.service (month_totals,
month_entries), the CSV from hours.statement, as the API's
``GET /api/v1/hours/{user}/{month}.csv`` makes it; the page's link serves the
same file with the staff cookie instead of a bearer token.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response

from scheduler.accounts import service as accounts
from scheduler.errors import AllowanceCapMissing
from scheduler.hours import service as hours
from scheduler.hours.allowance import NO_CAP, MonthCap, cap_warning, known_years
from scheduler.hours.schemas import MONTH_PATTERN, MonthTotals
from scheduler.hours.statement import statement_csv
from scheduler.staff.common import NOT_FOUND, Desk, DeskDep, month_after, this_month
from scheduler.staff.forms import AllowanceForm
from shared import audit
from shared.errors import BrugError
from shared.pages import N_

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

ONLY_PLANNERS = N_("Hours are kept for ambassadors; coordinators see everyone's.")
NOT_ALLOWED = N_("This is not yours to open")
NO_AMBASSADORS = N_("There are no ambassadors yet.")
BAD_MONTH = N_("Give the month as YYYY-MM, like 2026-12.")
ONLY_COORDINATORS = N_("Only coordinators change an ambassador's allowance settings.")

Month = Annotated[str, Query(max_length=7)]
Text = Annotated[str, Form(max_length=100)]


@router.get("/staff/hours")
def month_page(
    desk: DeskDep, month: Month = "", user_id: Annotated[str, Query(max_length=64)] = "", saved: str = ""
) -> Response:
    if not desk.planner:
        return desk.message(NOT_ALLOWED, desk._(ONLY_PLANNERS), status=403, section="hours")
    return _page(desk, month, user_id, saved=saved == "allowance")


@router.post("/staff/hours/{user_id}/allowance")
def change_allowance(
    user_id: str,
    desk: DeskDep,
    csrf: Text = "",
    month: Text = "",
    capped: Text = "",
    limit: Text = "",
    per_session: Text = "",
) -> Response:
    """An ambassador's allowance settings, as ``PATCH /api/v1/users/{id}`` changes them (coordinators)."""
    desk.page.check_csrf(csrf)
    if not desk.principal.is_coordinator:
        return desk.message(NOT_ALLOWED, desk._(ONLY_COORDINATORS), status=403, section="hours")
    form = AllowanceForm(capped == "yes", limit, per_session)
    data = form.update()
    if data is None:
        return _page(desk, month, user_id, allowance=form, status=422)
    back = urlencode({"user_id": user_id, "month": _month(month)})
    try:
        accounts.update_user(desk.db, user_id, data)
    except BrugError as error:
        return desk.refusal(error, section="hours", link=f"/staff/hours?{back}")
    audit.record(desk.db, desk.principal, "account.updated", account_id=user_id)
    return desk.staff.redirect(f"/staff/hours?{back}&saved=allowance#allowance-settings")


def _page(
    desk: Desk,
    month: str,
    user_id: str,
    *,
    allowance: AllowanceForm | None = None,
    status: int = 200,
    saved: bool = False,
) -> Response:
    """The month of ``user_id`` (an ambassador: always their own); coordinators choose whose, and get the
    allowance settings form (``allowance``: as typed, with its errors)."""
    month, ambassadors = _month(month), []
    if desk.principal.is_coordinator:
        ambassadors = [u for u in accounts.list_users(desk.db) if u.role == "ambassador"]
        user_id = user_id or (ambassadors[0].id if ambassadors else "")
    else:
        user_id = desk.principal.user_id
    context: dict[str, Any] = {"month": month, "user_id": user_id, "ambassadors": ambassadors, "saved": saved}
    context |= {"previous": month_after(month, -1), "next": month_after(month, 1)}
    # a coordinator looking at an ambassador (the list holds them all) gets their settings as they are
    shown = next((AllowanceForm.of(u) for u in ambassadors if u.id == user_id), None)
    context["allowance"] = allowance or shown
    nothing: dict[str, Any] = {"totals": None, "entries": []}
    if not user_id:
        return desk.render(
            "scheduler_staff_hours.html", section="hours", refused=desk._(NO_AMBASSADORS), **nothing, **context
        )
    try:
        totals = hours.month_totals(desk.db, desk.principal, user_id, month, desk.settings.allowance_caps)
        entries = hours.month_entries(desk.db, desk.principal, user_id, month)
    except BrugError as error:  # the form stays: a year without a cap is no reason to lose the settings
        return desk.render(
            "scheduler_staff_hours.html",
            status=error.status_code,
            section="hours",
            refused=_refusal(desk, error, month),
            **nothing,
            **context,
        )
    return desk.render(
        "scheduler_staff_hours.html",
        status=status,
        section="hours",
        totals=totals,
        warning=_warning(desk, totals),
        entries=entries,
        refused="",
        **context,
    )


def _refusal(desk: Desk, error: BrugError, month: str) -> str:
    """Why the month cannot be shown; a year missing from the caps' setting in the page's language."""
    if isinstance(error, AllowanceCapMissing):
        caps = desk.settings.allowance_caps
        return desk._(NO_CAP, year=month[:4], known=known_years(caps))
    return error.detail


def _month(month: str) -> str:
    """``month`` if it is one (YYYY-MM), else this month."""
    return month if re.fullmatch(MONTH_PATTERN, month) else this_month()


def _warning(desk: Desk, totals: MonthTotals) -> str:
    """The cap warning in the page's language; the totals carry it in the API's English."""
    warned = cap_warning(totals.month, totals.allowance, MonthCap(totals.cap, totals.cap_source))
    return warned.render(desk._) if warned else ""


@router.get("/staff/hours/{user_id}/{month}.csv")
def statement(user_id: str, month: str, desk: DeskDep) -> Response:
    if not desk.planner:
        return desk.message(NOT_ALLOWED, desk._(ONLY_PLANNERS), status=403, section="hours")
    if not re.fullmatch(MONTH_PATTERN, month):
        return desk.message(NOT_FOUND, desk._(BAD_MONTH), status=404, section="hours")
    try:
        totals = hours.month_totals(desk.db, desk.principal, user_id, month, desk.settings.allowance_caps)
        body = statement_csv(hours.month_entries(desk.db, desk.principal, user_id, month), totals)
    except BrugError as error:
        return desk.refusal(error, section="hours")
    disposition = f'attachment; filename="hours-{user_id}-{month}.csv"'
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )
