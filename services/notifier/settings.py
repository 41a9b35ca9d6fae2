"""The notifier's settings (environment variables ``BRUG_*``).

The SMS settings are grouped by gateway; :meth:`NotifierSettings.check` refuses
to start when a gateway named in ``BRUG_SMS_GATEWAY`` lacks what it needs,
naming the missing variable.
"""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from notifier.reminders.schedule import QuietHours, parse_offsets, parse_quiet_hours
from shared.forwarded_client import ServiceSecret
from shared.phones import DEFAULT_SMS_COUNTRIES, parse_countries
from shared.sealing import check_private_key
from shared.settings import CommonSettings, check_secret

__all__ = ["NotifierSettings", "GATEWAY_NAMES"]

#: the SMS gateways the notifier can speak to (see notifier/gateways/).
GATEWAY_NAMES = ("file", "twilio", "vonage", "webhook")

#: what each gateway needs besides its name, as (setting, why).
_REQUIRED = {
    "twilio": (
        ("twilio_account_sid", "the Twilio account to send from"),
        ("twilio_auth_token", "authenticates requests and verifies Twilio's callbacks"),
        ("sms_from", "the sender number or alphanumeric sender id"),
    ),
    "vonage": (
        ("vonage_api_key", "the Vonage account to send from"),
        ("vonage_api_secret", "authenticates requests to Vonage"),
        ("sms_from", "the sender number or alphanumeric sender id"),
    ),
    "webhook": (
        ("sms_webhook_url", "where the signed JSON is posted"),
        ("sms_webhook_secret", "signs every request (at least 32 characters)"),
    ),
}


#: the setting holding each gateway's rate limit.
_RATES = {
    "twilio": "twilio_rate_per_second",
    "vonage": "vonage_rate_per_second",
    "webhook": "sms_webhook_rate_per_second",
}


