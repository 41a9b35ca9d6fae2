"""The feedback service's settings (environment variables ``BRUG_*``)."""

from __future__ import annotations

from pydantic import Field, field_validator

from shared.forwarded_client import ServiceSecret
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
    #: where staff reach the scheduler (its BRUG_SCHEDULER_PUBLIC_URL): the staff pages link its password page.
    scheduler_public_url: str = "http://127.0.0.1:8001"
    #: any figure built from fewer answers than this is withheld.
    min_group_size: int = Field(default=5, ge=2, le=100)
    #: the privacy budget of one session's answers (BRUG_DP_EPSILON), spent once, when they are released.
    #: Whatever else an attacker knows, the released figures change their odds about anything one
    #: person answered by at most a factor e^ε, and about one answer to one 1-to-5 question by at most
    #: e^(2ε/15), 2.9 at the default 8 (feedback.reports.noise; README, "Released figures"). Smaller is
    #: more private and noisier; tests about something else set it very high, to read exact figures.
    dp_epsilon: float = Field(default=8.0, gt=0, le=1000)
    #: how often closed feedback windows are looked for, to publish their reports.
    report_check_seconds: float = Field(default=60.0, gt=0)
    #: shared by the three services (BRUG_SERVICE_SECRET): signs the person's address when the staff pages
    #: sign in through the scheduler, so its limits count that person (shared.forwarded_client).
    service_secret: ServiceSecret = None

    @field_validator("feedback_token_secret")
    @classmethod
    def _not_placeholder(cls, value: str) -> str:
        return check_secret(value)
