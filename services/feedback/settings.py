"""The feedback service's settings (environment variables ``BRUG_*``)."""

from __future__ import annotations

from pydantic import Field, field_validator

from shared.settings import CommonSettings, check_secret

__all__ = ["FeedbackSettings"]


class FeedbackSettings(CommonSettings):
    feedback_database_url: str = "sqlite:///var/feedback.db"
    feedback_port: int = 8003
    #: where attendees reach the feedback forms; the session link sent by SMS is built on it.
    feedback_public_url: str = "http://127.0.0.1:8003"
    #: tokens are derived from this secret, so cards can be printed again without storing tokens.
    feedback_token_secret: str = Field(min_length=32)
    feedback_token_days: int = Field(default=14, ge=1, le=365)
    #: the scheduler's public keys, to check staff tokens (reports are for staff only).
    scheduler_jwks_url: str = "http://127.0.0.1:8001/.well-known/jwks.json"
    #: any figure built from fewer answers than this is withheld.
    min_group_size: int = Field(default=5, ge=2, le=100)
    #: how often closed feedback windows are looked for, to publish their reports.
    report_check_seconds: float = Field(default=60.0, gt=0)

    @field_validator("feedback_token_secret")
    @classmethod
    def _not_placeholder(cls, value: str) -> str:
        return check_secret(value)
