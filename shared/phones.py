"""Which numbers Brug texts: mobile numbers of the countries a coordinator allows, nothing else.

Anyone can type a number into the registration form, so the number is an
attacker's choice: a premium-rate line (``+31 900``) that bills the sender, a
satellite or island range (``+882``, ``+247``) that costs a euro a text, or a
stranger's phone to harass. Brug texts only numbers that libphonenumber types
as mobile, in a country listed in ``BRUG_SMS_COUNTRIES`` (ISO 3166 codes, by
default NL, BE, DE). Non-geographic ranges (satellite, international
networks) belong to no country and are never allowed.

The scheduler refuses such a number at registration; the notifier checks
again before each text (a second line: an event forged on the bus, or a
setting narrowed after the booking).

Reading a number is written here once too: a number typed without a country
code (``06 12345678``) is read as a number of :data:`DEFAULT_REGION`, and
numbers are stored, hashed and sent in E.164 (``+31612345678``), so that
both forms are the same number for the scheduler (registration), the
notifier (opt-outs by text) and the masking of free text (shared.redaction).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import phonenumbers
from babel import Locale
from babel.lists import format_list
from phonenumbers import PhoneNumberType

from shared.i18n import negotiate

__all__ = [
    "DEFAULT_REGION",
    "DEFAULT_SMS_COUNTRIES",
    "read_number",
    "e164",
    "to_e164",
    "sms_refusal",
    "parse_countries",
    "country_names",
]

#: The region (ISO 3166) of a number typed without a country code: Brug runs in the Netherlands,
#: where attendees write their mobile number as 06 12345678. The one place this is said.
DEFAULT_REGION = "NL"
DEFAULT_SMS_COUNTRIES = ["NL", "BE", "DE"]
#: '+' and 15 digits: E.164's limit, which SMS gateways hold to (some national plans allow more).
_E164_MAX = 16
#: a number of either type reaches a phone that reads texts (FIXED_LINE_OR_MOBILE: plans such as
#: the USA's, where the two cannot be told apart by the digits).
_MOBILE = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
_KINDS = {
    PhoneNumberType.PREMIUM_RATE: "a premium-rate number",
    PhoneNumberType.SHARED_COST: "a shared-cost number",
    PhoneNumberType.TOLL_FREE: "a toll-free number",
    PhoneNumberType.VOIP: "an internet (VoIP) number",
    PhoneNumberType.PERSONAL_NUMBER: "a personal (forwarding) number",
    PhoneNumberType.PAGER: "a pager number",
    PhoneNumberType.UAN: "a company (UAN) number",
    PhoneNumberType.VOICEMAIL: "a voicemail number",
    PhoneNumberType.FIXED_LINE: "a landline",
}


def read_number(typed: str) -> phonenumbers.PhoneNumber | None:
    """``typed`` as a phone number (international, or of :data:`DEFAULT_REGION` without a country code);
    None when it cannot be read as one. Whether it is a valid number is not checked here."""
    try:
        return phonenumbers.parse(typed, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None


def e164(number: phonenumbers.PhoneNumber) -> str:
    """``number`` as ``+31612345678``."""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def to_e164(typed: str) -> str:
    """A number a person typed, checked and in E.164; ValueError saying what is wrong (a form's or a
    request's validation message) when it is not a valid phone number."""
    number = read_number(typed)
    if number is None:
        raise ValueError("is not a phone number; give it as 06 12345678 or +31 6 12345678")
    if not phonenumbers.is_valid_number(number):
        raise ValueError("is not a valid phone number; check the digits and the country code")
    result = e164(number)
    if len(result) > _E164_MAX:
        raise ValueError("is not a valid phone number: it has more than 15 digits with the country code")
    return result


def sms_refusal(number: str, countries: Iterable[str]) -> str | None:
    """None when Brug may text ``number`` (E.164); else why not, in English, without the number
    (for logs and a delivery's reason)."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return "not a phone number in international form"
    if not phonenumbers.is_valid_number(parsed):
        return "not a valid phone number"
    region = phonenumbers.region_code_for_number(parsed)
    if region == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY or region is None:
        return f"a number of no country (+{parsed.country_code}: satellite or international network)"
    kind = phonenumbers.number_type(parsed)
    if kind not in _MOBILE:
        return f"{_KINDS.get(kind, 'not a mobile number')} in {region}"
    if region not in set(countries):
        return f"a mobile number in {region}, which BRUG_SMS_COUNTRIES does not list"
    return None


def parse_countries(value: object) -> list[str]:
    """``BRUG_SMS_COUNTRIES``: ``NL,BE,DE`` (or a JSON list), each a region libphonenumber knows."""
    if isinstance(value, str):
        names = json.loads(value) if value.strip().startswith("[") else value.split(",")
    else:
        names = list(value)  # type: ignore[call-overload]  # not a string: a list, as pydantic-settings decoded it
    codes = [str(name).strip().upper() for name in names if str(name).strip()]
    unknown = [code for code in codes if code not in phonenumbers.SUPPORTED_REGIONS]
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not a country code; use ISO 3166 codes such as NL,BE,DE")
    if not codes:
        raise ValueError("name at least one country, e.g. NL; without one Brug could text no one")
    return list(dict.fromkeys(codes))


def country_names(countries: Iterable[str], locale: str) -> str:
    """The countries named in ``locale`` (or the language Brug falls back to for it), as a list a
    person reads (``Nederland, België en Duitsland``)."""
    babel = Locale.parse(negotiate(locale).replace("-", "_"))
    names = [babel.territories.get(code, code) for code in countries]
    return format_list(names, locale=babel)
