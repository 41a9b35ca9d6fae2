"""Booking codes: read aloud at the door, and never a word that names the topic."""

from __future__ import annotations

import re

import httpx
import pytest

from scheduler.bookings.codes import ALPHABET, new_booking_code, normalise_code
from shared.discretion import sensitive_words_in
from tests.support.factories import book, make_session

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


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


@pytest.mark.parametrize(
    "typed",
    ["abcd ۲۳۴۵", "ABCD-٢٣٤٥", "abcd２３４５", "ABCD २३४५"],  # Persian, Arabic-Indic, fullwidth, Devanagari
)
def test_a_code_typed_with_other_digits_is_read_as_ascii(typed: str) -> None:
    assert normalise_code(typed) == "ABCD-2345"


def test_the_booking_page_and_the_door_read_a_code_typed_on_a_persian_keyboard(scheduler: httpx.Client) -> None:
    session = make_session(scheduler)
    booking = next(b for b in (book(scheduler, session["id"]) for _ in range(40)) if re.search(r"\d", b["code"]))
    persian = booking["code"].translate(PERSIAN)
    page = scheduler.get(f"/b/{persian}", params={"token": booking["manage_token"], "lang": "fa"})
    assert page.status_code == 200
    checked = scheduler.post(f"/api/v1/sessions/{session['id']}/check-ins", json={"booking_code": persian.lower()})
    assert checked.status_code == 200, checked.text
