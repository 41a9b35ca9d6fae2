"""Settings for services under test: real NATS, a fresh database, fresh keys."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from feedback.settings import FeedbackSettings
from notifier.settings import NotifierSettings
from scheduler.settings import SchedulerSettings
from shared.sealing import generate_keypair

__all__ = ["Keys", "scheduler_settings", "notifier_settings", "feedback_settings", "FAST"]

#: quick retries and polls so tests wait seconds, not minutes.
FAST = {
    "outbox_poll_seconds": 0.05,
    "consumer_ack_wait_seconds": 2.0,
    "consumer_backoff_seconds": [0.1, 0.2, 0.3],
    "consumer_max_deliver": 3,
}


@dataclass
class Keys:
    private: str = ""
    public: str = ""
    token_secret: str = field(default_factory=lambda: secrets.token_hex(32))

    def __post_init__(self) -> None:
        if not self.private:
            self.private, self.public = generate_keypair()


def scheduler_settings(nats_url: str, database_url: str, keys: Keys, **overrides: object) -> SchedulerSettings:
    return SchedulerSettings(
        nats_url=nats_url, scheduler_database_url=database_url, notifier_public_key=keys.public, **{**FAST, **overrides}
    )


def notifier_settings(nats_url: str, database_url: str, keys: Keys, **overrides: object) -> NotifierSettings:
    return NotifierSettings(
        nats_url=nats_url,
        notifier_database_url=database_url,
        notifier_private_key=keys.private,
        dispatch_poll_seconds=0.05,
        **{**FAST, **overrides},
    )


def feedback_settings(nats_url: str, database_url: str, keys: Keys, **overrides: object) -> FeedbackSettings:
    return FeedbackSettings(
        nats_url=nats_url,
        feedback_database_url=database_url,
        feedback_token_secret=keys.token_secret,
        **{**FAST, **overrides},
    )
