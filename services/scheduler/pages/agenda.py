"""The public agenda: upcoming public sessions by city and language, a page anyone may open.

GET /agenda?city=...&language=...&page=N

It shows what the JSON listing (GET /api/v1/public/sessions, scheduler.sessions.public) releases,
and less: each session's public title in the page's language, its day and hours, its city and its
languages, and a link to its page, where the place is told as that page tells it. The filters are a
plain GET form (no JavaScript needed) offering only the cities and languages something is on in, each
language named in its own script so a reader finds theirs whatever the page's language. Never a filter
on audience or topic: a filter tells what it matches (scheduler.sessions.public says more).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from babel import Locale, UnknownLocaleError
from fastapi import APIRouter, Query
from fastapi.responses import Response

from scheduler.deps import SettingsDep
from scheduler.sessions import public
from scheduler.sessions.filters import PublicFilters
from shared.pages import PageDep
from shared.pages.locale import ENDONYMS
from shared.titles import title_for
from shared.unit_of_work import SessionDep

__all__ = ["router", "PAGE_SIZE", "language_choice"]

router = APIRouter(include_in_schema=False)

#: sessions a page shows: a phone's few screens.
PAGE_SIZE = 10
#: beyond this a page number is a typing error, not a page.
LAST_PAGE = 1000


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    city: str
    languages: list[str]


@dataclass(frozen=True)
class Choice:
    value: str
    name: str
    #: the language the name is written in ("" for a city: the page's own)
    lang: str = ""
    direction: str = "auto"


def language_choice(code: str) -> Choice:
    """``code``'s language named in itself (``ar`` → العربية, as the language switcher names it), in
    its own direction."""
    try:
        own: Locale | None = Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        own = None
    name = ENDONYMS.get(code) or (own.get_display_name(own) if own else None) or code
    return Choice(code, name, code, own.text_direction if own else "auto")


def _number(asked: str) -> int:
    """The page asked for: a number from 1 to LAST_PAGE, else the first."""
    return int(asked) if asked.isdigit() and 1 <= int(asked) <= LAST_PAGE else 1


def _href(city: str, language: str, number: int) -> str:
    kept = [(name, value) for name, value in (("city", city), ("language", language)) if value]
    return f"/agenda?{urlencode([*kept, ('page', str(number))])}"


@router.get("/agenda")
def agenda(
    db: SessionDep,
    settings: SettingsDep,
    page: PageDep,
    city: str = "",
    language: str = "",
    number: Annotated[str, Query(alias="page")] = "",
) -> Response:
    """A city or language the listing does not offer is no filter (an old link, a typed address)."""
    cities, languages = public.listed_cities(db), public.listed_languages(db)
    city = next((known for known in cities if known.casefold() == city.strip().casefold()), "")
    language = language if language in languages else ""
    shown = _number(number)
    filters = PublicFilters(city=city or None, language=language or None, limit=PAGE_SIZE + 1)
    found = public.public_listing(db, filters, settings, offset=(shown - 1) * PAGE_SIZE)
    entries = [
        Entry(
            id=s.id,
            title=title_for(page.locale, s.public_title, s.public_titles, s.languages),
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            timezone=s.timezone,
            city=s.place.city,
            languages=s.languages,
        )
        for s in found[:PAGE_SIZE]
    ]
    return page.render(
        "agenda.html",
        entries=entries,
        cities=[Choice(name, name) for name in cities],
        language_choices=[language_choice(code) for code in languages],
        city=city,
        language=language,
        previous=_href(city, language, shown - 1) if shown > 1 else "",
        next=_href(city, language, shown + 1) if len(found) > PAGE_SIZE else "",
    )
