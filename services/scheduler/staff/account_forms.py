"""The users and providers forms as a coordinator fills them in, turned into the API's requests.

One form serves every role, so it works without JavaScript: the languages an
ambassador speaks (ticked, each named in its own script: staff.forms.language_choices) and the provider a
provider staff member works for are asked of everyone and read only for that role (the API refuses
them for the others). The first password is never written back into the page. Messages
are message ids, translated where the form is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Form
from pydantic import SecretStr, StringConstraints, ValidationError

from scheduler.accounts.schemas import UserCreate, UserPublic, UserUpdate
from scheduler.providers.schemas import ProviderCreate, ProviderPublic, ProviderUpdate
from scheduler.staff.forms import LANGUAGES, NEEDS_TEXT, NOT_VALID, TOO_LONG
from scheduler.staff.labels import ROLE_NAMES
from shared.pages import N_

__all__ = [
    "UserForm",
    "UserEditForm",
    "ProviderForm",
    "EMAIL_TAKEN",
    "PROVIDER_TAKEN",
    "Languages",
    "NONE_TICKED",
]

EMAIL = N_("Give an e-mail address, like name@example.org.")
PASSWORD = N_("The first password needs more characters; a few words make a good one.")
ROLE = N_("Choose what this person does.")
NEEDS_PROVIDER = N_("Provider staff work for a provider: choose it.")
NEEDS_LANGUAGES = N_("An ambassador needs the languages they speak: tick them.")
EMAIL_TAKEN = N_("There is already an account with this e-mail address.")
PROVIDER_TAKEN = N_("There is already a provider with this name.")


#: a form's ticked languages, as codes (the API checks each)
Languages = Annotated[list[Annotated[str, StringConstraints(max_length=20)]], Form()]
NONE_TICKED: list[str] = []  # the default (FastAPI copies a form field's default)


def _codes(ticked: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(code.strip() for code in ticked if code.strip()))


def _errors(error: ValidationError, fields: tuple[str, ...]) -> dict[str, str]:
    """Pydantic's errors by form field (the first per field), as message ids."""
    found: dict[str, str] = {}
    for problem in error.errors():
        where = str(problem["loc"][0]) if problem["loc"] else ""
        kind = problem["type"]
        if where == "email":
            message = EMAIL
        elif where == "password":
            message = PASSWORD
        elif where == "languages":
            message = LANGUAGES
        elif kind in ("string_too_short", "missing"):
            message = NEEDS_TEXT
        else:
            message = TOO_LONG if kind == "string_too_long" else NOT_VALID
        found.setdefault(where if where in fields else "form", message)
    return found


@dataclass
class UserForm:
    """A new staff account."""

    email: str = ""
    display_name: str = ""
    role: str = "ambassador"
    provider_id: str = ""
    languages: list[str] = field(default_factory=list)
    #: field name → message id
    errors: dict[str, str] = field(default_factory=dict)

    def create(self, password: str) -> UserCreate | None:
        """The API's request, or None with ``errors`` filled in; ``password`` is the first password."""
        self.errors = {}
        role = self.role if self.role in ROLE_NAMES else ""
        codes = _codes(self.languages) if role == "ambassador" else []
        provider = self.provider_id.strip() if role == "provider_staff" else ""
        if not role:
            self.errors["role"] = ROLE
        if role == "ambassador" and not codes:
            self.errors["languages"] = NEEDS_LANGUAGES
        if role == "provider_staff" and not provider:
            self.errors["provider_id"] = NEEDS_PROVIDER
        try:
            data = UserCreate(
                email=self.email.strip(),
                display_name=self.display_name.strip(),
                role=role or "coordinator",  # type: ignore[arg-type]  # checked against ROLE_NAMES above
                password=SecretStr(password),
                provider_id=provider or None,
                languages=codes,
            )
        except ValidationError as error:
            fields = ("email", "display_name", "password", "languages", "provider_id")
            self.errors = _errors(error, fields) | self.errors
            return None
        return None if self.errors else data


@dataclass
class UserEditForm:
    """A change to an account: its name, and an ambassador's languages (the allowance is on the hours page)."""

    display_name: str = ""
    languages: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, user: UserPublic) -> UserEditForm:
        return cls(user.display_name, list(user.languages))

    def update(self, role: str) -> UserUpdate | None:
        """The API's change for an account of ``role``, or None with ``errors`` filled in."""
        self.errors = {}
        changes: dict[str, object] = {"display_name": self.display_name.strip()}
        if role == "ambassador":
            codes = _codes(self.languages)
            if not codes:
                self.errors["languages"] = NEEDS_LANGUAGES
            changes["languages"] = codes
        try:
            data = UserUpdate.model_validate(changes)
        except ValidationError as error:
            self.errors = _errors(error, ("display_name", "languages")) | self.errors
            return None
        return None if self.errors else data


@dataclass
class ProviderForm:
    """A new provider organisation, or a change to one (every field is sent: an empty contact clears it)."""

    name: str = ""
    contact: str = ""
    languages: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    def create(self) -> ProviderCreate | None:
        self.errors = {}
        try:
            return ProviderCreate(
                name=self.name.strip(), contact=self.contact.strip(), languages=_codes(self.languages)
            )
        except ValidationError as error:
            self.errors = _errors(error, ("name", "contact", "languages"))
            return None

    @classmethod
    def of(cls, provider: ProviderPublic) -> ProviderForm:
        return cls(provider.name, provider.contact, list(provider.languages))

    def update(self) -> ProviderUpdate | None:
        self.errors = {}
        try:
            return ProviderUpdate(
                name=self.name.strip(), contact=self.contact.strip(), languages=_codes(self.languages)
            )
        except ValidationError as error:
            self.errors = _errors(error, ("name", "contact", "languages"))
            return None
