"""Digits as any keyboard types them: every Unicode decimal digit read as its ASCII digit.

A booking code or a card's code is printed with ASCII digits, but a phone set
to Persian or Arabic types ``۲۳۴۵`` or ``٢٣٤٥`` for them, a Japanese or
Chinese one may type fullwidth ``２３４５``, a Hindi one ``२३४५``. Wherever a
code or a number is read from what a person typed, it goes through
``ascii_digits`` first, so ``abcd ۲۳۴۵`` is the booking ``ABCD-2345`` and not
an unknown code. Only decimal digits (``unicodedata.decimal``) are mapped: a
superscript ``²`` or a circled ``①`` is not a digit anyone types for a code.
"""

from __future__ import annotations

import unicodedata

__all__ = ["ascii_digits", "read_number"]


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of any script as its ASCII digit; everything else kept."""
    if text.isascii():
        return text
    return "".join(_ascii_digit(character) for character in text)


def _ascii_digit(character: str) -> str:
    value = unicodedata.decimal(character, None)
    return character if value is None else str(value)


def read_number(typed: str) -> int | None:
    """A whole number typed with digits of any script (spaces around it allowed), else None."""
    digits = ascii_digits(typed.strip())
    return int(digits) if digits.isascii() and digits.isdigit() else None
