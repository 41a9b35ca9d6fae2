"""Request and response bodies for sealed questionnaires."""

from __future__ import annotations

import base64
import binascii
from datetime import date

from pydantic import BaseModel, Field, field_validator

from feedback.sealed.envelope import PADDED_SIZE, SEALED_SIZE
from shared.discretion import sensitive_words_in
from shared.i18n import SUPPORTED
from shared.sealing import check_public_key

__all__ = ["SealedQuestion", "QuestionnaireCreate", "QuestionnairePublic", "SealedSubmission", "SealedExportRow"]


class SealedQuestion(BaseModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    kind: str = Field(pattern=r"^(yes_no|faces|text)$")
    text: dict[str, str] = Field(description="locale → question; English is required")

    @field_validator("id")
    @classmethod
    def _discreet_id(cls, value: str) -> str:
        """The id names the page's fields (``sealed-<id>``), so it is in the page's source."""
        return _discreet(value, "the question id")

    @field_validator("text")
    @classmethod
    def _languages(cls, value: dict[str, str]) -> dict[str, str]:
        if "en" not in value:
            raise ValueError("give the question in English (en) at least; other locales fall back to it")
        unknown = sorted(set(value) - set(SUPPORTED))
        if unknown:
            raise ValueError(f"unsupported locale(s) {unknown}; use {', '.join(SUPPORTED)}")
        for locale, text in value.items():
            _discreet(text, f"the {locale} text")
        return value


def _discreet(text: str, what: str) -> str:
    """Attendees answer on phones others may see: the page must not name what the sessions are about."""
    found = sensitive_words_in(text)
    if found:
        raise ValueError(
            f"{what} uses {', '.join(found)}, which names what the sessions are about; attendees' screens may be "
            "seen by others, so choose discreet words"
        )
    return text


class QuestionnaireCreate(BaseModel):
    provider_id: str
    title: str = Field(min_length=1, max_length=120, description="Discreet: attendees see it.")
    public_key: str = Field(description="The provider's libsodium public key, base64 (32 bytes)")
    questions: list[SealedQuestion] = Field(min_length=1, max_length=10)

    @field_validator("title")
    @classmethod
    def _discreet_title(cls, value: str) -> str:
        return _discreet(value, "the title")

    @field_validator("public_key")
    @classmethod
    def _key(cls, value: str) -> str:
        return check_public_key(value)


class QuestionnairePublic(BaseModel):
    id: str
    provider_id: str
    title: str
    public_key: str
    fingerprint: str = Field(description="of the public key; the provider checks it is its own")
    questions: list[SealedQuestion]
    padded_size: int = PADDED_SIZE


class SealedSubmission(BaseModel):
    ciphertext: str = Field(description=f"base64 of a libsodium sealed box of exactly {SEALED_SIZE} bytes")
    key: str = Field(
        min_length=1,
        max_length=128,
        description="the feedback card's code, or the session link, the attendee came with; spent on use",
    )

    @field_validator("ciphertext")
    @classmethod
    def _size(cls, value: str) -> str:
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("is not base64") from None
        if len(raw) != SEALED_SIZE:
            raise ValueError(
                f"must be {SEALED_SIZE} bytes once decoded (answers padded to {PADDED_SIZE}), "
                f"got {len(raw)}: nothing was stored"
            )
        return value


class SealedExportRow(BaseModel):
    id: str
    submitted_on: date
    ciphertext: str
