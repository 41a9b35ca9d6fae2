"""``/staff/providers``: coordinators list and add provider organisations (and see who works for each).

The same service function and audit entry as ``POST /api/v1/providers``
(providers.service.create_provider, ``provider.created``). A provider's staff
accounts are made on ``/staff/users``; each card names them and links there.
The API has no change or removal of a provider yet, so neither has this page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from scheduler.accounts import service as accounts
from scheduler.errors import ProviderNameTaken
from scheduler.providers import service as providers
from scheduler.staff.account_forms import PROVIDER_TAKEN, ProviderForm
from scheduler.staff.common import NOT_YOURS, Desk, DeskDep
from shared import audit
from shared.errors import BrugError
from shared.pages import N_

__all__ = ["router", "PATH"]

router = APIRouter(include_in_schema=False)

PATH = "/staff/providers"
ONLY_COORDINATORS = N_("Only coordinators manage providers; ask a coordinator.")

Text = Annotated[str, Form(max_length=400)]


def _page(desk: Desk, form: ProviderForm, *, status: int = 200, added: str = "") -> Response:
    people: dict[str, list[str]] = {}
    for user in accounts.list_users(desk.db):
        if user.provider_id and user.active:
            people.setdefault(user.provider_id, []).append(user.display_name)
    return desk.render(
        "scheduler_staff_providers.html",
        status=status,
        section="providers",
        providers=providers.list_providers(desk.db),
        people=people,
        form=form,
        added=added,
    )


@router.get(PATH)
def provider_list(desk: DeskDep, added: str = "") -> Response:
    if not desk.principal.is_coordinator:
        return desk.message(NOT_YOURS, desk._(ONLY_COORDINATORS), status=403, section="providers")
    return _page(desk, ProviderForm(), added=added)


@router.post(PATH)
def add_provider(desk: DeskDep, csrf: Text = "", name: Text = "", contact: Text = "", languages: Text = "") -> Response:
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
    return desk.staff.redirect(f"{PATH}?added={created.id}#provider-{created.id}")
