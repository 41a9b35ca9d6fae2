"""Reading a phone number (shared.phones): one default region, one E.164 form, for every service."""

from __future__ import annotations

import pytest

from notifier.optouts.service import number_hash
from scheduler.bookings.schemas import normalise_phone
from shared import phones


@pytest.mark.parametrize("typed", ["06 12345678", "+31 6 12345678", "0031612345678", "(06) 1234-5678"])
def test_a_number_typed_any_way_is_one_e164_number(typed: str) -> None:
    assert phones.to_e164(typed) == "+31612345678"


def test_a_number_without_a_country_code_is_read_in_the_default_region() -> None:
    number = phones.read_number("06 12345678")
    assert number is not None
    assert phones.e164(number) == "+31612345678"
    assert phones.DEFAULT_REGION == "NL"
    assert phones.read_number("call me") is None


@pytest.mark.parametrize(
    ("typed", "why"),
    [("call me", "is not a phone number"), ("06 123", "is not a valid phone number")],
)
def test_what_is_no_valid_number_is_refused_saying_why(typed: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        phones.to_e164(typed)


def test_the_scheduler_stores_what_the_notifier_hashes_for_an_opt_out() -> None:
    stored = normalise_phone("06 12345678")
    assert number_hash("k", "06 12345678") == number_hash("k", stored) == number_hash("k", "+31 6 12345678")
