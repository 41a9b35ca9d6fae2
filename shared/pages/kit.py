"""The page kit a service installs, and the per-request :class:`Page` its routes render with."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from shared.formats import format_day, format_hours, format_items, format_when, language_name
from shared.i18n import N_, text_direction, translations
from shared.pages import locale as locales
from shared.pages.security import HTML_HEADERS, STATIC_HEADERS, Csrf, CsrfFailed, derive_key

__all__ = [
    "PageKit",
    "Page",
    "PageDep",
    "install",
    "too_many_tries",
    "N_",
    "QUICK_EXIT_URL",
    "STATIC_DIR",
    "TEMPLATES_DIR",
]

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates"
#: where the quick-exit button leaves for: a search anyone might make, on a site anyone might visit.
QUICK_EXIT_URL = "https://www.google.com/search?q=weather"
#: a year: the language someone chose stays chosen.
LANG_COOKIE_AGE = 365 * 86400

_R = TypeVar("_R", bound=Response)


class _Static(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(STATIC_HEADERS)
        return response


class PageKit:
    """Templates (the service's first, then the shared ones), the CSRF key, cookie flags."""

    def __init__(self, templates: Sequence[Path], csrf: Csrf) -> None:
        self.csrf = csrf
        self._loader = ChoiceLoader([FileSystemLoader([*map(str, templates), str(TEMPLATES_DIR)])])
        self.env = Environment(
            loader=self._loader,
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        versions = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:10] for p in STATIC_DIR.iterdir()}
        self.env.globals["static"] = lambda name: f"/static/{name}?v={versions.get(name, '0')}"
        self.env.globals["quick_exit_url"] = QUICK_EXIT_URL

    @property
    def secure(self) -> bool:
        return self.csrf.secure

    def add_templates(self, folder: Path, *, first: bool = False) -> None:
        """Find templates in ``folder`` too: before all the others (``first``), else after them."""
        added = FileSystemLoader(str(folder))
        self._loader.loaders = [added, *self._loader.loaders] if first else [*self._loader.loaders, added]


class Page:
    """One request's page: its locale, its texts, its CSRF token, its response."""

    def __init__(self, request: Request, kit: PageKit) -> None:
        self.request = request
        self.kit = kit
        asked = request.query_params.get("lang")
        self.locale = locales.choose(
            asked, request.cookies.get(locales.LANG_COOKIE), request.headers.get("accept-language")
        )
        self.direction = text_direction(self.locale)
        self._remember_lang = locales.match(asked) is not None
        self._catalog = translations(self.locale)
        self._csrf_value = request.cookies.get(kit.csrf.cookie)
        self._new_csrf = False

    # texts -------------------------------------------------------------
    def gettext(self, message: str, **values: Any) -> str:
        """``message`` in this page's locale, ``{placeholders}`` filled in."""
        text = self._catalog.gettext(message)
        return text.format(**values) if values else text

    def language_name(self, code: str) -> str:
        """A session's language, named in the page's locale (``ar`` → "Arabisch" on a Dutch page;
        ``fa-AF`` → "Dari", shared.formats.LANGUAGE_NAMES)."""
        return language_name(code, self.locale) or locales.ENDONYMS.get(code, code)

    def languages(self, codes: Sequence[str]) -> str:
        """A session's languages as a list the page's locale writes (``Arabisch, Dari en Tigrinya``)."""
        return format_items((self.language_name(code) for code in codes), self.locale)

    def day(self, moment: datetime, timezone: str) -> str:
        """The day with its year: ``donderdag 4 maart 2027``."""
        return format_day(moment, timezone, self.locale)

    def when(self, moment: datetime, timezone: str) -> str:
        """The day and hour: ``donderdag 4 maart 14:00``."""
        return format_when(moment, timezone, self.locale)

    def hours(self, starts: datetime, ends: datetime, timezone: str) -> str:
        """``14:00 – 16:00``."""
        return format_hours(starts, ends, timezone)

    # CSRF --------------------------------------------------------------
    @property
    def csrf_token(self) -> str:
        """The hidden field for a form on this page (sets the cookie when the browser has none)."""
        if self._csrf_value is None:
            self._csrf_value = self.kit.csrf.new_value()
            self._new_csrf = True
        return self.kit.csrf.token_for(self._csrf_value)

    def check_csrf(self, submitted: str | None) -> None:
        self.kit.csrf.check(self.request, submitted)

    # responses ---------------------------------------------------------
    def render(self, template: str, *, status: int = 200, quick_exit: bool = True, **context: Any) -> HTMLResponse:
        """``template`` in this page's locale, with the security headers and cookies every page gets."""
        body = self.kit.env.get_template(template).render(
            page=self,
            _=self.gettext,
            languages=locales.switcher(self.request.url.path, self.request.query_params, self.locale),
            quick_exit=quick_exit,
            **context,
        )
        return self._finish(HTMLResponse(body, status_code=status))

    def redirect(self, url: str) -> Response:
        return self._finish(RedirectResponse(url, status_code=303))

    def _finish(self, response: _R) -> _R:
        response.headers.update(HTML_HEADERS)
        secure = self.kit.secure
        if self._remember_lang:
            response.set_cookie(
                locales.LANG_COOKIE, self.locale, max_age=LANG_COOKIE_AGE, httponly=True, samesite="lax", secure=secure
            )
        if self._new_csrf and self._csrf_value is not None:
            # a session cookie: gone when the browser closes, so nothing lingers on a shared phone
            response.set_cookie(self.kit.csrf.cookie, self._csrf_value, httponly=True, samesite="strict", secure=secure)
        return response


def _page(request: Request) -> Page:
    return Page(request, request.app.state.pages)


PageDep = Annotated[Page, Depends(_page)]


def too_many_tries(request: Request, retry_after: int = 60) -> Response:
    """The 429 page (shared.ratelimit renders it for page routes; it sets Retry-After).

    A wait of a minute at most says so; a longer one (an hourly family: registrations per session)
    says "later" rather than a number a person would have to watch the clock for."""
    page = _page(request)
    if retry_after > 60:
        return page.render(
            "message.html",
            status=429,
            heading=page.gettext("Try again"),
            text=page.gettext("Too many tries from this connection. Try again later."),
        )
    return page.render(
        "message.html",
        status=429,
        heading=page.gettext("Please wait a moment"),
        text=page.gettext("Too many tries from this connection. Wait a minute, then try again."),
    )


async def _csrf_failed(request: Request, _error: Exception) -> Response:
    page = _page(request)
    return page.render(
        "message.html",
        status=403,
        heading=page.gettext("This page was open too long"),
        text=page.gettext("This page was out of date. The form was not sent. Go back, reload the page and try again."),
        link=f"{request.url.path}?{request.url.query}" if request.url.query else request.url.path,
    )


def install(
    app: FastAPI, *, routers: Sequence[APIRouter], templates: Sequence[Path], secret: str | bytes, public_url: str
) -> PageKit:
    """Serve ``routers``' pages and ``/static`` from ``app``; ``secret`` (a service secret) keys CSRF
    tokens; cookies are Secure when ``public_url`` is https."""
    kit = PageKit(templates, Csrf(derive_key(secret), secure=public_url.lower().startswith("https://")))
    app.state.pages = kit
    for router in routers:
        app.include_router(router)
    app.mount("/static", _Static(directory=STATIC_DIR), name="static")
    app.add_exception_handler(CsrfFailed, _csrf_failed)
    return kit
