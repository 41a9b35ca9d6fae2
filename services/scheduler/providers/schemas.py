"""Request and response bodies for provider organisations."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from scheduler.languages import check_languages

__all__ = ["ProviderCreate", "ProviderUpdate", "ProviderPublic"]


class ProviderCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="The organisation, e.g. GGD Amsterdam.")
    contact: str = Field(
        default="", max_length=300, description="How staff reach the organisation: a desk's e-mail or phone."
    )
    languages: list[str] = Field(default=[], description="Languages it serves, BCP 47 (nl, ar, fa-AF, ti).")

    @field_validator("languages")
    @classmethod
    def _bcp47(cls, value: list[str]) -> list[str]:
        return check_languages(value)


#: The default of a field that refuses null: left out, it is not in ``model_fields_set`` and keeps its value
#: (pydantic does not validate a default, so only an explicit null meets the field's type, and is refused).
_LEFT_OUT: Any = None


class ProviderUpdate(BaseModel):
    """A change to a provider: only the fields given change (none of them may be null)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(default=_LEFT_OUT, min_length=1, max_length=200, description="The organisation's new name.")
    contact: str = Field(default=_LEFT_OUT, max_length=300, description="How staff reach it; empty: no contact.")
    languages: list[str] = Field(default=_LEFT_OUT, description="Languages it serves, BCP 47; replaces the list.")

    @field_validator("languages")
    @classmethod
    def _bcp47(cls, value: list[str]) -> list[str]:
        return check_languages(value)

    @model_validator(mode="after")
    def _something_to_change(self) -> ProviderUpdate:
        if not self.model_fields_set:
            raise ValueError("give at least one of name, contact, languages")
        return self

    def changes(self) -> dict[str, object]:
        """The fields given, with their new values."""
        return {name: getattr(self, name) for name in ("name", "contact", "languages") if name in self.model_fields_set}


class ProviderPublic(ProviderCreate):
    id: str
    #: False once deactivated (POST /api/v1/providers/{id}/deactivate): no new sessions or staff accounts
    active: bool = True
