"""Masking phone numbers and e-mail addresses in free text (logs, feedback comments), and in
feedback comments also street addresses, postcodes and house numbers (shared.addresses)."""

from __future__ import annotations

import re

import phonenumbers

from shared.addresses import mask_addresses
from shared.phones import DEFAULT_REGION

__all__ = ["scrub", "scrub_comment", "EMAIL"]

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGITS = re.compile(r"\d")
_PHONE_CANDIDATE = re.compile(r"\+?\(?\d[\d\s().-]{6,}\d")


def _mask_phones(text: str) -> str:
    """Mask what phonenumbers recognises as a number (Dutch numbers without +31 too: shared.phones)."""
    matches = phonenumbers.PhoneNumberMatcher(text, DEFAULT_REGION, leniency=phonenumbers.Leniency.VALID)
    for start, end in reversed([(m.start, m.end) for m in matches]):
        text = text[:start] + "[phone]" + text[end:]
    # A bare international number in an id-like context the matcher skips (e.g. "to=+31612345678").
    return re.sub(r"\+\d{8,15}\b", "[phone]", text)


def scrub(text: str) -> str:
    """``text`` with e-mail addresses and phone numbers replaced by ``[email]`` and ``[phone]``."""
    text = EMAIL.sub("[email]", text)
    if len(_DIGITS.findall(text)) >= 7 and _PHONE_CANDIDATE.search(text):
        text = _mask_phones(text)
    return text


def scrub_comment(text: str) -> str:
    """A feedback comment as it is kept: ``scrub``, then streets and their numbers as ``[address]``,
    Dutch postcodes as ``[postcode]``, house numbers with an addition as ``[number]``."""
    return mask_addresses(scrub(text))
