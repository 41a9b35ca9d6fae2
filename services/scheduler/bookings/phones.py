"""The phone number at registration: refused unless Brug may text it (shared.phones).

The refusal is in the attendee's language, on the API as on the page, and
names the countries whose mobile numbers are taken, so the person knows
what would work (or that leaving the number out is fine).
"""

from __future__ import annotations

from collections.abc import Sequence

from scheduler.errors import PhoneNotTextable
from shared.i18n import N_, translate
from shared.phones import country_names, sms_refusal

__all__ = ["PHONE_NOT_TEXTABLE", "refusal", "check_textable"]

PHONE_NOT_TEXTABLE = N_(
    "We can only send text messages to a mobile number from {countries}. "
    "Write another number, or leave the phone number empty."
)


def refusal(phone: str, countries: Sequence[str], locale: str) -> str | None:
    """None when ``phone`` (E.164) may be texted; else the refusal in ``locale``."""
    if sms_refusal(phone, countries) is None:
        return None
    return translate(locale, PHONE_NOT_TEXTABLE).format(countries=country_names(countries, locale))


def check_textable(phone: str | None, countries: Sequence[str], locale: str) -> None:
    """Raise :class:`PhoneNotTextable` (422) for a number Brug must not text."""
    if phone is not None and (reason := refusal(phone, countries, locale)) is not None:
        raise PhoneNotTextable(reason)
