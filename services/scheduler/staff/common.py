"""What every staff page of the scheduler shares: the signed-in desk, refusals as pages, months, pages of a list.

``DeskDep`` is the staff page (kit: cookie, locale, CSRF) plus the request's
database session and settings, once the scheduler has checked that the
account is still active, as the API's ``Staff`` dependency does: a token of
an account deactivated since it was issued opens no page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from scheduler.accounts import service as accounts
from scheduler.deps import SettingsDep
from scheduler.errors import AccountDeactivated
from scheduler.settings import SchedulerSettings
from shared.auth import Forbidden, Principal
from shared.errors import BrugError, NotFound
from shared.pages import N_, Page
from shared.pages.staff import STAFF_COOKIE, StaffPage, StaffPageDep
from shared.unit_of_work import SessionDep

__all__ = [
    "Desk",
    "DeskDep",
    "install_errors",
    "this_month",
    "HOME_ZONE",
    "PLANNERS",
    "PAGE_SIZE",
    "PageNumber",
    "page_holding",
]

#: the zone "this week" and "this month" are counted in (the venues' default).
HOME_ZONE = ZoneInfo("Europe/Amsterdam")
PLANNERS = ("coordinator", "ambassador")

#: cards per page of a list (users, providers): a phone scrolls through twenty without losing its way
PAGE_SIZE = 20
PageNumber = Annotated[int, Query(ge=1, le=100_000)]


def page_holding(position: int | None) -> int:
    """The page a list's ``position``-th card (0 first) is on; the first when it is not listed."""
    return 1 if position is None else position // PAGE_SIZE + 1


NOT_FOUND = N_("We cannot find this")
NOT_YOURS = N_("This is not yours to open")
CANNOT = N_("This cannot be done")
SIGNED_OUT = N_("Please sign in again")
DEACTIVATED = N_("This account is deactivated. Ask a coordinator if you still work with Brug.")
COORDINATORS_ONLY = N_("For coordinators only")


class _Deactivated(Exception):
    def __init__(self, page: Page) -> None:
        self.page = page


@dataclass
class Desk:
    staff: StaffPage
    db: Session
    settings: SchedulerSettings

    @property
    def principal(self) -> Principal:
        return self.staff.principal

    @property
    def page(self) -> Page:
        return self.staff.page

    @property
    def planner(self) -> bool:
        return self.principal.role in PLANNERS

    def _(self, message: str, **values: Any) -> str:
        return self.page.gettext(message, **values)

    def render(self, template: str, *, status: int = 200, section: str = "", **context: Any) -> Response:
        return self.staff.render(template, status=status, section=section, **context)

    def message(self, heading: str, text: str, *, status: int, link: str = "", section: str = "") -> Response:
        """A short page: what happened (``heading``, a message id) and what to do (``text``, words)."""
        return self.render(
            "scheduler_staff_message.html",
            status=status,
            section=section,
            heading=self._(heading),
            text=text,
            link=link,
        )

    def moment(self, at: datetime) -> str:
        """``at`` as a day with its year and a time in the programme's zone (a log's times span years)."""
        return f"{self.page.day(at, HOME_ZONE.key)}, {at.astimezone(HOME_ZONE):%H:%M}"

    def coordinators_only(self, text: str, *, section: str) -> Response | None:
        """None for a coordinator; else the 403 page saying who may (``text``: a message id, why)."""
        return self.staff.refuse_unless(
            "coordinator",
            template="scheduler_staff_message.html",
            heading=COORDINATORS_ONLY,
            text=text,
            section=section,
            link="",
        )

    def refusal(self, error: BrugError, *, section: str = "", link: str = "") -> Response:
        """The scheduler's refusal as a page with its status: 404, 403, or the rule that stopped it."""
        heading = NOT_FOUND if isinstance(error, NotFound) else NOT_YOURS if isinstance(error, Forbidden) else CANNOT
        return self.message(heading, error.detail, status=error.status_code, link=link, section=section)


def _desk(staff: StaffPageDep, db: SessionDep, settings: SettingsDep) -> Desk:
    try:
        accounts.ensure_active(db, staff.principal)
    except AccountDeactivated:
        raise _Deactivated(staff.page) from None
    return Desk(staff, db, settings)


DeskDep = Annotated[Desk, Depends(_desk)]


async def _deactivated(_request: Request, error: Exception) -> Response:
    assert isinstance(error, _Deactivated)
    page = error.page
    response = page.render(
        "scheduler_staff_message.html",
        status=401,
        quick_exit=False,
        staff=None,
        section="",
        heading=page.gettext(SIGNED_OUT),
        text=page.gettext(DEACTIVATED),
        link="/staff/sign-in",
    )
    response.delete_cookie(STAFF_COOKIE, path="/", httponly=True, samesite="strict", secure=page.kit.secure)
    return response


def install_errors(app: FastAPI) -> None:
    app.add_exception_handler(_Deactivated, _deactivated)


def this_month() -> str:
    return f"{datetime.now(HOME_ZONE):%Y-%m}"


def month_after(month: str, step: int) -> str:
    """``YYYY-MM`` moved by ``step`` months."""
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1 + step
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def today() -> date:
    return datetime.now(HOME_ZONE).date()
