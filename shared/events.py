"""Event contracts: one envelope, versioned payloads, one registry.

Every message on the bus is an :class:`Envelope` serialised as JSON. Its
``type`` is also the NATS subject (``scheduling.booking.confirmed``), its
``id`` the ``Nats-Msg-Id`` that lets JetStream drop a re-sent duplicate.

Rules (see ../shared/ARCHITECTURE.md):

- Names are facts in the past tense.
- Within a version only add optional fields; readers ignore unknown ones.
  A breaking change is a new class with ``version = 2``; consumers accept the
  versions they know and dead-letter the rest.
- No payload carries a readable phone number, e-mail address or nickname:
  contact details travel sealed to the notifier's public key.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar, TypedDict

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

__all__ = [
    "Audience",
    "Channel",
    "Payload",
    "Envelope",
    "EventRejected",
    "parse_event",
    "registry",
    "stream_of",
    "STREAMS",
    "SessionPublished",
    "SessionRescheduled",
    "SessionCancelled",
    "SessionCompleted",
    "SessionReopened",
    "BookingConfirmed",
    "BookingWaitlisted",
    "BookingCancelled",
    "BookingErased",
    "AccountDeactivated",
    "DeliveryUpdated",
    "InvitationsReady",
    "ReportPublished",
]

#: stream name → subject prefix; one stream per producing service.
STREAMS: dict[str, str] = {"SCHEDULING": "scheduling", "NOTIFY": "notify", "FEEDBACK": "feedback"}

_REGISTRY: dict[tuple[str, int], type[Payload]] = {}


def utcnow() -> datetime:
    return datetime.now(UTC)


class EventRejected(ValueError):
    """A message that cannot be applied: its reason goes to the dead-letter subject."""


class Payload(BaseModel):
    """Base of every event payload; subclasses set ``type`` and ``version``."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    type: ClassVar[str]
    version: ClassVar[int] = 1

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "type" in cls.__dict__:
            key = (cls.type, cls.version)
            if key in _REGISTRY:
                raise TypeError(f"event {key} is defined twice")
            _REGISTRY[key] = cls


def registry() -> dict[tuple[str, int], type[Payload]]:
    """Every known (type, version) and its payload class."""
    return dict(_REGISTRY)


def stream_of(event_type: str) -> str:
    """The stream that holds ``event_type`` (by its first subject token)."""
    prefix = event_type.split(".", 1)[0]
    for stream, stream_prefix in STREAMS.items():
        if stream_prefix == prefix:
            return stream
    raise ValueError(f"no stream for event type {event_type!r}")


class _Correlation(TypedDict, total=False):
    correlation_id: str


