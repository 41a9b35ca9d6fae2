"""Digits typed on any keyboard: a code or a number typed on a Persian or Arabic phone is read as typed."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from shared.digits import ascii_digits, read_number


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("abcd ۲۳۴۵", "abcd 2345"),  # Persian (Extended Arabic-Indic)
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),  # Arabic-Indic
        ("０１２３４５６７８９", "0123456789"),  # fullwidth
        ("०१२३४५६७८९", "0123456789"),  # Devanagari
        ("০১২৩", "0123"),  # Bengali
        ("K7QF-93XA", "K7QF-93XA"),
        ("x² ①", "x² ①"),  # a superscript or a circled number is no decimal digit: left as it is
    ],
)
def test_every_decimal_digit_is_read_as_ascii(typed: str, read: str) -> None:
    assert ascii_digits(typed) == read


def test_every_unicode_decimal_digit_maps_to_its_value() -> None:
    digits = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.decimal(chr(c), None) is not None]
    assert len(digits) > 600
    assert all(ascii_digits(d) == str(unicodedata.decimal(d)) for d in digits)


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("3", 3),
        (" ۱۲ ", 12),
        ("٣", 3),
        ("１０", 10),
        ("", None),
        ("2a", None),
        ("-1", None),
        ("²", None),
        ("1 2", None),
    ],
)
def test_a_number_is_read_from_any_digits_and_nothing_else(typed: str, number: int | None) -> None:
    assert read_number(typed) == number
