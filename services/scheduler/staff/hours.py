"""``/staff/hours``: an ambassador's month against the allowance cap, and its CSV statement.

Ambassadors see their own month; coordinators choose the ambassador. The
figures, the cap and its warning come from hours.service (month_totals,
month_entries), the CSV from hours.statement, as the API's
``GET /api/v1/hours/{user}/{month}.csv`` makes it; the page's link serves the
same file with the staff cookie instead of a bearer token.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from scheduler.accounts import service as accounts
from scheduler.hours import service as hours
from scheduler.hours.allowance import MonthCap, cap_warning
from scheduler.hours.schemas import MONTH_PATTERN, MonthTotals
from scheduler.hours.statement import statement_csv
from scheduler.staff.common import NOT_FOUND, Desk, DeskDep, month_after, this_month
from shared.errors import BrugError
from shared.pages import N_

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

ONLY_PLANNERS = N_("Hours are kept for ambassadors; coordinators see everyone's.")
NOT_ALLOWED = N_("This is not yours to open")
NO_AMBASSADORS = N_("There are no ambassadors yet.")
BAD_MONTH = N_("Give the month as YYYY-MM, like 2026-12.")

Month = Annotated[str, Query(max_length=7)]


@router.get("/staff/hours")
def month_page(desk: DeskDep, month: Month = "", user_id: Annotated[str, Query(max_length=64)] = "") -> Response:
    if not desk.planner:
        return desk.message(NOT_ALLOWED, desk._(ONLY_PLANNERS), status=403, section="hours")
    if not re.fullmatch(MONTH_PATTERN, month):
        month = this_month()
    ambassadors = []
    if desk.principal.is_coordinator:
        ambassadors = [u for u in accounts.list_users(desk.db) if u.role == "ambassador"]
        user_id = user_id or (ambassadors[0].id if ambassadors else "")
    else:
        user_id = desk.principal.user_id
    context = {"month": month, "user_id": user_id, "ambassadors": ambassadors}
    context |= {"previous": month_after(month, -1), "next": month_after(month, 1)}
    if not user_id:
        return desk.render(
            "scheduler_staff_hours.html",
            section="hours",
            totals=None,
            entries=[],
            refused=desk._(NO_AMBASSADORS),
            **context,
        )
    try:
        totals = hours.month_totals(desk.db, desk.principal, user_id, month, desk.settings.allowance_caps)
        entries = hours.month_entries(desk.db, desk.principal, user_id, month)
    except BrugError as error:
        status = error.status_code
        return desk.render(
            "scheduler_staff_hours.html",
            status=status,
            section="hours",
            totals=None,
            entries=[],
            refused=error.detail,
            **context,
        )
    return desk.render(
        "scheduler_staff_hours.html",
        section="hours",
        totals=totals,
        warning=_warning(desk, totals),
        entries=entries,
        refused="",
        **context,
    )


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
