"""Brug's X-Twilio-Signature code agrees with Twilio's own validator (the ``twilio`` package).

The notifier does not depend on the ``twilio`` package at run time; this test holds its
hand-written HMAC to the reference on status callbacks and inbound SMS, with non-ASCII
bodies, repeated parameters, query strings and ports. The one difference is deliberate:
Twilio's helper also accepts a signature made for the URL without a *non-default* port,
Brug only adds or drops the scheme's default port.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from notifier.gateways import twilio_signature

TOKEN = "12345678901234567890123456789012"

URLS = [
    "https://brug.example/api/v1/sms/status",
    "https://brug.example:443/api/v1/sms/inbound",
    "http://127.0.0.1:8003/api/v1/sms/status?delivery=d1f0&attempt=2",
    "https://brug.example/api/v1/sms/inbound?channel=sms&name=%D8%AA%D9%88%D9%82%D9%81",
    "http://brug.example/api/v1/sms/status",
]

Pairs = list[tuple[str, str]]

STATUS: Pairs = [
    ("AccountSid", "AC" + "0" * 32),
    ("MessageSid", "SM" + "f" * 32),
    ("MessageStatus", "delivered"),
    ("To", "+31612345678"),
    ("From", "Brug"),
    ("ErrorCode", ""),
]
ARABIC_STOP: Pairs = [("From", "+31612345678"), ("To", "+3197010203040"), ("Body", "توقف"), ("NumMedia", "0")]
MIXED_BODY: Pairs = [("Body", "  Stop 🙏 الغاء الاشتراك\nésta & that=1  "), ("From", "+212612345678")]
REPEATED: Pairs = [("MediaUrl", "https://m/b"), ("MediaUrl", "https://m/a"), ("Tag", "x"), ("Tag", "x"), ("A", "1")]
PARAMS = {"status": STATUS, "arabic_stop": ARABIC_STOP, "mixed_body": MIXED_BODY, "repeated": REPEATED, "none": []}


class _MultiDict:
    """The shape Twilio's validator reads repeated parameters from (Django's QueryDict)."""

    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        self._pairs = list(pairs)

    def __iter__(self) -> Iterator[str]:
        return iter(name for name, _ in self._pairs)

    def getlist(self, name: str) -> list[str]:
        return [value for key, value in self._pairs if key == name]


def _twilio_signature(url: str, pairs: Sequence[tuple[str, str]]) -> str:
    return str(RequestValidator(TOKEN).compute_signature(url, _MultiDict(pairs)))


def _as_posted(pairs: Pairs) -> Pairs:
    """The pairs as the notifier reads them back from the form body Twilio posts (UTF-8)."""
    return parse_qsl(urlencode(pairs).encode().decode("utf-8", "replace"), keep_blank_values=True)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("name", PARAMS)
def test_the_signature_is_the_one_twilio_computes(url: str, name: str) -> None:
    pairs = PARAMS[name]
    expected = _twilio_signature(url, pairs)
    assert twilio_signature.compute(TOKEN, url, pairs) == expected
    assert twilio_signature.compute(TOKEN, url, _as_posted(pairs)) == expected
    assert twilio_signature.valid(TOKEN, url, _as_posted(pairs), expected)
    assert RequestValidator(TOKEN).validate(url, _MultiDict(pairs), expected)


def test_an_order_change_or_a_repeat_of_the_same_pair_does_not_change_it_as_for_twilio() -> None:
    url = URLS[0]
    shuffled = [REPEATED[i] for i in (4, 3, 1, 0, 2)]
    assert twilio_signature.compute(TOKEN, url, shuffled) == twilio_signature.compute(TOKEN, url, REPEATED)
    assert twilio_signature.compute(TOKEN, url, REPEATED[:3] + REPEATED[4:]) == _twilio_signature(url, REPEATED)


@pytest.mark.parametrize(
    ("called", "signed"),
    [
        ("https://brug.example/api/v1/sms/status", "https://brug.example:443/api/v1/sms/status"),
        ("https://brug.example:443/api/v1/sms/status", "https://brug.example/api/v1/sms/status"),
        ("http://brug.example/api/v1/sms/status?x=1", "http://brug.example:80/api/v1/sms/status?x=1"),
    ],
)
def test_the_default_port_may_be_added_or_dropped_by_a_proxy_as_twilio_allows(called: str, signed: str) -> None:
    signature = _twilio_signature(signed, STATUS)
    assert RequestValidator(TOKEN).validate(called, _MultiDict(STATUS), signature)
    assert twilio_signature.valid(TOKEN, called, STATUS, signature)


@pytest.mark.parametrize(
    ("called", "signed"),
    [
        ("https://brug.example/api/v1/sms/status", "https://brug.example/api/v1/sms/inbound"),
        ("https://brug.example/api/v1/sms/status", "http://brug.example/api/v1/sms/status"),
        ("https://brug.example/api/v1/sms/status?x=1", "https://brug.example/api/v1/sms/status?x=2"),
    ],
)
def test_a_signature_for_another_url_is_refused_by_both(called: str, signed: str) -> None:
    signature = _twilio_signature(signed, STATUS)
    assert not RequestValidator(TOKEN).validate(called, _MultiDict(STATUS), signature)
    assert not twilio_signature.valid(TOKEN, called, STATUS, signature)


def test_other_params_or_another_token_are_refused_by_both() -> None:
    url = URLS[3]
    signature = _twilio_signature(url, ARABIC_STOP)
    changed = [(name, "ابدأ" if name == "Body" else value) for name, value in ARABIC_STOP]
    assert not RequestValidator(TOKEN).validate(url, _MultiDict(changed), signature)
    assert not twilio_signature.valid(TOKEN, url, changed, signature)
    assert not twilio_signature.valid(TOKEN[::-1], url, ARABIC_STOP, signature)


def test_only_twilio_accepts_a_signature_made_without_a_non_default_port() -> None:
    """The deliberate difference: Brug's public URL names its port, so only that URL counts."""
    called, signed = "https://brug.example:8443/api/v1/sms/status", "https://brug.example/api/v1/sms/status"
    signature = _twilio_signature(signed, STATUS)
    assert RequestValidator(TOKEN).validate(called, _MultiDict(STATUS), signature)
    assert not twilio_signature.valid(TOKEN, called, STATUS, signature)
    assert twilio_signature.valid(TOKEN, called, STATUS, _twilio_signature(called, STATUS))


_text = st.text(st.characters(codec="utf-8"), max_size=12)


@given(st.lists(st.tuples(st.text(st.characters(codec="utf-8"), min_size=1, max_size=8), _text), max_size=6))
def test_any_utf8_params_sign_as_twilio_signs_them(pairs: list[tuple[str, str]]) -> None:
    url = URLS[2]
    assert twilio_signature.compute(TOKEN, url, pairs) == _twilio_signature(url, pairs)
