"""Finding street addresses, postcodes and house numbers in free text, to mask them.

A feedback comment may say where someone lives ("kom langs op Kalverstraat
5", "mijn postcode is 1012 AB"); on a report that can single a person out.
Brug texts numbers in the Netherlands, Belgium and Germany by default
(BRUG_SMS_COUNTRIES), so the addresses of those three countries are looked
for:

- a street: a name ending in a street word (``Kalverstraat``, ``Rozengracht``,
  ``Hauptstraße``, ``Kalverstr.``) or a street word with a name
  (``Laan van Meerdervoort``, ``Rue de la Loi``, ``Singel``), with the capitalised
  words before it (``Van Woustraat``, ``Prins Hendrikkade``), followed by a
  house number and its addition (``12a``, ``12-3``, ``12 bis``, ``12 hs``,
  ``54 bus 3``) and a postcode after it; ``Postbus 123``;
- a capitalised name ending in an unmistakable street word, even without a
  number (``the Kalverstraat``);
- a Dutch postcode (``1012 AB``, ``1012AB``, ``1012ab``);
- a house number with an addition after a word such as ``nummer`` (``nummer
  12a``), or with an addition no other number has (``12-hs``, ``12 bis``, ``12-II``).

What is deliberately left: bare numbers ("2 children aged 5 and 7", "question
3a", "5-7"), a street with no street word in its name ("Meir 50"), Belgian and
German postcodes without a street (a postcode there covers thousands), and
any address written in a script other than Latin; a coordinator reads every
comment before it is released (README, "Feedback").
"""

from __future__ import annotations

import re

__all__ = ["mask_addresses"]

#: street words that end a street's name in one word: Kalverstraat, Hauptstraße.
_SUFFIXES = (
    "straat|str\\.|gracht|laan|plein|kade|singel|steeg|dreef|burgwal|wal|weg|dijk|hof|pad|markt|park|plantsoen"
    "|straße|strasse|gasse|allee|platz|damm|ufer"
)
#: of those, the ones no ordinary word ends in: such a capitalised name is a street even without a number.
_UNMISTAKABLE = r"straat|gracht|laan|plein|kade|singel|steeg|dreef|burgwal|straße|strasse|gasse|allee|platz"
#: street words written apart from the name: Laan van Meerdervoort, Rue de la Loi, Singel 250.
_WORDS = (
    "straat|weg|laan|plein|gracht|kade|singel|dijk|hof|steeg|pad|dreef|park|markt|wal|burgwal|plantsoen"
    "|rue|avenue|boulevard|place|chaussée|quai|chemin|square|allée|impasse|straße|strasse|platz|allee|gasse"
)
_PARTICLES = r"van|de|der|den|het|'t|ten|ter|la|le|les|l'|du|des|d'|von|vom|am|an|zum|zur|op|aan"
_CAPITALISED = r"[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:[-'’][^\W\d_]+)*\.?"
#: a house number and its addition: 12, 12a, 12 A, 12-3, 12/3, 12 bis, 12 hs, 12-II, 54 bus 3.
_ADDITION = (
    r"(?:\s?[-/]\s?(?:\d{1,4}|[^\W\d_]{1,4})\b|[^\W\d_]\b"
    r"|\s(?:[A-Za-z]|bis|hs|huis|boven|bg|bv|I{1,3}|IV|bus\s\d{1,4})\b)"
)
_NUMBER = rf"\d{{1,5}}{_ADDITION}?"
#: a postcode after the street (NL 1012 AB, BE 1000, DE 10115), swallowed with the address.
_AFTER = r"(?:,?\s+(?:\d{4}\s?[A-Z]{2}|\d{4,5})(?=\s+[A-ZÀ-Ö]|\s*$|[,.;]))?"
#: capitalised words (with particles between them) before a street's name: Van Woustraat, Eerste Van der Helststraat.
_BEFORE = rf"(?:{_CAPITALISED}\s+(?:(?:{_PARTICLES})\s+)*){{0,3}}"

_STREET_AND_NUMBER = re.compile(rf"\b{_BEFORE}(?P<name>[^\W\d_]{{3,}}?(?i:{_SUFFIXES}))\s*{_NUMBER}{_AFTER}(?!\w)")
_WORD_AND_NUMBER = re.compile(
    rf"\b{_BEFORE}(?P<word>(?i:{_WORDS}))\s+(?P<name>(?:(?:{_PARTICLES}|{_CAPITALISED})\s+){{0,4}}){_NUMBER}{_AFTER}(?!\w)"
)
_POSTBUS = re.compile(r"\b(?:postbus|postfach)\s+\d{1,6}\b", re.IGNORECASE)
_STREET_ALONE = re.compile(rf"\b{_BEFORE}[A-ZÀ-ÖØ-Þ][^\W\d_]{{2,}}(?:{_UNMISTAKABLE})\b")
_POSTCODE = re.compile(r"\b[1-9]\d{3}(?:\s?[A-Z]{2}|[a-z]{2})\b")
_NUMBER_AFTER_CUE = re.compile(
    rf"\b((?:huisnummer|hausnummer|nummer|number|numéro|nr\.?|no\.?|n°)\s*)\d{{1,5}}{_ADDITION}(?!\w)",
    re.IGNORECASE,
)
_NUMBER_WITH_ADDITION = re.compile(r"\b\d{1,5}(?:\s?-\s?|\s)(?:hs|bis|huis|boven|bg|II|III|IV)\b|\b\d{1,5}-I\b")
#: words ending in a street word that are no street.
_NOT_STREETS = {"onderweg", "underweg"}


def mask_addresses(text: str) -> str:
    """``text`` with streets and their numbers as ``[address]``, Dutch postcodes as ``[postcode]`` and
    house numbers with an addition as ``[number]``."""
    text = _STREET_AND_NUMBER.sub(_street, text)
    text = _WORD_AND_NUMBER.sub(_named_street, text)
    text = _POSTBUS.sub("[address]", text)
    text = _STREET_ALONE.sub("[address]", text)
    text = _POSTCODE.sub("[postcode]", text)
    text = _NUMBER_AFTER_CUE.sub(r"\1[number]", text)
    return _NUMBER_WITH_ADDITION.sub("[number]", text)


def _street(found: re.Match[str]) -> str:
    return found.group(0) if found.group("name").casefold() in _NOT_STREETS else "[address]"


def _named_street(found: re.Match[str]) -> str:
    """A street word written apart needs a capital: its own (Singel 250) or its name's (rue Royale 5)."""
    if found.group("word")[0].isupper() or any(word[0].isupper() for word in found.group("name").split()):
        return "[address]"
    return found.group(0)
