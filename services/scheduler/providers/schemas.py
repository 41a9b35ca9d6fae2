"""Request and response bodies for provider organisations."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from scheduler.languages import check_languages

__all__ = ["ProviderCreate", "ProviderPublic"]


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


class ProviderPublic(ProviderCreate):
    id: str