class NotifierSettings(CommonSettings):
    notifier_database_url: str = "sqlite:///var/notifier.db"
    notifier_port: int = 8002
    #: where SMS gateways reach the notifier: status callbacks and inbound SMS are signed for this URL.
    notifier_public_url: str = "http://127.0.0.1:8002"
    #: opens contact details sealed by the scheduler (`python -m notifier keygen`).
    notifier_private_key: str
    #: older private keys, comma-separated: they still open contacts sealed to them (see README, key rotation).
    notifier_previous_private_keys: Annotated[list[str], NoDecode] = []
    #: opt-outs are stored as HMAC-SHA256 of the number under this key, never the number itself.
    optout_hash_key: str = Field(min_length=32)

    #: ordered gateways, comma-separated: the first is primary, the rest take over in order.
    sms_gateway: Annotated[list[str], NoDecode] = ["file"]
    #: the development gateway's sink: one JSON line per SMS.
    sms_file_path: Path = Path("var/outbox/sms.jsonl")
    #: a gateway call slower than this is abandoned, checked with the gateway, then the next one is used.
    sms_failover_seconds: float = Field(default=5.0, gt=0)
    #: a call whose outcome is unknown is looked up at the gateway after this delay, before anything is resent.
    sms_reconcile_delay_seconds: float = Field(default=10.0, ge=0)
    #: sender number (E.164) or alphanumeric sender id, for Twilio and Vonage.
    sms_from: str | None = None

    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_base_url: str = "https://api.twilio.com"
    #: ContentRetention=discard: Twilio keeps no message body (needs Message Redaction on the account).
    twilio_discard_content: bool = True
    #: AddressRetention=obfuscate: Twilio masks the recipient's last four digits in its records.
    twilio_obfuscate_address: bool = True

    vonage_api_key: str | None = None
    vonage_api_secret: str | None = None
    vonage_base_url: str = "https://rest.nexmo.com"
    #: Vonage signs inbound SMS with the account's signature secret; unsigned ones are refused (403).
    vonage_signature_secret: str | None = None
    #: the signature method set in Vonage's dashboard: md5hash (Vonage's default), md5, sha1, sha256, sha512.
    vonage_signature_method: Literal["md5hash", "md5", "sha1", "sha256", "sha512"] = "sha256"

    sms_webhook_url: str | None = None
    sms_webhook_secret: str | None = None

    #: the most messages per second each notifier process hands to a gateway; 0: no limit.
    twilio_rate_per_second: float = Field(default=0.0, ge=0)
    vonage_rate_per_second: float = Field(default=0.0, ge=0)
    sms_webhook_rate_per_second: float = Field(default=0.0, ge=0)

    dispatch_poll_seconds: float = 0.5
    #: a delivery claimed longer ago than this by a process that died is reconciled and retried.
    delivery_lease_seconds: float = 60.0
    delivery_max_attempts: int = 5
    #: a stopping notifier lets calls already under way (past their opt-out check) end this long at
    #: most, so a deploy leaves no text in doubt; keep it below the platform's stop grace period.
    shutdown_drain_seconds: float = Field(default=8.0, ge=0)
    #: the first retry waits about this long; each further one twice as long (with jitter).
    delivery_backoff_seconds: float = Field(default=2.0, gt=0)
    delivery_backoff_max_seconds: float = Field(default=300.0, gt=0)

    #: how long before a session the reminders go out, e.g. ``24h,2h`` or ``90m``; empty sends none.
    reminder_offsets: Annotated[list[timedelta], NoDecode] = [timedelta(hours=24), timedelta(hours=2)]
    #: ``HH:MM-HH:MM`` in the venue's zone; nothing unasked-for is sent then. Empty disables it.
    quiet_hours: Annotated[QuietHours | None, NoDecode] = QuietHours(time(21, 0), time(8, 0))
    #: SMS attempted per UTC day; beyond it SMS wait for the next day.
    sms_daily_cap: int = Field(default=2000, ge=0)
    #: texts one number gets in any 24 hours, and about one session; beyond either, skipped (0: no cap).
    #: Against registrations with someone else's number made to flood their phone (notifier.textcaps).
    sms_per_number_per_day: int = Field(default=6, ge=0)
    sms_per_number_per_session: int = Field(default=10, ge=0)
    #: only mobile numbers of these countries are texted (shared.phones); the scheduler refuses others.
    sms_countries: Annotated[list[str], NoDecode] = DEFAULT_SMS_COUNTRIES

    #: the SMTP server; none means the e-mail channel is off.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, gt=0, lt=65536)
    smtp_username: str | None = None
    smtp_password: str | None = None
    #: the no-reply sender; also the ORGANIZER of calendar invites.
    smtp_from: str | None = None
    smtp_tls: Literal["none", "starttls", "tls"] = "starttls"
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)

    #: contact details and what names a recipient are deleted this many days after the session ends.
    retention_days: float = Field(default=7.0, ge=0)
    #: how often the notifier looks for sessions past the retention period.
    retention_check_seconds: float = Field(default=3600.0, gt=0)

    #: shared with the scheduler: invite download links carry HMAC(secret, booking code).
    invite_token_secret: str | None = None
    #: where the scheduler's public keys are, to check coordinators' tokens.
    scheduler_jwks_url: str = "http://127.0.0.1:8001/.well-known/jwks.json"
    #: where staff reach the scheduler (its BRUG_SCHEDULER_PUBLIC_URL): the staff page links its password page.
    scheduler_public_url: str = "http://127.0.0.1:8001"
    #: shared by the three services (BRUG_SERVICE_SECRET): signs the person's address when the staff pages
    #: sign in through the scheduler, so its limits count that person (shared.forwarded_client).
    service_secret: ServiceSecret = None

    @field_validator("notifier_private_key")
    @classmethod
    def _key(cls, value: str) -> str:
        return check_private_key(value)

    @field_validator("notifier_previous_private_keys", mode="before")
    @classmethod
    def _previous_keys(cls, value: object) -> object:
        keys = [k.strip() for k in value.split(",")] if isinstance(value, str) else value
        return [check_private_key(k) for k in keys if k] if isinstance(keys, list) else keys

    def rate_per_second(self, gateway: str) -> float:
        """The configured rate limit of ``gateway`` (0: none)."""
        return float(getattr(self, _RATES.get(gateway, ""), 0.0) or 0.0)

    @field_validator("optout_hash_key")
    @classmethod
    def _not_placeholder(cls, value: str) -> str:
        return check_secret(value)

    @field_validator("sms_countries", mode="before")
    @classmethod
    def _countries(cls, value: object) -> list[str]:
        return parse_countries(value)

    @field_validator("reminder_offsets", mode="before")
    @classmethod
    def _offsets(cls, value: object) -> object:
        return parse_offsets(value) if isinstance(value, str) else value

    @field_validator("quiet_hours", mode="before")
    @classmethod
    def _quiet(cls, value: object) -> object:
        return parse_quiet_hours(value) if isinstance(value, str) else value

    @field_validator("invite_token_secret", "smtp_host", "smtp_username", "smtp_password", "smtp_from")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None

    @property
    def email_enabled(self) -> bool:
        return bool(self.smtp_host)

    @field_validator("sms_gateway", mode="before")
    @classmethod
    def _gateways(cls, value: object) -> list[str]:
        names = [n.strip().lower() for n in value.split(",")] if isinstance(value, str) else list(value)  # type: ignore[call-overload]  # not a string: a list, as pydantic-settings decoded it
        names = [n for n in names if n]
        if not names:
            raise ValueError(f"name at least one gateway, e.g. `file` or `twilio,vonage` (known: {GATEWAY_NAMES})")
        unknown = [n for n in names if n not in GATEWAY_NAMES]
        if unknown:
            raise ValueError(f"unknown gateway {unknown[0]!r}; choose from {', '.join(GATEWAY_NAMES)}")
        if len(set(names)) != len(names):
            raise ValueError("a gateway is named twice; list each once, primary first")
        return names

    def check(self) -> None:
        super().check()
        for gateway in self.sms_gateway:
            for setting, why in _REQUIRED.get(gateway, ()):
                if not getattr(self, setting):
                    raise ValueError(
                        f"setting BRUG_{setting.upper()}: required when BRUG_SMS_GATEWAY includes {gateway} ({why})"
                    )
        if "webhook" in self.sms_gateway and len(self.sms_webhook_secret or "") < 32:
            raise ValueError("setting BRUG_SMS_WEBHOOK_SECRET: must be at least 32 characters")
        self._check_email()
        if self.invite_token_secret is not None and len(self.invite_token_secret) < 32:
            raise ValueError("setting BRUG_INVITE_TOKEN_SECRET: must be at least 32 characters (the scheduler's too)")
        if self.delivery_backoff_max_seconds < self.delivery_backoff_seconds:
            raise ValueError(
                "setting BRUG_DELIVERY_BACKOFF_MAX_SECONDS: must not be below BRUG_DELIVERY_BACKOFF_SECONDS"
            )

    def _check_email(self) -> None:
        if not self.smtp_host:
            return
        if not self.smtp_from or "@" not in self.smtp_from:
            raise ValueError("setting BRUG_SMTP_FROM: required with BRUG_SMTP_HOST (the no-reply address)")
        if bool(self.smtp_username) != bool(self.smtp_password):
            raise ValueError("settings BRUG_SMTP_USERNAME and BRUG_SMTP_PASSWORD: set both or neither")
