"""``/staff/providers``: coordinators list, add, change and deactivate provider organisations (and see who
works for each).

The same service functions and audit entries as ``POST /api/v1/providers``,
``PATCH /api/v1/providers/{id}`` and ``POST .../deactivate`` (providers.service.create_provider and
update_provider, providers.deactivation; ``provider.created``, ``provider.updated``,
``provider.deactivated``). A provider's staff accounts are made on ``/staff/users``; each card names
them. A provider is never removed (its sessions and reports keep its id): deactivated, it takes no new
sessions or staff and its staff accounts are deactivated with it; as for an account, the button sits in a
fold that says so first.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from scheduler.accounts import service as accounts
from scheduler.deps import IssuerDep
from scheduler.errors import ProviderNameTaken
from scheduler.providers import deactivation
from scheduler.providers import service as providers
from scheduler.staff.account_forms import NONE_TICKED, PROVIDER_TAKEN, Languages, ProviderForm
from scheduler.staff.common import NOT_YOURS, PAGE_SIZE, Desk, DeskDep, PageNumber, page_holding
from scheduler.staff.forms import language_choices
from shared import audit
from shared.errors import BrugError
from shared.pages import N_

__all__ = ["router", "PATH"]

router = APIRouter(include_in_schema=False)

PATH = "/staff/providers"
ONLY_COORDINATORS = N_("Only coordinators manage providers; ask a coordinator.")

Text = Annotated[str, Form(max_length=400)]


def _page(
    desk: Desk,
    form: ProviderForm,
    *,
    number: int = 1,
    status: int = 200,
    done: str = "",
    editing: tuple[str, ProviderForm] | None = None,
) -> Response:
    """Page ``number`` of the providers as cards, each with its edit form (``editing``: one as typed, on the
    page that holds it), and the form to add one."""
    if editing is not None:
        number = page_holding(providers.listed_position(desk.db, editing[0]))
    found = providers.listed_providers(desk.db, (number - 1) * PAGE_SIZE, PAGE_SIZE + 1)
    listed = found[:PAGE_SIZE]
    edits = {provider.id: ProviderForm.of(provider) for provider in listed}
    if editing is not None:
        edits[editing[0]] = editing[1]
    people: dict[str, list[str]] = {}
    for user in accounts.list_users(desk.db):
        if user.provider_id and user.active:
            people.setdefault(user.provider_id, []).append(user.display_name)
    return desk.render(
        "scheduler_staff_providers.html",
        status=status,
        section="providers",
        providers=listed,
        page_number=number,
        more=len(found) > PAGE_SIZE,
        people=people,
        form=form,
        edits=edits,
        editing=editing[0] if editing else "",
        done=done,
        language_choices=language_choices(form.languages, *(edit.languages for edit in edits.values())),
    )


@router.get(PATH)
def provider_list(
    desk: DeskDep, page: PageNumber = 1, added: str = "", changed: str = "", deactivated: str = ""
) -> Response:
    if not desk.principal.is_coordinator:
        return desk.message(NOT_YOURS, desk._(ONLY_COORDINATORS), status=403, section="providers")
    done = "added" if added else "changed" if changed else "deactivated" if deactivated else ""
    return _page(desk, ProviderForm(), number=page, done=done)


def _shown(desk: Desk, provider_id: str, done: str) -> Response:
    """After a change: the list at the page that holds the provider, at its card."""
    number = page_holding(providers.listed_position(desk.db, provider_id))
    return desk.staff.redirect(f"{PATH}?{done}={provider_id}&page={number}#provider-{provider_id}")


@router.post(PATH)
def add_provider(
    desk: DeskDep, csrf: Text = "", name: Text = "", contact: Text = "", languages: Languages = NONE_TICKED
) -> Response:
    desk.page.check_csrf(csrf)
    if not desk.principal.is_coordinator:
        return desk.message(NOT_YOURS, desk._(ONLY_COORDINATORS), status=403, section="providers")
    form = ProviderForm(name, contact, languages)
    data = form.create()
    if data is None:
        return _page(desk, form, status=422)
    try:
        created = providers.create_provider(desk.db, data)
    except ProviderNameTaken as error:
        form.errors["name"] = PROVIDER_TAKEN
        return _page(desk, form, status=error.status_code)
    except BrugError as error:
        return desk.refusal(error, section="providers", link=PATH)
    audit.record(desk.db, desk.principal, "provider.created", provider_id=created.id)
    return _shown(desk, created.id, "added")


@router.post(PATH + "/{provider_id}")
def change_provider(
    provider_id: str,
    desk: DeskDep,
    csrf: Text = "",
    name: Text = "",
    contact: Text = "",
    languages: Languages = NONE_TICKED,
) -> Response:
    desk.page.check_csrf(csrf)
    if not desk.principal.is_coordinator:
        return desk.message(NOT_YOURS, desk._(ONLY_COORDINATORS), status=403, section="providers")
    form = ProviderForm(name, contact, languages)
    data = form.update()
    if data is None:
        return _page(desk, ProviderForm(), status=422, editing=(provider_id, form))
    try:
        providers.update_provider(desk.db, provider_id, data)
    except ProviderNameTaken as error:
        form.errors["name"] = PROVIDER_TAKEN
        return _page(desk, ProviderForm(), status=error.status_code, editing=(provider_id, form))
    except BrugError as error:
        return desk.refusal(error, section="providers", link=PATH)
    audit.record(desk.db, desk.principal, "provider.updated", provider_id=provider_id)
    return _shown(desk, provider_id, "changed")


@router.post(PATH + "/{provider_id}/deactivate")
def deactivate_provider(provider_id: str, desk: DeskDep, issuer: IssuerDep, csrf: Text = "") -> Response:
    desk.page.check_csrf(csrf)
    if not desk.principal.is_coordinator:
        return desk.message(NOT_YOURS, desk._(ONLY_COORDINATORS), status=403, section="providers")
    now = desk.settings.clock.now()
    try:
        deactivation.deactivate(desk.db, desk.principal, provider_id, now=now, token_lifetime=issuer.lifetime)
    except BrugError as error:  # sessions ahead, an unknown provider
        return desk.refusal(error, section="providers", link=PATH)
    return _shown(desk, provider_id, "deactivated")
