"""Request and response bodies for accounts and sign-in."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, SecretStr, field_validator, model_validator

from scheduler.hours.allowance import Euro
from scheduler.languages import check_languages
from scheduler.settings import MIN_PASSWORD_LENGTH
from shared.auth import Role

__all__ = [
    "PasswordChange",
    "UserCreate",
    "UserUpdate",
    "UserPublic",
    "TokenResponse",
    "check_password",
    "ALLOWANCE_FIELDS",
]

ALLOWANCE_CAPPED = (
    "Ambassadors only. True (the default): they receive social assistance, so the legal monthly allowance "
    "cap (BRUG_ALLOWANCE_CAPS) applies and the hours warn before it is passed. False: no cap and no warnings."
)
MONTHLY_ALLOWANCE_LIMIT = (
    "Ambassadors only: a personal monthly limit in euro, lower than the legal cap, agreed with their "
    "benefits office; the month's cap is then the lower of the two. Null: the legal cap. Needs allowance_capped."
)
SESSION_ALLOWANCE = (
    "Ambassadors only: the allowance in euro usually paid for one session. Planning a session then foresees "
    "the month: what is logged plus this for each of their sessions still to be logged; over the cap, the "
    "answer's allowance_warnings say so. Null: nothing is foreseen."
)
#: the fields that only an ambassador's account has.
ALLOWANCE_FIELDS = ("allowance_capped", "monthly_allowance_limit", "session_allowance")


def check_password(value: SecretStr) -> SecretStr:
    length = len(value.get_secret_value())
    if length < MIN_PASSWORD_LENGTH:
        raise ValueError(f"must be at least {MIN_PASSWORD_LENGTH} characters (a few words make a good one)")
    if length > 256:
        raise ValueError("must be at most 256 characters")
    return value


class PasswordChange(BaseModel):
    """The signed-in account's own password, changed."""

    current_password: SecretStr = Field(max_length=1024, description="The password the account signs in with now.")
    new_password: SecretStr = Field(description=f"At least {MIN_PASSWORD_LENGTH} characters.")

    @field_validator("new_password")
    @classmethod
    def _password(cls, value: SecretStr) -> SecretStr:
        return check_password(value)


class UserCreate(BaseModel):
    """A staff account; the coordinator hands the first password over in person."""

    email: EmailStr = Field(description="Signs in with it; stored lower-case.")
    display_name: str = Field(min_length=1, max_length=120, description="How colleagues see this person.")
    role: Role
    password: SecretStr = Field(description=f"At least {MIN_PASSWORD_LENGTH} characters.")
    provider_id: str | None = Field(default=None, description="Required for provider_staff; their organisation.")
    languages: list[str] = Field(default=[], description="Required for ambassadors: the languages they speak.")
    allowance_capped: bool = Field(default=True, description=ALLOWANCE_CAPPED)
    monthly_allowance_limit: Euro | None = Field(default=None, description=MONTHLY_ALLOWANCE_LIMIT)
    session_allowance: Euro | None = Field(default=None, description=SESSION_ALLOWANCE)

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()

    @field_validator("password")
    @classmethod
    def _password(cls, value: SecretStr) -> SecretStr:
        return check_password(value)

    @field_validator("languages")
    @classmethod
    def _bcp47(cls, value: list[str]) -> list[str]:
        return check_languages(value)

    @model_validator(mode="after")
    def _fits_the_role(self) -> UserCreate:
        if self.role == "provider_staff" and not self.provider_id:
            raise ValueError("provider_staff needs a provider_id: the organisation they work for")
        if self.role != "provider_staff" and self.provider_id:
            raise ValueError(f"only provider_staff belong to a provider; leave provider_id out for a {self.role}")
        if self.role == "ambassador" and not self.languages:
            raise ValueError("an ambassador needs languages: the languages they speak, e.g. ['ar', 'nl']")
        if self.role != "ambassador" and self.languages:
            raise ValueError(f"languages are recorded for ambassadors only; leave them out for a {self.role}")
        for name in ALLOWANCE_FIELDS:
            if self.role != "ambassador" and name in self.model_fields_set:
                raise ValueError(f"{name} is recorded for ambassadors only; leave it out for a {self.role}")
        if not self.allowance_capped and self.monthly_allowance_limit is not None:
            raise ValueError("monthly_allowance_limit needs allowance_capped true; leave it out for no cap")
        return self


def _no_defaults(schema: dict[str, Any]) -> None:
    """A field left out stays as it is: OpenAPI shows no ``default: null`` (nor one on a field that refuses null)."""
    for field in schema.get("properties", {}).values():
        field.pop("default", None)


#: The default of a field that refuses null: left out, it is not in ``model_fields_set`` (and keeps its value);
#: pydantic does not validate a default, so only an explicit null meets the field's type, and is refused.
_LEFT_OUT: Any = None


#: what PATCH /api/v1/users/{user_id} may change.
UPDATABLE = ("display_name", "languages", *ALLOWANCE_FIELDS)


class UserUpdate(BaseModel):
    """A change to an account: only the fields given change; null clears monthly_allowance_limit or session_allowance.

    display_name, languages and allowance_capped refuse null: leave them out to keep them.
    languages, allowance_capped and monthly_allowance_limit are for ambassadors only.
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra=_no_defaults)

    display_name: str = Field(
        default=_LEFT_OUT, min_length=1, max_length=120, description="How colleagues see this person."
    )
    languages: list[str] = Field(
        default=_LEFT_OUT, min_length=1, description="Ambassadors only: the languages they speak; never empty."
    )
    allowance_capped: bool = Field(default=_LEFT_OUT, description=ALLOWANCE_CAPPED)
    monthly_allowance_limit: Euro | None = Field(default=None, description=MONTHLY_ALLOWANCE_LIMIT)
    session_allowance: Euro | None = Field(default=None, description=SESSION_ALLOWANCE)

    @field_validator("languages")
    @classmethod
    def _bcp47(cls, value: list[str]) -> list[str]:
        return check_languages(value)

    @model_validator(mode="after")
    def _something_to_change(self) -> UserUpdate:
        if not self.model_fields_set:
            raise ValueError(f"give at least one of {', '.join(UPDATABLE)}")
        return self

    def changes(self) -> dict[str, object]:
        """The fields given, with their new values (None: clear it)."""
        return {name: getattr(self, name) for name in UPDATABLE if name in self.model_fields_set}


class UserPublic(BaseModel):
    id: str
    email: str
    display_name: str
    role: str
    provider_id: str | None
    languages: list[str]
    allowance_capped: bool = Field(description=ALLOWANCE_CAPPED)
    monthly_allowance_limit: Decimal | None = Field(description=MONTHLY_ALLOWANCE_LIMIT)
    session_allowance: Decimal | None = Field(description=SESSION_ALLOWANCE)
    active: bool
    created_at: datetime


class TokenResponse(BaseModel):
    """OAuth2's token response (RFC 6749 section 5.1)."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token expires; then sign in again.")