class Envelope(BaseModel):
    """The wrapper every event travels in."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    type: str
    version: int
    occurred_at: datetime = Field(default_factory=utcnow)
    producer: str
    correlation_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    payload: Payload

    @field_validator("occurred_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("occurred_at must carry a time zone (UTC)")
        return value.astimezone(UTC)

    @classmethod
    def wrap(cls, payload: Payload, *, producer: str, correlation_id: str | None = None) -> Envelope:
        extra: _Correlation = {"correlation_id": correlation_id} if correlation_id else {}
        return cls(type=payload.type, version=payload.version, producer=producer, payload=payload, **extra)

    @property
    def subject(self) -> str:
        return self.type

    def to_json(self) -> bytes:
        return self.model_dump_json(serialize_as_any=True).encode()


def parse_event(data: bytes) -> Envelope:
    """Parse and validate a message, or raise :class:`EventRejected` saying why."""
    try:
        raw = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EventRejected(f"not JSON: {error}") from None
    if not isinstance(raw, dict):
        raise EventRejected("not a JSON object")
    key = (raw.get("type"), raw.get("version"))
    payload_cls = _REGISTRY.get(key)  # type: ignore[arg-type]  # any JSON values: a wrong pair finds nothing
    if payload_cls is None:
        known = sorted(v for (t, v) in _REGISTRY if t == key[0])
        if known:
            raise EventRejected(f"unknown version {key[1]!r} of {key[0]} (this service reads {known})")
        raise EventRejected(f"unknown event type {key[0]!r}")
    try:
        payload = payload_cls.model_validate(raw.get("payload"))
    except ValidationError as error:
        raise EventRejected(_reason(error, key, "payload")) from None
    try:
        return Envelope.model_validate({**raw, "payload": payload})
    except ValidationError as error:
        raise EventRejected(_reason(error, key, "envelope")) from None


def _reason(error: ValidationError, key: tuple[object, object], part: str) -> str:
    first = error.errors()[0]
    where = ".".join([part, *(str(p) for p in first["loc"])])
    return f"invalid {key[0]} v{key[1]}: {where}: {first['msg']}"


# --- scheduling --------------------------------------------------------------


class Audience(StrEnum):
    """Who a session is for; the scheduler's sessions, the events and feedback's reports use these codes."""

    OPEN = "open"
    WOMEN = "women"
    MEN = "men"
    LGBTQI = "lgbtqi"
    YOUTH = "youth"
    PARENTS = "parents"


class Channel(StrEnum):
    """How an attendee may be contacted (their safe-to-contact choice): ``invite`` is a calendar invite,
    which travels by e-mail; a delivery goes out on ``sms`` or ``email``."""

    SMS = "sms"
    EMAIL = "email"
    INVITE = "invite"


class SessionPublished(Payload):
    """Scheduler, when a session opens for booking, and again when its titles per language change (the
    same facts, the new ``public_titles``; consumers keep the latest). Consumed by notifier and feedback.

    Carries only what may leave the system: the discreet public title and the
    venue's public name, never the internal title or the venue's real name.

    ``address`` is only what may be shown when the event is written: while
    the venue hides its address (``address_released_at`` still ahead) it holds
    the neighbourhood, never the street address, so an invite or message made
    from it names no more than that.
    """

    type: ClassVar[str] = "scheduling.session.published"

    session_id: str
    public_title: str
    #: the public title per language, by locale (added in version 1: readers without it show
    #: ``public_title``); shared.titles picks the attendee's. None: none given.
    public_titles: dict[str, str] | None = None
    venue_public_name: str
    address: str
    #: the venue's neighbourhood, when it has one.
    neighbourhood: str | None = None
    #: when the venue hides its address: the time from which it may be shown (UTC); ``address`` is then
    #: the neighbourhood if this lies ahead when the event is written.
    address_released_at: datetime | None = None
    starts_at: datetime
    ends_at: datetime
    timezone: str
    languages: list[str]
    audience: Audience
    topics: list[str] = []
    capacity: int
    provider_id: str | None = None
    #: staff user ids of the session's ambassadors (feedback lets them print its cards).
    ambassador_ids: list[str] = []
    #: an interpreter takes part; for staff reports, never for attendees' messages.
    interpreter_present: bool = False
    #: reception, integration or settled, when staff set it (feedback may report by phase); None: not set.
    integration_phase: str | None = None


class SessionRescheduled(Payload):
    """Scheduler, when a session's time, room or venue changes. Consumed by notifier.

    ``address``, ``neighbourhood`` and ``address_released_at`` as in :class:`SessionPublished`.
    """

    type: ClassVar[str] = "scheduling.session.rescheduled"

    session_id: str
    revision: int
    venue_public_name: str
    address: str
    neighbourhood: str | None = None
    address_released_at: datetime | None = None
    starts_at: datetime
    ends_at: datetime
    timezone: str


class SessionCancelled(Payload):
    """Scheduler, when a session is called off. Consumed by notifier."""

    type: ClassVar[str] = "scheduling.session.cancelled"

    session_id: str
    reason_code: str = "unspecified"


class SessionCompleted(Payload):
    """Scheduler, when the ambassador closes a session. Consumed by notifier and feedback."""

    type: ClassVar[str] = "scheduling.session.completed"

    session_id: str
    attendance: int = Field(ge=0)
    walk_ins: int = Field(ge=0)
    attended_booking_codes: list[str]
    provider_id: str | None = None
    languages: list[str] = []
    audience: Audience = Audience.OPEN
    topics: list[str] = []
    #: staff user ids of the session's ambassadors (feedback lets them print its cards).
    ambassador_ids: list[str] = []
    #: as in :class:`SessionPublished`.
    interpreter_present: bool = False
    integration_phase: str | None = None


class SessionReopened(Payload):
    """Scheduler, when a completion is undone within BRUG_COMPLETION_UNDO_MINUTES of it (closed by
    mistake, or too early): the session is open again and will be completed anew. Consumed by feedback:
    it withdraws the session's cards and links that have not answered."""

    type: ClassVar[str] = "scheduling.session.reopened"

    session_id: str


