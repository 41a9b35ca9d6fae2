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
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import phonenumbers
from babel import Locale
from babel.lists import format_list
from phonenumbers import PhoneNumberType

from shared.i18n import negotiate

__all__ = ["DEFAULT_SMS_COUNTRIES", "sms_refusal", "parse_countries", "country_names"]

DEFAULT_SMS_COUNTRIES = ["NL", "BE", "DE"]
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
