"""The staff sign-in page's token source: the scheduler signs its own staff in, without HTTP.

The notifier and the feedback service post the form's e-mail address and
password to ``POST /api/v1/auth/token``; the scheduler, which holds the
accounts, calls ``accounts.signin.sign_in_request`` directly (the same
password check, per-account lock-out and audit entry as the token endpoint). The per-client limit
on wrong passwords (``scheduler.deps.SignInLimit``, family ``sign-in``) still
applies, counted in the same window as the API's, so a guesser cannot get
ten tries through the API and ten more through the page; a refusal is the
kit's sign-in page with status 429 and ``Retry-After``, not a JSON error.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from scheduler.accounts import signin as accounts
from scheduler.deps import SIGN_IN_PER_MINUTE
from scheduler.errors import AccountDeactivated, InvalidCredentials
from shared.errors import BrugError
from shared.pages import N_
from shared.pages.staff import SignInRefused, TokenSource
from shared.ratelimit import TooManyRequests, limiter_of

__all__ = ["local_token_source", "FAMILY"]

#: the rate-limit family of ``POST /api/v1/auth/token`` (scheduler.deps.SignInLimit).
FAMILY = "sign-in"

WRONG = N_("The e-mail address or password is not right.")
TOO_MANY = N_("Too many attempts; wait a few minutes before you try again.")
DEACTIVATED = N_("This account is deactivated. Ask a coordinator if you still work with Brug.")


def local_token_source() -> TokenSource:
    """A :data:`TokenSource` that signs in through the scheduler's own accounts service."""

    async def obtain(request: Request, email: str, password: str) -> tuple[str, int]:
        return await run_in_threadpool(_sign_in, request, email, password)

    return obtain


def _sign_in(request: Request, email: str, password: str) -> tuple[str, int]:
    limiter = limiter_of(request.app)
    client = limiter.client(request)
    try:
        taken = limiter.take(FAMILY, client, SIGN_IN_PER_MINUTE)
    except TooManyRequests as refused:
        raise SignInRefused(TOO_MANY, status=429, retry_after=refused.retry_after) from None
    try:
        token = accounts.sign_in_request(request, email, password)
    except InvalidCredentials:
        raise SignInRefused(WRONG) from None  # a guess: it stays counted
    except AccountDeactivated:
        limiter.give_back(FAMILY, client, taken)
        raise SignInRefused(DEACTIVATED, status=403) from None
    except BrugError as error:  # e.g. a lock-out of the account: the accounts service's own words
        limiter.give_back(FAMILY, client, taken)
        retry = getattr(error, "retry_after", None)
        raise SignInRefused(error.detail, status=error.status_code, retry_after=retry) from None
    limiter.give_back(FAMILY, client, taken)
    return token.token, token.expires_in
