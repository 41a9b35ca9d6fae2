"""Hostile input to the parsers: whatever comes in, the answer is a value or a clean rejection.

A clean rejection is the exception the caller turns into a 4xx or a dead
letter (ValueError, pydantic's ValidationError, EventRejected); anything
else would be a 500 or a crashed consumer.

``make test`` tries the same examples every run (tests/conftest.py's
"repeatable" profile); ``make fuzz`` tries ten times as many, new ones each run.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from feedback.tokens.minting import checks, derive_token, printed_code, typed_code
from scheduler.bookings.codes import (
    ALPHABET,
    hash_token,
    new_booking_code,
    new_manage_token,
    normalise_code,
    token_matches,
)
from scheduler.bookings.schemas import BookingCreate, normalise_phone
from scheduler.errors import SeriesTooLong
from scheduler.sessions.schemas import MAX_OCCURRENCES, check_rrule
from scheduler.sessions.series import occurrences
from shared import invite_tokens
from shared.events import Envelope, EventRejected, SessionCancelled, parse_event, registry

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
#: ten times the examples under ``make fuzz``
SCALE = 10 if os.environ.get("BRUG_FUZZ") else 1
FAST = settings(max_examples=150 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- phone numbers -----------------------------------------------------------------------------


@FAST
@given(st.text(max_size=40) | st.from_regex(r"\+?[0-9 ()\-.]{1,25}", fullmatch=True))
def test_a_phone_number_becomes_e164_or_a_clear_error(text: str) -> None:
    try:
        number = normalise_phone(text)
    except ValueError as error:
        assert "phone number" in str(error)
        return
    assert E164.match(number), number
    assert normalise_phone(number) == number, "normalising an E.164 number changes nothing"


@FAST
@given(
    subscriber=st.integers(10_000_000, 59_999_999),
    prefix=st.sampled_from(["06", "+316", "00316", "+31 6 ", "+31 (0)6 ", "06-", "06 "]),
    spaced=st.booleans(),
)
def test_a_dutch_mobile_number_typed_any_usual_way_is_the_same_number(
    subscriber: int, prefix: str, spaced: bool
) -> None:
    digits = str(subscriber)
    typed = prefix + (f"{digits[:4]} {digits[4:]}" if spaced else digits)
    assert normalise_phone(typed) == f"+316{digits}"


@FAST
@given(
    subscriber=st.integers(10_000_000, 59_999_999),
    script=st.sampled_from(["۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９", "०१२३४५६७८९"]),
)
def test_a_number_typed_with_persian_arabic_fullwidth_or_devanagari_digits_is_the_same_number(
    subscriber: int, script: str
) -> None:
    """libphonenumber reads every script's digits itself (checked here, so nothing else maps them)."""
    typed = f"06 {subscriber}".translate(str.maketrans("0123456789", script))
    assert normalise_phone(typed) == f"+316{subscriber}"


@FAST
@given(st.text(max_size=40))
def test_a_registration_with_any_phone_is_accepted_or_refused_naming_the_field(text: str) -> None:
    try:
        booking = BookingCreate(locale="nl", phone=text)
    except ValidationError as error:
        assert error.errors()[0]["loc"][0] == "phone"
        return
    assert booking.phone is None or E164.match(booking.phone)


# --- booking codes -----------------------------------------------------------------------------


@st.composite
def booking_codes(draw: st.DrawFn) -> str:
    return new_booking_code(choose=lambda alphabet: draw(st.sampled_from(alphabet)))


@FAST
@given(code=booking_codes(), lower=st.booleans(), separator=st.sampled_from(["-", "", " ", "  ", " - "]))
def test_a_booking_code_typed_at_the_door_any_way_is_the_same_code(code: str, lower: bool, separator: str) -> None:
    assert re.fullmatch(rf"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}", code)
    typed = code.replace("-", separator)
    typed = typed.lower() if lower else typed
    assert normalise_code(f" {typed} ") == code


@FAST
@given(st.text(max_size=60))
def test_normalising_any_text_as_a_code_never_fails_and_is_stable(text: str) -> None:
    once = normalise_code(text)
    assert normalise_code(once) == once


# --- capability tokens -------------------------------------------------------------------------


@FAST
@given(st.text(max_size=200))
def test_a_manage_token_matches_only_itself(guess: str) -> None:
    token = new_manage_token()
    assert len(token) >= 22, "at least 128 bits in base64url"
    stored = hash_token(token)
    assert token_matches(token, stored)
    assume(guess != token)
    assert not token_matches(guess, stored)


@FAST
@given(code=booking_codes(), guess=st.text(max_size=100))
def test_an_invite_token_matches_only_its_booking(code: str, guess: str) -> None:
    secret = "s" * 32
    token = invite_tokens.invite_token(secret, code)
    assert invite_tokens.token_matches(secret, code, token)
    assume(guess != token)
    assert not invite_tokens.token_matches(secret, code, guess)
    assert not invite_tokens.token_matches(secret, normalise_code(code[::-1]), token) or code == code[::-1]


