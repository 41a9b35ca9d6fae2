"""The scheduler's settings (environment variables ``BRUG_*``)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Annotated, Literal

from pydantic import EmailStr, Field, SecretStr, field_validator
from pydantic_settings import NoDecode

from scheduler.accounts.tokens import check_signing_key
from scheduler.hours.allowance import DEFAULT_ALLOWANCE_CAPS, AllowanceCaps
from shared.forwarded_client import ServiceSecret
from shared.phones import DEFAULT_SMS_COUNTRIES, parse_countries
from shared.sealing import check_public_key
from shared.settings import CommonSettings, check_secret

__all__ = ["SchedulerSettings", "MIN_PASSWORD_LENGTH"]

#: long enough that a guessed password is unlikely; no other composition rules (NIST 800-63B).
MIN_PASSWORD_LENGTH = 12


class SchedulerSettings(CommonSettings):
    scheduler_database_url: str = "sqlite:///var/scheduler.db"
    scheduler_port: int = 8001
    #: the volunteer allowance an ambassador on social assistance may get per month, by year (the law changes it).
    allowance_caps: AllowanceCaps = DEFAULT_ALLOWANCE_CAPS
    #: where attendees reach the scheduler; manage links are built on it.
    scheduler_public_url: str = "http://127.0.0.1:8001"
    #: contact details are sealed to this key before they are stored or published.
    notifier_public_key: str
    #: signs staff access tokens (`python -m scheduler keygen`); its public half is at /.well-known/jwks.json.
    scheduler_signing_key: SecretStr
    access_token_minutes: int = 30
    #: Argon2id cost of password hashes: passes, and memory in KiB (argon2-cffi's defaults, RFC 9106).
    argon2_time_cost: int = Field(default=3, ge=1, le=20)
    argon2_memory_kib: int = Field(default=65536, ge=1024, le=4 * 1024 * 1024)
    #: with an empty users table, the first start creates this coordinator.
    bootstrap_admin_email: EmailStr | None = None
    bootstrap_admin_password: SecretStr | None = None
    #: sessions in one room, or with one ambassador, must lie this far apart (travel, setting up, a breather).
    clash_buffer_minutes: int = 15
    #: where attendees reach the notifier; "add to calendar" links point there.
    notifier_public_url: str = "http://127.0.0.1:8002"
    #: where the feedback service answers; the staff pages fetch a session's feedback cards (PDF) there.
    feedback_public_url: str = "http://127.0.0.1:8003"
    #: the audit log names a booking by HMAC(this, its code); unset: a key derived from the signing key
    #: (set it to keep the names stable when the signing key is replaced).
    audit_hash_key: SecretStr | None = None
    #: shared with the notifier: invite download links carry HMAC(secret, booking code). Unset: no such links.
    invite_token_secret: SecretStr | None = None
    #: shared with the notifier and feedback (BRUG_SERVICE_SECRET): a sign-in they pass on names the person's
    #: address, signed with it, and the sign-in limit counts that address (shared.forwarded_client).
    service_secret: ServiceSecret = None
    #: nicknames are deleted this many days after their session ends.
    nickname_retention_days: int = Field(default=7, ge=0, le=365)
    #: wrong passwords for one e-mail address within the lock-out time that pause its sign-in; 0 turns it off.
    signin_lockout_failures: int = Field(default=5, ge=0, le=100)
    #: the window the wrong passwords are counted in, and how long a lock-out lasts.
    signin_lockout_minutes: int = Field(default=15, ge=1, le=24 * 60)
    #: a password reset link (scheduler.accounts.resets) works once, for this many hours after it was issued.
    password_reset_hours: int = Field(default=24, ge=1, le=7 * 24)
    #: the SMTP server the reset links are e-mailed through (the notifier's settings, same names); none: the
    #: coordinator hands the link over.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, gt=0, lt=65536)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None
    smtp_tls: Literal["none", "starttls", "tls"] = "starttls"
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    #: how often the scheduler looks for nicknames that are due to be deleted.
    nickname_check_seconds: float = Field(default=3600.0, gt=0, le=86400)
    #: a phone number is taken only if it is a mobile number of one of these countries (shared.phones).
    sms_countries: Annotated[list[str], NoDecode] = DEFAULT_SMS_COUNTRIES
    #: a completion may be undone this long after it (POST /api/v1/sessions/{id}/reopen); 0: never.
    completion_undo_minutes: int = Field(default=15, ge=0, le=24 * 60)
    #: the most people on one session's waiting list; a registration beyond it is refused (409 WaitlistFull).
    waitlist_max: int = Field(default=100, ge=0, le=100_000)
    #: registrations for one session in any hour (all clients together) before each further one must carry
    #: a solved proof-of-work challenge (scheduler.bookings.challenge); 0 turns the challenge off.
    altcha_flood_per_hour: int = Field(default=20, ge=0, le=100_000)
    #: PBKDF2-SHA-256 iterations per try of that challenge; about 256 tries solve it (seconds at most in a browser).
    altcha_cost: int = Field(default=5000, ge=1, le=1_000_000)
    #: signs the challenges; unset: a key derived from the signing key (the same on every replica).
    altcha_hmac_key: SecretStr | None = None

    @field_validator("sms_countries", mode="before")
    @classmethod
    def _countries(cls, value: object) -> list[str]:
        return parse_countries(value)

    @field_validator("notifier_public_key")
    @classmethod
    def _key(cls, value: str) -> str:
        return check_public_key(value)

    @field_validator("scheduler_signing_key")
    @classmethod
    def _signing_key(cls, value: SecretStr) -> SecretStr:
        check_signing_key(value.get_secret_value())
        return value

    @field_validator("audit_hash_key", "altcha_hmac_key", mode="before")
    @classmethod
    def _blank_key(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("audit_hash_key", "altcha_hmac_key")
    @classmethod
    def _strong_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            if len(value.get_secret_value()) < 32:
                raise ValueError(
                    "must be at least 32 characters (python -c 'import secrets; print(secrets.token_hex(32))')"
                )
            check_secret(value.get_secret_value())
        return value

    @property
    def audit_hash_secret(self) -> bytes:
        """The key of the audit log's booking names (shared.audit.booking_ref): BRUG_AUDIT_HASH_KEY, or one
        derived from the signing key under a label of its own, so neither key can stand in for the other."""
        if self.audit_hash_key is not None:
            return self.audit_hash_key.get_secret_value().encode()
        seed = base64.b64decode(self.scheduler_signing_key.get_secret_value())
        return hmac.new(seed, b"brug audit booking ref v1", hashlib.sha256).digest()

    @property
    def altcha_hmac_secret(self) -> bytes:
        """The key that signs registration challenges: BRUG_ALTCHA_HMAC_KEY, or one derived from the
        signing key under a label of its own (so every replica signs and checks with the same key)."""
        if self.altcha_hmac_key is not None:
            return self.altcha_hmac_key.get_secret_value().encode()
        seed = base64.b64decode(self.scheduler_signing_key.get_secret_value())
        return hmac.new(seed, b"brug altcha challenge v1", hashlib.sha256).digest()

    @field_validator("access_token_minutes")
    @classmethod
    def _minutes(cls, value: int) -> int:
        if not 1 <= value <= 24 * 60:
            raise ValueError("must be between 1 and 1440 minutes; tokens are meant to be short-lived")
        return value

    @field_validator("clash_buffer_minutes")
    @classmethod
    def _buffer(cls, value: int) -> int:
        if not 0 <= value <= 24 * 60:
            raise ValueError("must be between 0 and 1440 minutes")
        return value

    @field_validator("smtp_host", "smtp_username", "smtp_password", "smtp_from", mode="before")
    @classmethod
    def _smtp_blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def email_enabled(self) -> bool:
        return bool(self.smtp_host)

    @field_validator("bootstrap_admin_email", "bootstrap_admin_password", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """``BRUG_BOOTSTRAP_ADMIN_EMAIL=`` left empty in a .env file means: not set."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("bootstrap_admin_password")
    @classmethod
    def _password(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_PASSWORD_LENGTH:
            raise ValueError(f"must be at least {MIN_PASSWORD_LENGTH} characters")
        return value

    def check(self) -> None:
        if self.smtp_host and (not self.smtp_from or "@" not in self.smtp_from):
            raise ValueError("setting BRUG_SMTP_FROM: required with BRUG_SMTP_HOST (the no-reply address)")
        if (self.smtp_username is None) != (self.smtp_password is None):
            raise ValueError("settings BRUG_SMTP_USERNAME and BRUG_SMTP_PASSWORD: set both or neither")
        if (self.bootstrap_admin_email is None) != (self.bootstrap_admin_password is None):
            raise ValueError(
                "setting BRUG_BOOTSTRAP_ADMIN_EMAIL and BRUG_BOOTSTRAP_ADMIN_PASSWORD: set both to create "
                "the first coordinator, or neither"
            )
