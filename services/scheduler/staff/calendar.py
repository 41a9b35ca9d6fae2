"""``/staff?view=week`` and ``/staff?view=month``: the sessions of one week or month, filtered and paged.

Filters: the venue's city, the language, and (for coordinators) an ambassador and a provider. Whatever
a filter says, an ambassador sees only the sessions they run and provider staff their organisation's
(sessions.service.page_of_sessions). The list comes in pages of :data:`PAGE_SIZE` cards, each led by
the public title and the time, the internal title one tap away, as on the overview: a phone at the door
may be seen by others. Weeks start on Monday and are counted in the programme's zone (HOME_ZONE).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from urllib.parse import urlencode

from fastapi.responses import Response

from scheduler.accounts import service as accounts
from scheduler.languages import check_languages
from scheduler.providers import service as providers
from scheduler.sessions import service as sessions
from scheduler.sessions.filters import SessionFilters
from scheduler.staff.common import CANNOT, HOME_ZONE, Desk, today
from scheduler.staff.session_rows import rows
from scheduler.venues import service as venues
from shared.pages import N_
from shared.pages.locale import ENDONYMS

__all__ = ["View", "Period", "Choice", "calendar", "PAGE_SIZE"]

View = Literal["week", "month"]
PAGE_SIZE = 20
UNKNOWN_LANGUAGE = N_("Choose a language from the list.")


@dataclass(frozen=True)
class Period:
    """One week (from Monday) or one calendar month, as dates in the programme's zone."""

    view: View
    start: date

    @classmethod
    def around(cls, view: View, day: date) -> Period:
        start = day - timedelta(days=day.weekday()) if view == "week" else day.replace(day=1)
        return cls(view, start)

    @property
    def end(self) -> date:
        """The first day after the period."""
        if self.view == "week":
            return self.start + timedelta(days=7)
        return (self.start + timedelta(days=32)).replace(day=1)

    @property
    def last(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def previous(self) -> date:
        return (
            self.start - timedelta(days=7) if self.view == "week" else (self.start - timedelta(days=1)).replace(day=1)
        )

    def moment(self, day: date) -> datetime:
        return datetime.combine(day, time(), HOME_ZONE)


@dataclass(frozen=True)
class Choice:
    """The filters as chosen (empty: any)."""

    city: str = ""
    ambassador: str = ""
    language: str = ""
    provider: str = ""

    def query(self, **more: object) -> str:
        """The query string of these filters with ``more`` (empty values left out)."""
        values = {**self.__dict__, **more}
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return today()


def calendar(desk: Desk, view: View, at: str, choice: Choice, page: int) -> Response:
    """The page of ``view`` around the day ``at`` (YYYY-MM-DD; else today), filtered by ``choice``."""
    if choice.language and not _known_language(choice.language):
        return desk.message(CANNOT, desk._(UNKNOWN_LANGUAGE), status=422, link="/staff", section="home")
    period = Period.around(view, _day(at))
    filters = SessionFilters(
        starts_from=period.moment(period.start),
        starts_to=period.moment(period.end),
        city=choice.city or None,
        language=choice.language or None,
        limit=PAGE_SIZE + 1,
    )
    found = sessions.page_of_sessions(
        desk.db,
        desk.settings,
        desk.principal,
        filters,
        ambassador_id=choice.ambassador or None,
        provider_id=choice.provider or None,
        offset=(page - 1) * PAGE_SIZE,
    )
    return desk.render(
        "scheduler_staff_calendar.html",
        section="home",
        view=view,
        period=period,
        sessions=rows(desk, found[:PAGE_SIZE]),
        choice=choice,
        page_number=page,
        more=len(found) > PAGE_SIZE,
        options=_options(desk),
        everyone=desk.principal.is_coordinator,
    )


def _known_language(code: str) -> bool:
    try:
        check_languages([code])
    except ValueError:
        return False
    return True


def _options(desk: Desk) -> dict[str, list[tuple[str, str]]]:
    """What each filter offers (value, name); ambassadors and providers to coordinators only."""
    cities = sorted({v.city for v in venues.list_venues(desk.db)}, key=str.casefold)
    options = {"city": [(c, c) for c in cities], "language": sorted(ENDONYMS.items(), key=lambda item: item[0])}
    if desk.principal.is_coordinator:
        users = accounts.list_users(desk.db)
        options["ambassador"] = [(u.id, u.display_name) for u in users if u.role == "ambassador" and u.active]
        options["provider"] = [(p.id, p.name) for p in providers.list_providers(desk.db)]
    return options
