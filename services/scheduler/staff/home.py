"""``/staff``: the sessions a person works on, this week first; a week or month view (scheduler.staff.calendar).

Coordinators see every session, ambassadors the ones they run, provider
staff their organisation's (``sessions.service.list_sessions`` decides).
Sessions that have ended but were never closed are listed on top: closing
one is what releases the attendance and the feedback cards.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from scheduler.sessions import service as sessions
from scheduler.sessions.filters import SessionFilters
from scheduler.sessions.models import SessionStatus
from scheduler.staff.calendar import Choice, calendar
from scheduler.staff.common import HOME_ZONE, DeskDep, today
from scheduler.staff.session_rows import rows

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

#: ended sessions still open are shown for this long (then they are a coordinator's business).
UNCLOSED_DAYS = 14
LIMIT = 200
Short = Annotated[str, Query(max_length=100)]


@router.get("/staff")
def home(
    desk: DeskDep,
    view: Literal["", "week", "month"] = "",
    at: Annotated[str, Query(max_length=10)] = "",
    city: Short = "",
    ambassador: Short = "",
    language: Short = "",
    provider: Short = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    """The overview; with ``view``, one week or month, filtered and paged (scheduler.staff.calendar)."""
    if view:
        return calendar(desk, view, at, Choice(city, ambassador, language, provider), page)
    start_of_today = datetime.combine(today(), time(), HOME_ZONE)
    week_end = start_of_today + timedelta(days=7)
    filters = SessionFilters(starts_from=start_of_today - timedelta(days=UNCLOSED_DAYS), limit=LIMIT)
    found = rows(desk, sessions.list_sessions(desk.db, desk.settings, desk.principal, filters))
    now = datetime.now(HOME_ZONE)
    to_close = [r for r in found if r.ended and r.session.status == SessionStatus.PUBLISHED]
    upcoming = [r for r in found if r.session.ends_at > now]
    return desk.render(
        "scheduler_staff_home.html",
        section="home",
        to_close=to_close,
        week=[r for r in upcoming if r.session.starts_at < week_end],
        later=[r for r in upcoming if r.session.starts_at >= week_end],
        everyone=desk.principal.is_coordinator,
        view="",
    )
