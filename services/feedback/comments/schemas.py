"""Request and response bodies for comment moderation."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

__all__ = ["CommentPublic", "Moderation"]


class CommentPublic(BaseModel):
    id: str
    session_id: str
    text: str
    status: str


class Moderation(BaseModel):
    action: Literal["approve", "redact"]
    text: str | None = Field(default=None, max_length=500, description="With redact: the text to keep.")
