"""The registration form: what the attendee typed, checked with messages they can act on."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from scheduler.bookings.phones import PHONE_NOT_TEXTABLE
from scheduler.bookings.schemas import BookingCreate, normalise_phone
from shared.events import Channel
from shared.pages import N_
from shared.phones import country_names, sms_refusal

__all__ = ["Registration", "CHANNELS"]

#: the contact choices, in the order shown; none ticked means: never contact me directly.
CHANNELS: tuple[Channel, ...] = (Channel.SMS, Channel.EMAIL, Channel.INVITE)
NICKNAME_LIMIT = 60

PHONE_INVALID = N_("This phone number does not look right. Write it like 06 12345678 or +31 6 12345678.")
EMAIL_INVALID = N_("This e-mail address does not look right. Write it like name@example.org.")
SMS_NEEDS_PHONE = N_("To get text messages, write your phone number.")
EMAIL_NEEDS_ADDRESS = N_("To get e-mails, write your e-mail address.")
NICKNAME_TOO_LONG = N_("Please use a shorter name (at most 60 letters).")


@dataclass
class Registration:
    nickname: str = ""
    phone: str = ""
    email: str = ""
    channels: list[str] = field(default_factory=list)
    feedback_consent: bool = False
    #: the proof-of-work widget's answer, while the session is flooded (scheduler.bookings.challenge)
    altcha: str = ""
    #: field name → message id (translated where it is shown)
    errors: dict[str, str] = field(default_factory=dict)
    #: field name → the values of its message's {placeholders}
    error_values: dict[str, dict[str, str]] = field(default_factory=dict)

    def booking(self, locale: str, sms_countries: list[str]) -> BookingCreate | None:
        """The API's request for this form, or None with ``errors`` filled in."""
        self.errors, self.error_values = {}, {}
        chosen: list[Channel] = [c for c in CHANNELS if c in self.channels]
        self.channels = list(chosen)
        if len(self.nickname) > NICKNAME_LIMIT:
            self.errors["nickname"] = NICKNAME_TOO_LONG
        if self.phone:
            self._check_phone(locale, sms_countries)
        elif Channel.SMS in self.channels:
            self.errors["phone"] = SMS_NEEDS_PHONE
        if not self.email and (Channel.EMAIL in self.channels or Channel.INVITE in self.channels):
            self.errors["email"] = EMAIL_NEEDS_ADDRESS
        if self.errors:
            return None
        try:
            return BookingCreate(
                nickname=self.nickname or None,
                locale=locale,
                phone=self.phone or None,
                email=self.email or None,
                channels=chosen,
                feedback_consent=self.feedback_consent,
                altcha=self.altcha or None,
            )
        except ValidationError as error:
            if not any(e["loc"][:1] == ("email",) for e in error.errors()):
                raise  # every other field was checked above
            self.errors["email"] = EMAIL_INVALID
            return None

    def _check_phone(self, locale: str, sms_countries: list[str]) -> None:
        try:
            number = normalise_phone(self.phone)
        except ValueError:
            self.errors["phone"] = PHONE_INVALID
            return
        if sms_refusal(number, sms_countries) is not None:
            self.errors["phone"] = PHONE_NOT_TEXTABLE
            self.error_values["phone"] = {"countries": country_names(sms_countries, locale)}
