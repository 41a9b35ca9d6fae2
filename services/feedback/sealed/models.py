"""Questionnaires registered by providers, and the sealed answers nobody here can read."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from shared.events import utcnow

__all__ = ["Questionnaire", "SealedAnswer"]


def _new_id() -> str:
    return uuid.uuid4().hex


class Questionnaire(SQLModel, table=True):
    """Up to ten simple questions, in the supported languages, and the key answers are sealed to."""

    __tablename__ = "sealed_questionnaire"

    id: str = Field(default_factory=_new_id, primary_key=True, max_length=32)
    provider_id: str = Field(index=True, max_length=64)
    title: str = Field(max_length=120)
    public_key: str = Field(max_length=64)
    questions: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class SealedAnswer(SQLModel, table=True):
    """Ciphertext only, all of one size; a random id and the date, nothing else."""

    __tablename__ = "sealed_answer"

    id: str = Field(default_factory=_new_id, primary_key=True, max_length=32)
    questionnaire_id: str = Field(foreign_key="sealed_questionnaire.id", index=True, max_length=32)
    ciphertext: str = Field(sa_column=Column(Text, nullable=False))
    submitted_on: date
