"""``/staff/users``: coordinators list, create, change and deactivate staff accounts.

The same service functions and audit entries as ``/api/v1/users``
(accounts.service.create_user, update_user, deactivate; ``account.created``,
``account.updated``, ``account.deactivated``): the page can do nothing the API
would refuse, and the audit log cannot tell the two apart. The coordinator
hands the first password over in person; the person changes it on
``/staff/password``; a forgotten one, with the card's reset link
(scheduler.staff.password_reset). An ambassador's allowance settings stay on
the hours page (scheduler.staff.hours), which the card links.

A deactivated account signs in nowhere from then on (accounts.service.deactivate
says how the other services learn it); there is no undo, so the button sits in
a fold that says so first. A coordinator's own card has no such button: the
last coordinator cannot be deactivated anyway, and no one should lock
themselves out by a slip of the thumb.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from scheduler.accounts import service as accounts
from scheduler.deps import IssuerDep
from scheduler.errors import EmailTaken
from scheduler.providers import service as providers
from scheduler.settings import MIN_PASSWORD_LENGTH
from scheduler.staff.account_forms import (
    EMAIL_TAKEN,
    NONE_TICKED,
    Languages,
    UserEditForm,
    UserForm,
)
from scheduler.staff.common import NOT_YOURS, PAGE_SIZE, Desk, DeskDep, PageNumber, page_holding
from scheduler.staff.forms import language_choices
from scheduler.staff.labels import ROLE_NAMES
from shared import audit
from shared.errors import BrugError
from shared.pages import N_

__all__ = ["router", "PATH"]

router = APIRouter(include_in_schema=False)

PATH = "/staff/users"
ONLY_COORDINATORS = N_("Only coordinators manage staff accounts; ask a coordinator.")

Text = Annotated[str, Form(max_length=400)]
#: a little over the rules' 256, so a password just too long gets the form's own message, not a bare 422.
Password = Annotated[str, Form(max_length=1024)]


def _refused(desk: Desk) -> Response | None:
    """The coordinator pages' refusal (403) for anyone else."""
    if desk.principal.is_coordinator:
        return None
    return desk.message(NOT_YOURS, desk._(ONLY_COORDINATORS), status=403, section="users")


def _page(
    desk: Desk,
    form: UserForm,
    *,
    number: int = 1,
    status: int = 200,
    done: str = "",
    editing: tuple[str, UserEditForm] | None = None,
) -> Response:
    """Page ``number`` of the accounts as cards, each with its edit form (``editing``: one as typed, on the
    page that holds it), and the new-account form.

    ``done`` is what just happened: "added", "changed" or "deactivated" (the redirect's anchor shows to whom)."""
    if editing is not None:
        number = page_holding(accounts.listed_position(desk.db, editing[0]))
    found = accounts.listed_users(desk.db, (number - 1) * PAGE_SIZE, PAGE_SIZE + 1)
    every_provider = providers.list_providers(desk.db)
    listed = found[:PAGE_SIZE]
    edits = {user.id: UserEditForm.of(user) for user in listed}
    if editing is not None:
        edits[editing[0]] = editing[1]
    return desk.render(
        "scheduler_staff_users.html",
        status=status,
        section="users",
        users=listed,
        page_number=number,
        more=len(found) > PAGE_SIZE,
        providers={p.id: p.name for p in every_provider},
        # a new staff account only for a provider that is not deactivated (providers.service.active)
        choosable={p.id: p.name for p in every_provider if p.active},
        roles=ROLE_NAMES,
        form=form,
        edits=edits,
        editing=editing[0] if editing else "",
        done=done,
        min_length=MIN_PASSWORD_LENGTH,
        reset_hours=desk.settings.password_reset_hours,
        language_choices=language_choices(form.languages, *(edit.languages for edit in edits.values())),
    )


def _shown(desk: Desk, user_id: str, done: str) -> Response:
    """After a change: the list at the page that holds the account, at its card."""
    number = page_holding(accounts.listed_position(desk.db, user_id))
    return desk.staff.redirect(f"{PATH}?{done}={user_id}&page={number}#user-{user_id}")


@router.get(PATH)
def user_list(
    desk: DeskDep, page: PageNumber = 1, added: str = "", changed: str = "", deactivated: str = ""
) -> Response:
    refused = _refused(desk)
    if refused is not None:
        return refused
    done = "added" if added else "changed" if changed else "deactivated" if deactivated else ""
    return _page(desk, UserForm(), number=page, done=done)


@router.post(PATH)
def add_user(
    desk: DeskDep,
    csrf: Text = "",
    email: Text = "",
    display_name: Text = "",
    role: Text = "",
    provider_id: Text = "",
    languages: Languages = NONE_TICKED,
    password: Password = "",
) -> Response:
    desk.page.check_csrf(csrf)
    refused = _refused(desk)
    if refused is not None:
        return refused
    form = UserForm(email, display_name, role, provider_id, languages)
    data = form.create(password)
    if data is None:
        return _page(desk, form, status=422)
    try:
        created = accounts.create_user(desk.db, data)
    except EmailTaken as error:
        form.errors["email"] = EMAIL_TAKEN
        return _page(desk, form, status=error.status_code)
    except BrugError as error:
        return desk.refusal(error, section="users", link=PATH)
    audit.record(desk.db, desk.principal, "account.created", account_id=created.id, role=created.role)
    return _shown(desk, created.id, "added")


@router.post(PATH + "/{user_id}")
def change_user(
    user_id: str, desk: DeskDep, csrf: Text = "", display_name: Text = "", languages: Languages = NONE_TICKED
) -> Response:
    desk.page.check_csrf(csrf)
    refused = _refused(desk)
    if refused is not None:
        return refused
    form = UserEditForm(display_name, languages)
    try:
        role = accounts.get_user(desk.db, user_id).role
        data = form.update(role)
        if data is None:
            return _page(desk, UserForm(), status=422, editing=(user_id, form))
        accounts.update_user(desk.db, user_id, data)
    except BrugError as error:
        return desk.refusal(error, section="users", link=PATH)
    audit.record(desk.db, desk.principal, "account.updated", account_id=user_id)
    return _shown(desk, user_id, "changed")


@router.post(PATH + "/{user_id}/deactivate")
def deactivate_user(user_id: str, desk: DeskDep, issuer: IssuerDep, csrf: Text = "") -> Response:
    desk.page.check_csrf(csrf)
    refused = _refused(desk)
    if refused is not None:
        return refused
    try:
        accounts.deactivate(desk.db, user_id, issuer.lifetime)
    except BrugError as error:  # the last coordinator, an unknown account
        return desk.refusal(error, section="users", link=PATH)
    audit.record(desk.db, desk.principal, "account.deactivated", account_id=user_id)
    return _shown(desk, user_id, "deactivated")
