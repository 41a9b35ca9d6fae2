"""``/staff/password``: every staff member changes their own password (current password, the new one twice).

The rules are the API's: the new password is checked by ``accounts.schemas.check_password`` (at least
``MIN_PASSWORD_LENGTH`` characters) and stored by ``accounts.service.change_password`` with the same
Argon2id hash. A wrong current password is guessing, so it is counted twice over, as on the sign-in
page: by the per-client limit (family ``sign-in``, scheduler.staff.signin) and by the account's
lock-out; a stolen session cookie gives no more tries than the sign-in form. No password is ever
written back into the page, logged or audited.

Other browsers signed in to the account stay signed in until their tokens expire (at most the token
lifetime, 30 minutes): the scheduler revokes tokens per account only when it is deactivated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response
from pydantic import SecretStr

from scheduler.accounts import service as accounts
from scheduler.accounts.lockout import SignInLocked
from scheduler.accounts.schemas import check_password
from scheduler.accounts.signin import policy_of
from scheduler.deps import SIGN_IN_PER_MINUTE
from scheduler.errors import WrongCurrentPassword
from scheduler.settings import MIN_PASSWORD_LENGTH
from scheduler.staff.common import Desk, DeskDep
from scheduler.staff.signin import FAMILY, TOO_MANY
from shared import audit
from shared.errors import BrugError
from shared.pages import N_
from shared.ratelimit import TooManyRequests, limiter_of

__all__ = ["router", "PATH", "PasswordForm", "Password", "new_password_errors"]

router = APIRouter(include_in_schema=False)

PATH = "/staff/password"
FILL_IN_CURRENT = N_("Fill in your current password.")
WRONG_CURRENT = N_("This is not your current password.")
TOO_SHORT = N_("The new password needs at least {count} characters; a few words make a good one.")
TOO_LONG = N_("The new password can have at most 256 characters.")
NOT_THE_SAME = N_("The two new passwords are not the same; type the new one twice.")
LOCKED = N_("Too many wrong passwords for this account. Wait {minutes} minutes, then try again.")

#: check_password's upper limit
MAX_PASSWORD_LENGTH = 256
#: a little over the rules' 256, so a password just too long gets the form's own message, not a bare 422.
Password = Annotated[str, Form(max_length=1024)]


@dataclass
class PasswordForm:
    """The fields that went wrong (name → words, translated); the passwords themselves are never kept."""

    errors: dict[str, str] = field(default_factory=dict)


def _page(desk: Desk, form: PasswordForm, *, status: int = 200, changed: bool = False) -> Response:
    return desk.render(
        "scheduler_staff_password.html",
        status=status,
        section="password",
        form=form,
        changed=changed,
        min_length=MIN_PASSWORD_LENGTH,
    )


def new_password_errors(gettext: Callable[..., str], new: str, repeated: str) -> dict[str, str]:
    """What is wrong with a new password typed twice (field name → words), by the API's rules; also for
    the reset link's page (scheduler.staff.password_reset)."""
    try:
        check_password(SecretStr(new))
    except ValueError:
        too_long = len(new) > MAX_PASSWORD_LENGTH
        return {"new_password": gettext(TOO_LONG) if too_long else gettext(TOO_SHORT, count=MIN_PASSWORD_LENGTH)}
    return {"repeat_password": gettext(NOT_THE_SAME)} if new != repeated else {}


def _checked(desk: Desk, current: str, new: str, repeated: str) -> PasswordForm:
    form = PasswordForm()
    if not current:
        form.errors["current_password"] = desk._(FILL_IN_CURRENT)
    form.errors.update(new_password_errors(desk._, new, repeated))
    return form


@router.get(PATH)
def password_form(desk: DeskDep, changed: str = "") -> Response:
    return _page(desk, PasswordForm(), changed=bool(changed))


@router.post(PATH)
def change_password(
    desk: DeskDep,
    csrf: Annotated[str, Form(max_length=300)] = "",
    current_password: Password = "",
    new_password: Password = "",
    repeat_password: Password = "",
) -> Response:
    desk.page.check_csrf(csrf)
    form = _checked(desk, current_password, new_password, repeat_password)
    if form.errors:
        return _page(desk, form, status=422)
    limiter = limiter_of(desk.staff.page.request.app)
    client = limiter.client(desk.staff.page.request)
    try:
        taken = limiter.take(FAMILY, client, SIGN_IN_PER_MINUTE)
    except TooManyRequests as refused:
        return _refused(desk, form, desk._(TOO_MANY), refused.retry_after)
    outcome = accounts.change_password(
        desk.db, desk.principal, current_password, new_password, policy_of(desk.settings)
    )
    if isinstance(outcome, WrongCurrentPassword):  # a guess: it stays counted
        form.errors["current_password"] = desk._(WRONG_CURRENT)
        return _page(desk, form, status=422)
    limiter.give_back(FAMILY, client, taken)
    if isinstance(outcome, SignInLocked):
        minutes = max(1, -(-outcome.retry_after // 60))
        return _refused(desk, form, desk._(LOCKED, minutes=minutes), outcome.retry_after)
    if isinstance(outcome, BrugError):
        return desk.refusal(outcome, section="password", link=PATH)
    audit.record(desk.db, desk.principal, "account.password_changed", account_id=desk.principal.user_id)
    return desk.staff.redirect(f"{PATH}?changed=1")


def _refused(desk: Desk, form: PasswordForm, words: str, retry_after: int) -> Response:
    """Too many tries: said beside the current password, with status 429 and Retry-After."""
    form.errors["current_password"] = words
    response = _page(desk, form, status=429)
    response.headers["Retry-After"] = str(retry_after)
    return response
