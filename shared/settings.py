"""Settings shared by every service, read from ``BRUG_*`` environment variables.

Each service subclasses :class:`CommonSettings` once (``scheduler.settings``
etc.) and builds it at start-up with :func:`load_settings`, which turns a
validation error into one line that names the variable and what is wrong.
"""

from __future__ import annotations

import ipaddress
from functools import cached_property
from typing import Any, Literal, TypeVar

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.clock import Clock

__all__ = ["CommonSettings", "SettingsError", "load_settings", "check_secret"]

S = TypeVar("S", bound="CommonSettings")


class SettingsError(SystemExit):
    """Start-up refused: the message names the setting and what is wrong."""


class CommonSettings(BaseSettings):
    """What every service reads; defaults run on one machine with nothing but pip."""

    model_config = SettingsConfigDict(env_prefix="BRUG_", extra="ignore")

    host: str = "127.0.0.1"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    #: one server, or a cluster's servers separated by commas (the client fails over between them).
    nats_url: str = "nats://127.0.0.1:14222"
    #: this service's nkey user seed (``SU...``, shared/natsauth.py); empty: connect without credentials,
    #: which a Brug NATS server refuses (only the test fixtures' servers let such a client in).
    nats_nkey_seed: str = ""
    #: a CA bundle (PEM) to check the NATS server's certificate against, for tls:// URLs signed by a
    #: private CA (cert-manager's); empty: the system's CAs.
    nats_tls_ca_file: str = ""
    stream_replicas: int = 1
    stream_max_age_days: float = 30.0
    stream_max_bytes: int = 1024**3
    duplicate_window_seconds: float = 120.0

    outbox_poll_seconds: float = 0.5
    outbox_batch_size: int = 256
    consumer_batch_size: int = 64
    consumer_ack_wait_seconds: float = 30.0
    consumer_max_deliver: int = 5
    consumer_backoff_seconds: list[float] = [1.0, 5.0, 15.0, 60.0]
    #: events given up on (the ``dead_letter`` table, shared.dead_letters) are deleted this many days
    #: after they arrived, replayed or not: a kept event can hold a booking code or a nickname.
    dead_letter_retention_days: int = Field(default=30, ge=1, le=3650)

    #: public routes (shared.ratelimit): requests per client per minute by route family, e.g.
    #: {"feedback-code": 10}, overriding the route's own limit; 0 turns a family's limit off.
    rate_limit_per_minute: dict[str, int] = {}
    #: reverse proxies (addresses or networks) whose client header is believed; empty: the peer is the client.
    rate_limit_trusted_proxies: list[str] = []
    rate_limit_client_header: str = "X-Forwarded-For"
    #: a request body larger than this is answered 413 (shared.hardening); no form or call needs more.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    #: serve /docs and /redoc (they load Swagger UI and ReDoc from a CDN): for development only.
    api_docs: bool = False
    #: "test" only under the test suite: it alone lets BRUG_TEST_CLOCK_FILE move the clock (shared.clock).
    environment: Literal["production", "test"] = "production"
    #: tests only (refused unless BRUG_ENVIRONMENT=test): a file of seconds added to the clock (shared.clock).
    test_clock_file: str = ""

    def check(self) -> None:
        """Cross-field rules; services extend it to refuse unsafe production settings.

        Raise ``ValueError("setting BRUG_X: what is wrong")``.
        """

    @model_validator(mode="after")
    def _clock_only_in_tests(self) -> CommonSettings:
        if self.test_clock_file and self.environment != "test":
            raise ValueError(
                "setting BRUG_TEST_CLOCK_FILE moves the service's clock and is for the test suite only; "
                "unset it (or, under tests, set BRUG_ENVIRONMENT=test)"
            )
        return self

    @cached_property
    def clock(self) -> Clock:
        """What "now" is for rules about time (shared.clock): the system's UTC clock outside tests."""
        return Clock(self.test_clock_file or None)

    @field_validator("nats_url")
    @classmethod
    def _nats_scheme(cls, value: str) -> str:
        for url in value.split(","):
            if not url.strip().startswith(("nats://", "tls://", "ws://", "wss://")):
                raise ValueError(
                    "must start with nats://, tls://, ws:// or wss:// (e.g. nats://127.0.0.1:4222; "
                    "a cluster's servers separated by commas)"
                )
        return value

    @field_validator("nats_nkey_seed")
    @classmethod
    def _nkey_seed(cls, value: str) -> str:
        if value and not value.startswith("SU"):
            raise ValueError(
                "must be an nkey user seed (SU..., 58 characters) made by `python -m shared.natsauth`, "
                "not the public key (U...)"
            )
        return value

    @property
    def nats_servers(self) -> list[str]:
        """BRUG_NATS_URL as the list of servers the client may connect to."""
        return [url.strip() for url in self.nats_url.split(",") if url.strip()]

    @field_validator("stream_replicas")
    @classmethod
    def _replicas(cls, value: int) -> int:
        if value not in (1, 3, 5):
            raise ValueError("must be 1 (one host), 3 or 5 (a JetStream cluster)")
        return value

    @field_validator("rate_limit_per_minute")
    @classmethod
    def _limits(cls, value: dict[str, int]) -> dict[str, int]:
        negative = sorted(family for family, limit in value.items() if limit < 0)
        if negative:
            raise ValueError(f"limits are requests per minute, 0 (off) or more; {negative} are negative")
        return value

    @field_validator("rate_limit_trusted_proxies")
    @classmethod
    def _proxies(cls, value: list[str]) -> list[str]:
        for proxy in value:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(f"{proxy!r} is no IP address or network (e.g. 10.0.0.5 or 10.0.0.0/8)") from None
        return value

    @field_validator("consumer_max_deliver")
    @classmethod
    def _max_deliver(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be at least 1")
        return value


def _describe(error: ValidationError, cls: type[BaseSettings]) -> str:
    first = error.errors()[0]
    if not first["loc"]:  # a rule across fields names its settings itself
        return str(first["msg"]).removeprefix("Value error, ")
    field = str(first["loc"][0])
    prefix = cls.model_config.get("env_prefix", "")
    value = first.get("input")
    secret = any(word in field for word in ("key", "secret", "password", "token"))
    shown = f" (got {value!r})" if isinstance(value, (str, int, float)) and not secret else ""
    message = first["msg"].removeprefix("Value error, ")
    return f"setting {prefix}{field.upper()}: {message}{shown}"


def load_settings(cls: type[S], **overrides: Any) -> S:
    """Build ``cls`` from the environment or stop with one line naming the bad setting."""
    try:
        settings = cls(**overrides)
        settings.check()
    except ValidationError as error:
        raise SettingsError(_describe(error, cls)) from None
    except ValueError as error:
        raise SettingsError(str(error)) from None
    return settings


def check_secret(value: str) -> str:
    """Refuse a secret that looks typed by hand ("changeme", "xxxx..."): few distinct characters."""
    if len(set(value)) < 8:
        raise ValueError(
            "looks like a placeholder; use e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`"
        )
    return value
