"""Booking codes: read aloud at the door, and never a word that names the topic."""

from __future__ import annotations

import re

import pytest

from scheduler.bookings.codes import ALPHABET, new_booking_code, normalise_code
from shared.discretion import sensitive_words_in


@pytest.mark.parametrize("word", ["GBVA", "XFGM", "RAPE", "ABUS"])
def test_a_code_that_spells_a_sensitive_word_is_drawn_again(word: str) -> None:
    """Every message carries the code, and a message that names the topic is not sent at all."""
    drawn = iter(word + "2345" + "K7QF93XA")
    code = new_booking_code(lambda alphabet: next(drawn))
    assert code == "K7QF-93XA"
    assert sensitive_words_in(f"{word[:4]}-2345"), f"{word} should be a sensitive word, or this test proves nothing"


def test_codes_use_only_characters_that_survive_being_read_aloud() -> None:
    for _ in range(200):
        code = new_booking_code()
        assert re.fullmatch(f"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}", code)
        assert not sensitive_words_in(code)
        assert normalise_code(code.lower().replace("-", " ")) == code
