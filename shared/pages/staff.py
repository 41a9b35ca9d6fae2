"""Staff pages: sign-in with the scheduler's accounts, a session cookie, pages in Dutch or English.

Ambassadors, coordinators and provider staff sign in on the page of the
service they are using; the credentials go to the scheduler's OAuth2 token
endpoint (the only place that knows passwords, with its rate limits and
lock-out), and the access token it returns is kept in an HttpOnly,
SameSite=Strict session cookie of that service. Every staff page checks the
cookie's token with the scheduler's public key, like the APIs check the
bearer header, so a token expires (and the person signs in again) after the
same 30 minutes everywhere.

Staff pages are in Dutch and English only (the people who use them work in
Dutch organisations); their texts live in ``shared/locales/nl/LC_MESSAGES/
staff-*.po`` so the attendee catalogs, which every locale translates in full,
stay free of them.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

import httpx
from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import Response

from shared.auth import Principal, Unauthenticated, has_verifier, verify_on
from shared.forwarded_client import HEADER, sign
from shared.i18n import text_direction, translations
from shared.pages.kit import Page, PageDep
from shared.pages.locale import Language, switcher
from shared.ratelimit import client_of
from shared.settings import CommonSettings
from shared.tls import client_context

__all__ = [
    "STAFF_COOKIE",
    "STAFF_LOCALES",
    "SignInRefused",
    "StaffPage",
    "StaffPageDep",
    "TokenSource",
    "install",
    "staff_locale",
    "scheduler_token_source",
]

STAFF_COOKIE = "brug_staff"
STAFF_LOCALES = ("nl", "en")
SIGN_IN_PATH = "/staff/sign-in"


class SignInRefused(Exception):
    """The scheduler did not issue a token; ``message`` says why in words a person can act on."""

    def __init__(self, message: str, *, status: int = 401, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


#: (request, e-mail, password) → (access token, seconds it is valid); raises SignInRefused.
TokenSource = Callable[[Request, str, str], Awaitable[tuple[str, int]]]


class _NeedsSignIn(Exception):
    def __init__(self, target: str) -> None:
        self.target = target


def scheduler_token_source(
    token_url: str, *, settings: CommonSettings | None = None, service_secret: str | None = None, timeout: float = 10.0
) -> TokenSource:
    """Sign in through the scheduler's ``POST /api/v1/auth/token`` (for the notifier and feedback).

    With ``service_secret`` (BRUG_SERVICE_SECRET, the scheduler's too) the call names the person's own
    address, signed, so the scheduler's per-client limit counts each person, not this service as one
    client for all of them (shared.forwarded_client); ``settings`` say which proxies to believe.
    """

    async def obtain(request: Request, email: str, password: str) -> tuple[str, int]:
        headers = {}
        if service_secret:
            client_address = client_of(request, settings or CommonSettings())
            headers[HEADER] = sign(service_secret, client_address, time.time())
        try:
            async with httpx.AsyncClient(timeout=timeout, verify=client_context()) as client:
                answer = await client.post(token_url, data={"username": email, "password": password}, headers=headers)
        except httpx.HTTPError:
            raise SignInRefused("The sign-in service cannot be reached; try again in a minute.", status=503) from None
        if answer.status_code == 200:
            body = answer.json()
            return str(body["access_token"]), int(body.get("expires_in", 1800))
        retry = answer.headers.get("retry-after")
        if answer.status_code == 429:
            raise SignInRefused(
                "Too many attempts; wait a few minutes before you try again.",
                status=429,
                retry_after=int(retry) if retry and retry.isdigit() else None,
            )
        if answer.status_code in (400, 401, 403):
            raise SignInRefused("The e-mail address or password is not right.")
        raise SignInRefused("Signing in did not work; try again in a minute.", status=503)

    return obtain


def token_url_from_jwks(jwks_url: str) -> str:
    """The scheduler's token endpoint beside its JWKS URL (both served by the scheduler)."""
    parts = urlsplit(jwks_url)
    return f"{parts.scheme}://{parts.netloc}/api/v1/auth/token"


@dataclass
class StaffPage:
    """A staff page: the page (locale nl or en) and the signed-in principal."""

    page: Page
    principal: Principal
    token: str

    def render(self, template: str, *, status: int = 200, **context: Any) -> Response:
        return self.page.render(template, status=status, quick_exit=False, staff=self.principal, **context)

    def redirect(self, url: str) -> Response:
        return self.page.redirect(url)

    def refuse_unless(self, *roles: str, template: str, heading: str, text: str, **context: Any) -> Response | None:
        """None when the signed-in person has one of ``roles``; else the service's 403 page (``template``)
        with ``heading`` and ``text`` (marked with ``N_``, translated here) saying who may."""
        if self.principal.role in roles:
            return None
        _ = self.page.gettext
        return self.render(template, status=403, heading=_(heading), text=_(text), **context)


def staff_locale(page: Page) -> Page:
    """Staff pages speak Dutch or English: any other choice shows English."""
    if page.locale not in STAFF_LOCALES:
        page.locale = "en"
        page.direction = text_direction("en")
        page._catalog = translations("en")  # noqa: SLF001 - the page's own catalog, chosen here
    return page


def staff_languages(page: Page) -> list[Language]:
    """The language switcher of a staff page: Dutch and English, keeping the page."""
    return [lang for lang in _all_languages(page) if lang.code in STAFF_LOCALES]


def _all_languages(page: Page) -> list[Language]:
    return switcher(page.request.url.path, page.request.query_params, page.locale)


def principal_from_cookie(request: Request) -> tuple[Principal, str] | None:
    """The principal of the staff cookie's token, or None when there is none or it is no longer valid."""
    token = request.cookies.get(STAFF_COOKIE)
    if not token or not has_verifier(request.app):
        return None
    try:
        return verify_on(request.app, token), token  # a deactivated account's too (shared.revocations)
    except Unauthenticated:
        return None


def _staff_page(request: Request, page: PageDep) -> StaffPage:
    staff_locale(page)
    found = principal_from_cookie(request)
    if found is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise _NeedsSignIn(target)
    principal, token = found
    return StaffPage(page=page, principal=principal, token=token)


StaffPageDep = Annotated[StaffPage, Depends(_staff_page)]


def _safe_next(target: str | None, home: str) -> str:
    """Only a path on this service: a sign-in link must not send anyone elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return home
    return target


def install(app: FastAPI, *, token_source: TokenSource, home: str) -> None:
    """``/staff/sign-in`` and ``/staff/sign-out`` on ``app``; staff pages redirect there when needed.

    ``home`` is where a sign-in lands when no page asked for it (e.g. ``/staff``).
    """
    router = APIRouter(include_in_schema=False)

    @router.get(SIGN_IN_PATH)
    def sign_in_form(request: Request, page: PageDep, next: str | None = None) -> Response:  # noqa: A002
        staff_locale(page)
        return _render_sign_in(page, _safe_next(next, home))

    @router.post(SIGN_IN_PATH)
    async def sign_in(
        request: Request,
        page: PageDep,
        email: Annotated[str, Form(max_length=320)] = "",
        password: Annotated[str, Form(max_length=1024)] = "",
        csrf: Annotated[str | None, Form()] = None,
        next: Annotated[str | None, Form()] = None,  # noqa: A002
    ) -> Response:
        staff_locale(page)
        page.check_csrf(csrf)
        target = _safe_next(next, home)
        if not email.strip() or not password:
            return _render_sign_in(
                page, target, error=page.gettext("Fill in your e-mail address and password."), email=email, status=422
            )
        try:
            token, lifetime = await token_source(request, email.strip(), password)
        except SignInRefused as refused:
            response = _render_sign_in(
                page, target, error=page.gettext(refused.message), email=email, status=refused.status
            )
            if refused.retry_after is not None:
                response.headers["Retry-After"] = str(refused.retry_after)
            return response
        response = page.redirect(target)
        response.set_cookie(
            STAFF_COOKIE, token, max_age=lifetime, httponly=True, samesite="strict", secure=page.kit.secure, path="/"
        )
        return response

    @router.post("/staff/sign-out")
    def sign_out(page: PageDep, csrf: Annotated[str | None, Form()] = None) -> Response:
        page.check_csrf(csrf)
        response = page.redirect(SIGN_IN_PATH)
        response.delete_cookie(STAFF_COOKIE, path="/", httponly=True, samesite="strict", secure=page.kit.secure)
        return response

    async def _to_sign_in(request: Request, error: Exception) -> Response:
        assert isinstance(error, _NeedsSignIn)
        page = staff_locale(Page(request, request.app.state.pages))
        return page.redirect(f"{SIGN_IN_PATH}?next={quote(error.target, safe='')}")

    app.include_router(router)
    app.add_exception_handler(_NeedsSignIn, _to_sign_in)
    app.state.pages.env.globals["staff_languages"] = staff_languages


def _render_sign_in(
    page: Page, target: str, *, error: str | None = None, email: str = "", status: int = 200
) -> Response:
    return page.render("staff_sign_in.html", status=status, quick_exit=False, target=target, error=error, email=email)
