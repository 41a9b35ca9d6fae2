"""HTTP routes for sign-in, the public key, and staff accounts (coordinators only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordRequestForm

from scheduler.accounts import service, signin
from scheduler.accounts.schemas import PasswordChange, TokenResponse, UserCreate, UserPublic, UserUpdate
from scheduler.deps import Coordinator, IssuerDep, PasswordChangeLimit, SettingsDep, SignInLimit, Staff
from shared import audit
from shared.auth import CurrentUser
from shared.unit_of_work import SessionDep
from shared.web import runtime_of

__all__ = ["auth_router", "users_router", "well_known_router"]

auth_router = APIRouter(prefix="/api/v1/auth", tags=["accounts"])
users_router = APIRouter(prefix="/api/v1/users", tags=["accounts"])
well_known_router = APIRouter(tags=["accounts"])


@auth_router.post(
    "/token",
    dependencies=[SignInLimit],
    responses={
        429: {
            "description": "Too many tries from this client, or this e-mail address is locked out "
            "(BRUG_SIGNIN_LOCKOUT_*); Retry-After says for how many seconds."
        }
    },
)
async def sign_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request, settings: SettingsDep, issuer: IssuerDep
) -> TokenResponse:
    """OAuth2 password flow: form fields ``username`` (the e-mail address) and ``password``.

    Its own transaction (not SessionDep), so a refusal still commits its count (scheduler.accounts.signin)."""
    policy = signin.policy_of(settings)
    token = await run_in_threadpool(signin.sign_in, runtime_of(request), issuer, policy, form.username, form.password)
    return TokenResponse(access_token=token.token, expires_in=token.expires_in)


@auth_router.get("/me")
def me(db: SessionDep, user: Staff) -> UserPublic:
    """The signed-in account, as the scheduler knows it."""
    return service.get_user(db, user.user_id)


@auth_router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[PasswordChangeLimit],
    responses={
        403: {"description": "WrongCurrentPassword: counted as a wrong sign-in for this account and client."},
        429: {"description": "Too many wrong passwords from this client, or for this account (as at sign-in)."},
    },
)
async def change_password(data: PasswordChange, request: Request, settings: SettingsDep, user: CurrentUser) -> None:
    """The signed-in account's own password. A wrong ``current_password`` counts towards the account's
    sign-in lock-out and the client's sign-in limit, so a stolen token cannot guess it without end.
    Other tokens of the account stay valid until they expire (tokens are revoked only on deactivation).

    Its own transaction (not SessionDep), so a refusal still commits its count (scheduler.accounts.signin)."""
    current, new = data.current_password.get_secret_value(), data.new_password.get_secret_value()
    await run_in_threadpool(signin.change_password, runtime_of(request), signin.policy_of(settings), user, current, new)


@well_known_router.get("/.well-known/jwks.json")
def jwks(issuer: IssuerDep, response: Response) -> dict[str, list[dict[str, str]]]:
    """The public key that verifies every access token (RFC 7517); the other services fetch it."""
    response.headers["Cache-Control"] = "public, max-age=300"
    return issuer.jwks()


@users_router.post("", status_code=status.HTTP_201_CREATED)
def create_user(data: UserCreate, db: SessionDep, user: Coordinator) -> UserPublic:
    created = service.create_user(db, data)
    audit.record(db, user, "account.created", account_id=created.id, role=created.role)
    return created


@users_router.get("")
def list_users(db: SessionDep, _user: Coordinator) -> list[UserPublic]:
    return service.list_users(db)


@users_router.get("/{user_id}")
def get_user(user_id: str, db: SessionDep, _user: Coordinator) -> UserPublic:
    return service.get_user(db, user_id)


@users_router.patch("/{user_id}")
def update_user(user_id: str, data: UserUpdate, db: SessionDep, user: Coordinator) -> UserPublic:
    """Change an account: only the fields given change; null clears monthly_allowance_limit or session_allowance.

    languages (never empty), allowance_capped, monthly_allowance_limit and session_allowance are for ambassadors
    only: 422 NotForThisAccount, naming the field, for another role, or for a personal limit
    while allowance_capped is false. The month's cap follows at once (GET /api/v1/hours/...)."""
    updated = service.update_user(db, user_id, data)
    audit.record(db, user, "account.updated", account_id=user_id)
    return updated


@users_router.post("/{user_id}/deactivate")
def deactivate_user(user_id: str, db: SessionDep, user: Coordinator, issuer: IssuerDep) -> UserPublic:
    """The account signs in nowhere from now on; its tokens are refused here at once, and at the notifier
    and the feedback service as soon as they hear of it (scheduling.account.deactivated)."""
    deactivated = service.deactivate(db, user_id, issuer.lifetime)
    audit.record(db, user, "account.deactivated", account_id=user_id)
    return deactivated
