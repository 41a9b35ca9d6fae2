"""Request and response bodies for accounts and sign-in."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, EmailStr, Field, SecretStr, field_validator, model_validator

from scheduler.languages import check_languages
from scheduler.settings import MIN_PASSWORD_LENGTH
from shared.auth import Role

__all__ = ["UserCreate", "UserPublic", "TokenResponse", "check_password"]


def check_password(value: SecretStr) -> SecretStr:
    length = len(value.get_secret_value())
    if length < MIN_PASSWORD_LENGTH:
        raise ValueError(f"must be at least {MIN_PASSWORD_LENGTH} characters (a few words make a good one)")
    if length > 256:
        raise ValueError("must be at most 256 characters")
    return value


class UserCreate(BaseModel):
    """A staff account; the coordinator hands the first password over in person."""

    email: EmailStr = Field(description="Signs in with it; stored lower-case.")
    display_name: str = Field(min_length=1, max_length=120, description="How colleagues see this person.")
    role: Role
    password: SecretStr = Field(description=f"At least {MIN_PASSWORD_LENGTH} characters.")
    provider_id: str | None = Field(default=None, description="Required for provider_staff; their organisation.")
    languages: list[str] = Field(default=[], description="Required for ambassadors: the languages they speak.")

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
        return self


class UserPublic(BaseModel):
    id: str
    email: str
    display_name: str
    role: str
    provider_id: str | None
    languages: list[str]
    active: bool
    created_at: datetime


class TokenResponse(BaseModel):
    """OAuth2's token response (RFC 6749 section 5.1)."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token expires; then sign in again.")
