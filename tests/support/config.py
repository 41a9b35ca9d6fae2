"""Settings for services under test: real NATS, a fresh database, fresh keys."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from feedback.settings import FeedbackSettings
from notifier.settings import NotifierSettings
from scheduler.accounts.tokens import generate_signing_key
from scheduler.settings import SchedulerSettings
from shared.sealing import generate_keypair

__all__ = [
    "Keys",
    "scheduler_settings",
    "notifier_settings",
    "feedback_settings",
    "FAST",
    "CHEAP_HASHES",
    "ADMIN_EMAIL",
    "ADMIN_PASSWORD",
]

#: the coordinator every scheduler under test starts with (BRUG_BOOTSTRAP_ADMIN_*).
ADMIN_EMAIL = "coordinator@example.org"
ADMIN_PASSWORD = "bridge-test-coordinator-42"

#: Argon2id at its floor: a signed-in test hashes and verifies a few passwords, and the
#: default cost (about 0.13 s each on both cores here) made up most of the suite's set-up.
CHEAP_HASHES = {"argon2_time_cost": 1, "argon2_memory_kib": 1024}

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
    optout_key: str = field(default_factory=lambda: secrets.token_hex(32))
    invite_secret: str = field(default_factory=lambda: secrets.token_hex(32))
    #: BRUG_SERVICE_SECRET, shared by the three services as in a deployment (shared.forwarded_client).
    service_secret: str = field(default_factory=lambda: secrets.token_hex(32))
    signing: str = field(default_factory=generate_signing_key)

    def __post_init__(self) -> None:
        if not self.private:
            self.private, self.public = generate_keypair()


def scheduler_settings(nats_url: str, database_url: str, keys: Keys, **overrides: object) -> SchedulerSettings:
    return SchedulerSettings(
        nats_url=nats_url,
        scheduler_database_url=database_url,
        notifier_public_key=keys.public,
        scheduler_signing_key=keys.signing,
        invite_token_secret=keys.invite_secret,
        **{
            "bootstrap_admin_email": ADMIN_EMAIL,
            "bootstrap_admin_password": ADMIN_PASSWORD,
            **CHEAP_HASHES,
            # every test client is 127.0.0.1, and concurrency tests register hundreds at once;
            # tests/scheduler/test_rate_limits.py checks the limits with their defaults
            "rate_limit_per_minute": {"registration": 0, "registration-per-session": 0},
            "altcha_flood_per_hour": 0,  # the challenge is tested in tests/scheduler/test_registration_challenge.py
            **FAST,
            **overrides,
        },
    )


def notifier_settings(nats_url: str, database_url: str, keys: Keys, **overrides: object) -> NotifierSettings:
    return NotifierSettings(
        nats_url=nats_url,
        notifier_database_url=database_url,
        notifier_private_key=keys.private,
        optout_hash_key=keys.optout_key,
        invite_token_secret=keys.invite_secret,
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