@FAST
@given(session=st.text(min_size=1, max_size=40), index=st.integers(0, 500), lower=st.booleans())
def test_a_feedback_card_code_typed_back_is_its_token(session: str, index: int, lower: bool) -> None:
    """55 bits and a check character (the guessing maths: docs/THREAT_MODEL.md, T7); typed in any case,
    with O for 0 and I or L for 1, it is read back as printed."""
    token = derive_token("k" * 32, session, index)
    assert len(token) == 12 and checks(token)
    typed = printed_code(token).replace("0", "O").replace("1", "L" if lower else "I")
    assert typed_code(typed.lower() if lower else typed) == token


# --- recurrence rules --------------------------------------------------------------------------

RULE_PART = st.one_of(
    st.sampled_from(["FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=DAILY", "FREQ=YEARLY", "FREQ=", "FREQ=WEEKLY;"]),
    st.builds("COUNT={}".format, st.integers(-3, 80) | st.text(max_size=4)),
    st.builds("INTERVAL={}".format, st.integers(-2, 60) | st.text(max_size=4)),
    st.builds(
        "UNTIL={}".format,
        st.dates(datetime(2020, 1, 1).date(), datetime(2035, 1, 1).date()).map(lambda d: d.strftime("%Y%m%d"))
        | st.datetimes(datetime(2020, 1, 1), datetime(2035, 1, 1)).map(lambda d: d.strftime("%Y%m%dT%H%M%SZ"))
        | st.from_regex(r"[0-9T]{0,15}Z?", fullmatch=True),
    ),
    st.builds("BYDAY={}".format, st.sampled_from(["MO", "1TH", "-1FR", "5SU", "XX", "TU,TH", "", "9MO"])),
    st.builds("BYMONTHDAY={}".format, st.integers(-40, 40)),
    st.builds("BYSETPOS={}".format, st.integers(-5, 5)),
    st.sampled_from(["WKST=MO", "RRULE:", "X=1", "=", ";", "DTSTART=20270101"]),
)
RULES = st.lists(RULE_PART, min_size=1, max_size=5).map(";".join) | st.text(max_size=60)


@settings(max_examples=300 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule=RULES, start=st.datetimes(datetime(2026, 1, 1), datetime(2030, 1, 1)), hours=st.integers(1, 8))
@example(
    rule="FREQ=WEEKLY;INTERVAL=0;COUNT=3", start=datetime(2026, 1, 1, 10), hours=2
)  # found by CI: crashed dateutil
def test_a_recurrence_rule_is_refused_cleanly_or_gives_at_most_52_dates_at_the_same_wall_clock_time(
    rule: str, start: datetime, hours: int
) -> None:
    try:
        checked = check_rrule(rule)
    except ValueError:
        return
    zone = ZoneInfo("Europe/Amsterdam")
    starts_at = start.replace(tzinfo=zone)
    try:
        dates = occurrences(checked, starts_at, starts_at + timedelta(hours=hours), "Europe/Amsterdam")
    except SeriesTooLong:
        return
    assert len(dates) <= MAX_OCCURRENCES
    for begins, ends in dates:
        assert begins.tzinfo == UTC and begins < ends
        local = begins.astimezone(zone)
        if local.replace(tzinfo=None).replace(tzinfo=zone).astimezone(UTC) == begins:  # not in a DST gap
            assert (local.hour, local.minute) == (starts_at.hour, starts_at.minute)


# --- event payloads ----------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
KNOWN = sorted(registry())


@st.composite
def envelopes(draw: st.DrawFn) -> bytes:
    """Something shaped like an event: a known or unknown type and version, arbitrary fields and payload."""
    event_type, version = draw(st.sampled_from(KNOWN) | st.tuples(st.text(max_size=20), st.integers(-1, 5)))
    raw = {
        "id": draw(st.text(max_size=40) | st.integers()),
        "type": event_type,
        "version": version,
        "occurred_at": draw(st.sampled_from(["2026-05-04T10:00:00+00:00", "2026-05-04T10:00:00", "yesterday", 3])),
        "producer": draw(st.text(max_size=10) | st.none()),
        "payload": draw(JSON),
    }
    for key in draw(st.sets(st.sampled_from(sorted(raw)))):
        del raw[key]
    return json.dumps(raw).encode()


@settings(max_examples=300 * SCALE, deadline=None)
@given(st.binary(max_size=200) | JSON.map(lambda v: json.dumps(v).encode()) | envelopes())
def test_any_message_is_an_event_or_a_rejection_with_a_reason(data: bytes) -> None:
    try:
        envelope = parse_event(data)
    except EventRejected as rejected:
        assert str(rejected), "the dead letter needs a reason"
        return
    assert isinstance(envelope, Envelope)
    assert (envelope.type, envelope.version) in registry()


def test_a_real_event_still_parses() -> None:
    """The rejection property above must not pass by rejecting everything."""
    event = SessionCancelled(session_id="s1", reason_code="illness")
    assert parse_event(Envelope.wrap(event, producer="scheduler").to_json()).payload == event


@pytest.mark.parametrize("until", ["1Z", "1", "2027063", "20270630T1700", "20270630T170000+01"])
def test_an_until_dateutil_would_guess_at_is_refused(until: str) -> None:
    """Found by the property above: dateutil read ``UNTIL=1`` as a day of this month, and the series
    expansion then failed on it (a 500)."""
    with pytest.raises(ValueError, match="UNTIL must be a date"):
        check_rrule(f"FREQ=WEEKLY;UNTIL={until}")
    assert check_rrule("FREQ=WEEKLY;UNTIL=20270630T170000Z").endswith("Z")