class BookingConfirmed(Payload):
    """Scheduler, when a seat is taken or a waitlisted booking is promoted. Consumed by notifier.

    ``sealed_contact`` is a libsodium sealed box (base64) to the notifier's
    public key holding ``{"phone": ..., "email": ...}``; absent when the
    attendee wants no reminders. ``channels`` is the attendee's
    safe-to-contact choice.
    """

    type: ClassVar[str] = "scheduling.booking.confirmed"

    booking_code: str
    session_id: str
    locale: str
    sealed_contact: str | None = None
    channels: list[Channel] = []
    feedback_consent: bool = False
    promoted: bool = False


class BookingWaitlisted(Payload):
    """Scheduler, when a registration finds the session full. Consumed by notifier."""

    type: ClassVar[str] = "scheduling.booking.waitlisted"

    booking_code: str
    session_id: str
    position: int = Field(ge=1)
    locale: str
    sealed_contact: str | None = None
    channels: list[Channel] = []


class BookingCancelled(Payload):
    """Scheduler, when a booking is cancelled by its link or a coordinator. Consumed by notifier."""

    type: ClassVar[str] = "scheduling.booking.cancelled"

    booking_code: str
    session_id: str


class BookingErased(Payload):
    """Scheduler, when a coordinator erased an attendee's data on request (art. 17 GDPR). Consumed by notifier.

    The notifier deletes everything it holds to reach that attendee: the
    recipient (sealed contact), the booking code in its deliveries and the
    session's attended list; no message goes out for the booking after it.
    The scheduler has wiped its own copy in the transaction that wrote this.
    """

    type: ClassVar[str] = "scheduling.booking.erased"

    booking_code: str
    session_id: str


class AccountDeactivated(Payload):
    """Scheduler, when a coordinator deactivates a staff account. Consumed by notifier and feedback.

    They check staff tokens with the scheduler's public key alone, so without
    this a token would outlive its account there until it expires. Each keeps
    the account on its revocation list (shared.revocations) until
    ``tokens_valid_until``: the deactivation plus the token lifetime and the
    verifiers' clock leeway, after which no token issued before it is valid.
    """

    type: ClassVar[str] = "scheduling.account.deactivated"

    account_id: str
    deactivated_at: datetime
    tokens_valid_until: datetime


# --- notify ------------------------------------------------------------------


class DeliveryUpdated(Payload):
    """Notifier, when a delivery changes state. Consumed by none: for coordinators' views and metrics."""

    type: ClassVar[str] = "notify.delivery.updated"

    delivery_id: str
    booking_code: str
    channel: str
    kind: str
    status: str
    segments: int = 0


# --- feedback ----------------------------------------------------------------


class InvitationsReady(Payload):
    """Feedback, when cards and links are minted for a completed session. Consumed by notifier.

    ``feedback_links``: one personal link per counted attendee; the notifier texts one to each
    attendee who agreed to be asked, and each answers once. ``feedback_link``: the one link shared
    by everyone, sent by feedback services from before personal links; empty since.
    """

    type: ClassVar[str] = "feedback.invitations.ready"

    session_id: str
    feedback_link: str = ""
    feedback_links: list[str] = Field(default_factory=list)
    expires_at: datetime


class ReportPublished(Payload):
    """Feedback, when a session's feedback window closes. Consumed by scheduler.

    Every figure comes from the session's release: its answers counted once,
    with differential-privacy noise. ``summary`` is the suppressed report body
    (withheld figures are null); ``response_count`` is null when there were
    too few to show. ``counts`` (added in place: readers ignore unknown
    fields) holds the released noisy counts, ``{"responses", "cells",
    "questions"}``, for the scheduler to pool over several of an
    ambassador's sessions (``shared.released``).
    """

    type: ClassVar[str] = "feedback.report.published"

    session_id: str
    provider_id: str | None = None
    response_count: int | None
    summary: dict[str, Any] = {}
    counts: dict[str, Any] = {}
