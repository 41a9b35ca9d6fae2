"""Password reset links: a coordinator issues one from ``/staff/users``; its holder sets a new password.

POST /staff/users/{id}/reset   (coordinators) a new one-time link for the account, shown once on the
                               answer; e-mailed to the account's address too when BRUG_SMTP_HOST is set;
                               audited as ``account.password_reset_issued``
GET  /staff/reset/{secret}     (anyone holding it) the form for the new password, typed twice
POST /staff/reset/{secret}     the new password set by the password page's rules; audited as
                               ``account.password_reset``; then ``/staff/reset-done``

The rules are in scheduler.accounts.resets (expiry, once only, stored as a hash, the lock-out ended).
The link's page names no account, and a link that no longer works says why and what to do, the same
for every account. The answer that shows a new link is not a redirect: the link exists nowhere else.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Form
from fastapi.responses import Response

from scheduler.accounts import reset_mail, resets
from scheduler.accounts.resets import ResetState
from scheduler.accounts.signin import policy_of
from scheduler.deps import SettingsDep
from scheduler.settings import MIN_PASSWORD_LENGTH
from scheduler.staff.common import Desk, DeskDep
from scheduler.staff.password import Password, PasswordForm, new_password_errors
from scheduler.staff.users import ONLY_COORDINATORS
from scheduler.staff.users import PATH as USERS
from shared import audit
from shared.errors import BrugError
from shared.pages import N_, Page, PageDep
from shared.pages.staff import staff_locale
from shared.unit_of_work import SessionDep

__all__ = ["router", "PATH", "DONE"]

router = APIRouter(include_in_schema=False)

PATH = "/staff/reset"
DONE = "/staff/reset-done"
Text = Annotated[str, Form(max_length=300)]

LINK_USED = N_("This link has been used already")
LINK_EXPIRED = N_("This link has expired")
LINK_UNKNOWN = N_("This link does not work")
ASK_AGAIN = N_("A link works once, for a short while. Ask a coordinator for a new link.")
CHECK_COPY = N_("Check that you opened the whole link, or ask a coordinator for a new link.")
HEADINGS = {ResetState.USED: LINK_USED, ResetState.EXPIRED: LINK_EXPIRED, ResetState.UNKNOWN: LINK_UNKNOWN}
CHOOSE = N_("Choose a new password")
PASSWORD_SET = N_("Your new password is set")
SIGN_IN_NOW = N_("Sign in with your e-mail address and the new password.")


@router.post(USERS + "/{user_id}/reset")
def issue_reset(user_id: str, desk: DeskDep, background: BackgroundTasks, csrf: Text = "") -> Response:
    desk.page.check_csrf(csrf)
    refused = desk.coordinators_only(ONLY_COORDINATORS, section="users")
    if refused is not None:
        return refused
    now, lifetime = desk.settings.clock.now(), timedelta(hours=desk.settings.password_reset_hours)
    try:
        issued = resets.issue(desk.db, user_id, desk.principal.user_id, lifetime, now)
    except BrugError as error:  # an unknown or deactivated account
        return desk.refusal(error, section="users", link=USERS)
    audit.record(desk.db, desk.principal, "account.password_reset_issued", account_id=user_id)
    link = f"{desk.settings.scheduler_public_url.rstrip('/')}{PATH}/{issued.secret}"
    if desk.settings.email_enabled:  # after the commit: the e-mail never carries a link that does not exist
        message = reset_mail.compose(desk.settings, issued.user.email, link, issued.expires_at, now)
        background.add_task(reset_mail.send, desk.settings, message, user_id)
    return _issued(desk, issued, link)


def _issued(desk: Desk, issued: resets.IssuedReset, link: str) -> Response:
    return desk.render(
        "scheduler_staff_reset_issued.html",
        section="users",
        person=issued.user,
        link=link,
        until=desk.moment(issued.expires_at),
        mailed=desk.settings.email_enabled,
    )


@router.get(PATH + "/{secret}")
def reset_form(secret: str, page: PageDep, db: SessionDep, settings: SettingsDep) -> Response:
    staff_locale(page)
    state = resets.state_of(db, secret, settings.clock.now())
    if state is not ResetState.VALID:
        return _not_working(page, state)
    return _form(page, secret, PasswordForm())


@router.post(PATH + "/{secret}")
def set_password(
    secret: str,
    page: PageDep,
    db: SessionDep,
    settings: SettingsDep,
    csrf: Text = "",
    new_password: Password = "",
    repeat_password: Password = "",
) -> Response:
    staff_locale(page)
    page.check_csrf(csrf)
    now = settings.clock.now()
    form = PasswordForm(new_password_errors(page.gettext, new_password, repeat_password))
    if form.errors:
        state = resets.state_of(db, secret, now)  # a link gone bad meanwhile says so, not "too short"
        return _form(page, secret, form, status=422) if state is ResetState.VALID else _not_working(page, state)
    outcome = resets.use(db, secret, new_password, policy_of(settings), now)
    if isinstance(outcome, ResetState):
        return _not_working(page, outcome)
    audit.record(db, None, "account.password_reset", account_id=outcome.id)
    return page.redirect(DONE)


@router.get(DONE)
def reset_done(page: PageDep) -> Response:
    staff_locale(page)
    return _message(page, PASSWORD_SET, page.gettext(SIGN_IN_NOW), status=200)


def _form(page: Page, secret: str, form: PasswordForm, *, status: int = 200) -> Response:
    action = f"{PATH}/{secret}"
    return _render(page, CHOOSE, status, action=action, form=form, min_length=MIN_PASSWORD_LENGTH)


def _not_working(page: Page, state: ResetState) -> Response:
    """410 for a link used or expired, 404 for one that never was; each says what to do."""
    text = CHECK_COPY if state is ResetState.UNKNOWN else ASK_AGAIN
    status = 404 if state is ResetState.UNKNOWN else 410
    return _message(page, HEADINGS[state], page.gettext(text), status=status)


def _message(page: Page, heading: str, text: str, *, status: int) -> Response:
    """A short page with ``heading`` (a message id) and ``text`` (words), and the way to sign in."""
    return _render(page, heading, status, text=text, form=None)


def _render(page: Page, heading: str, status: int, **fields: Any) -> Response:
    """The reset link's page, outside the staff pages' frame (nobody is signed in on it)."""
    return page.render(
        "scheduler_staff_reset.html",
        status=status,
        quick_exit=False,
        staff=None,
        section="",
        heading=page.gettext(heading),
        **fields,
    )
