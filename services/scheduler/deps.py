"""Dependency aliases for the scheduler's routes.

Every staff route names who may call it: ``Staff`` (any signed-in staff
member), ``Planner`` (coordinators and ambassadors) or ``Coordinator``.
Tokens are checked as the other services check them (shared.auth); the
scheduler, which owns the accounts, also refuses a token whose account was
deactivated after it was issued.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from scheduler.accounts import service as accounts
from scheduler.accounts.tokens import TokenIssuer
from scheduler.errors import BookingNotFound, InvalidCredentials, WrongCurrentPassword
from scheduler.settings import SchedulerSettings
from shared.auth import CurrentUser, Principal, Role, current_principal, ensure_role
from shared.ratelimit import Attempt, counted_attempt, rate_limited
from shared.unit_of_work import SessionDep
from shared.web import runtime_of

__all__ = [
    "SettingsDep",
    "IssuerDep",
    "Staff",
    "MaybeStaff",
    "Planner",
    "Coordinator",
    "set_issuer",
    "SignInLimit",
    "PasswordChangeLimit",
    "RegistrationLimit",
    "SessionRegistrationLimit",
    "REGISTRATIONS_PER_SESSION_PER_HOUR",
    "BookingLinkLimit",
    "BookingLinkAttempt",
    "SIGN_IN_PER_MINUTE",
]


async def _settings(request: Request) -> SchedulerSettings:
    """``async`` because it does no I/O: a plain ``def`` dependency costs a thread-pool hop per request."""
    return runtime_of(request).settings  # type: ignore[return-value]  # Runtime holds CommonSettings; this service's app was built with its own


SettingsDep = Annotated[SchedulerSettings, Depends(_settings)]


def set_issuer(app: FastAPI, issuer: TokenIssuer) -> None:
    """Keep the signer on the app, built once from the settings when the app is created."""
    app.state.token_issuer = issuer


async def _issuer(request: Request) -> TokenIssuer:
    issuer: TokenIssuer = request.app.state.token_issuer  # app.state holds anything; the lifespan puts it there
    return issuer


IssuerDep = Annotated[TokenIssuer, Depends(_issuer)]


def _staff(principal: CurrentUser, db: SessionDep) -> Principal:
    return accounts.ensure_active(db, principal)


Staff = Annotated[Principal, Depends(_staff)]


_optional_bearer = HTTPBearer(auto_error=False, description="A staff access token, where one is optional.")


def _maybe_staff(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_optional_bearer)],
    db: SessionDep,
) -> Principal | None:
    """The staff member on a route attendees may also call (with their own capability)."""
    if credentials is None:
        return None
    return accounts.ensure_active(db, current_principal(request, credentials))


#: ``None`` for a request without a token; a bad token is still 401.
MaybeStaff = Annotated[Principal | None, Depends(_maybe_staff)]


def _roles(*roles: Role) -> Callable[[Principal], Principal]:
    def dependency(principal: Staff) -> Principal:
        return ensure_role(principal, *roles)

    return dependency


Planner = Annotated[Principal, Depends(_roles("coordinator", "ambassador"))]
Coordinator = Annotated[Principal, Depends(_roles("coordinator"))]


# Per client and minute; BRUG_RATE_LIMIT_PER_MINUTE ({"sign-in": n, ...}) overrides each, 0 turns it off.
#: wrong passwords: a person who mistypes a few times is not held up, a guesser is.
#: (The staff sign-in page counts in the same family, scheduler.staff.signin.)
SIGN_IN_PER_MINUTE = 10
SignInLimit = Depends(rate_limited("sign-in", per_minute=SIGN_IN_PER_MINUTE, failures=(InvalidCredentials,)))
#: wrong current passwords on a password change: guessing as at sign-in, counted in the same family.
PasswordChangeLimit = Depends(
    rate_limited("sign-in", per_minute=SIGN_IN_PER_MINUTE, failures=(InvalidCredentials, WrongCurrentPassword))
)
#: registrations, right or wrong: a reception centre's shared address still fits a full session a minute.
RegistrationLimit = Depends(rate_limited("registration", per_minute=60))
#: registrations per client for one session in any hour: one client (a script) took every seat and
#: most of the waiting list with 70 (issue 16, item 2c). Behind one address (a reception centre's
#: Wi-Fi) more people may need to register for one meeting: raise it in BRUG_RATE_LIMIT_PER_MINUTE.
REGISTRATIONS_PER_SESSION_PER_HOUR = 5
SessionRegistrationLimit = Depends(
    rate_limited("registration-per-session", per_hour=REGISTRATIONS_PER_SESSION_PER_HOUR, scope="session_id")
)
#: wrong booking links (code or token): guessing them is the attack; opening one's own is not counted.
BOOKING_LINKS_PER_MINUTE = 20
BookingLinkLimit = Depends(
    rate_limited("booking-link", per_minute=BOOKING_LINKS_PER_MINUTE, failures=(BookingNotFound,))
)
#: the booking pages show a wrong link themselves: ``attempt.succeeded()`` when it was right.
BookingLinkAttempt = Annotated[Attempt, Depends(counted_attempt("booking-link", per_minute=BOOKING_LINKS_PER_MINUTE))]
