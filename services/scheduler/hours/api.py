"""HTTP routes for ambassadors' hours; planners only (provider staff get 403).

The CSV route is declared before the JSON one: otherwise ``{month}`` would
swallow ``2026-03.csv`` and refuse it as a malformed month.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from scheduler.deps import Planner, SettingsDep
from scheduler.hours import service
from scheduler.hours.schemas import MONTH_PATTERN, EntryCreate, EntryPublic, HoursLogged, MonthTotals
from scheduler.hours.statement import statement_csv
from shared.unit_of_work import SessionDep

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/hours", tags=["hours"])

Month = Annotated[str, Path(pattern=MONTH_PATTERN, description="A calendar month, YYYY-MM.")]


@router.post("", status_code=status.HTTP_201_CREATED)
def log_hours(data: EntryCreate, db: SessionDep, settings: SettingsDep, user: Planner) -> HoursLogged:
    """Stored even when it takes the month over the cap; then ``month.warning`` says so."""
    return service.log_entry(db, data, settings.allowance_caps, user)


@router.get("")
def list_hours(
    db: SessionDep,
    user: Planner,
    user_id: str | None = None,
    month: Annotated[str | None, Query(pattern=MONTH_PATTERN)] = None,
) -> list[EntryPublic]:
    return service.list_entries(db, user, user_id, month)


@router.get("/{user_id}/{month}.csv", response_class=Response)
def month_statement(user_id: str, month: Month, db: SessionDep, settings: SettingsDep, user: Planner) -> Response:
    totals = service.month_totals(db, user, user_id, month, settings.allowance_caps)
    body = statement_csv(service.month_entries(db, user, user_id, month), totals)
    disposition = f'attachment; filename="hours-{user_id}-{month}.csv"'
    return Response(body, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": disposition})


@router.get("/{user_id}/{month}")
def month_totals(user_id: str, month: Month, db: SessionDep, settings: SettingsDep, user: Planner) -> MonthTotals:
    return service.month_totals(db, user, user_id, month, settings.allowance_caps)
