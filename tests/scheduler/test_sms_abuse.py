"""Issue 16, item 2: nobody can turn Brug's SMS against anyone by typing a number.

Each attack was run against the code before its fix; the docstrings say what
it did then and what it does now.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from babel.messages.pofile import read_po

from scheduler.app import create_app
from scheduler.bookings.phones import PHONE_NOT_TEXTABLE
from shared.i18n import SUPPORTED, catalog_path
from shared.natsserver import NatsServer
from shared.phones import country_names
from tests.scheduler.conftest import Events
from tests.support.config import ADMIN_EMAIL, ADMIN_PASSWORD, Keys, scheduler_settings
from tests.support.factories import make_session, signed_in
from tests.support.servers import ThreadedServer

#: numbers an attacker typed, each of a kind Brug must never text (all valid numbers in their plans).
UNTEXTABLE = {
    "premium rate (NL 0900)": "+31 900 1234567",
    "premium rate (NL 0906)": "+31 906 1234",
    "shared cost (DE 0180)": "+49 180 1 2345",
    "Ascension Island mobile (+247)": "+247 40123",
    "satellite (+882)": "+882 34 21234",
    "a costly foreign mobile (UK)": "+44 7400 123456",
    "a Dutch landline": "+31 10 123 4567",
    "Dutch VoIP (085)": "+31 85 123 4567",
    "Dutch pager (066)": "+31 66 2345678",
}
TEXTABLE = ["06 12345678", "+32 450 00 12 34", "+49 1512 3456789"]
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
PHONE_ERROR = re.compile(r'<p class="error" id="phone-error">([^<]+)</p>')


@pytest.mark.parametrize("number", UNTEXTABLE.values(), ids=UNTEXTABLE.keys())
def test_a_number_brug_must_not_text_is_refused_in_the_attendees_language(
    scheduler: httpx.Client, events: Events, number: str
) -> None:
    """Before: 201, the booking was made and the notifier was asked to text the number (each of these).
    After: 422 PhoneNotTextable, in the attendee's language, naming the countries; nothing booked."""
    session = make_session(scheduler)
    answer = scheduler.post(
        f"/api/v1/sessions/{session['id']}/bookings", json={"locale": "ar", "phone": number, "channels": ["sms"]}
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "PhoneNotTextable"
    detail = answer.json()["detail"]
    assert "هولندا" in detail and "بلجيكا" in detail and "ألمانيا" in detail  # the Netherlands, Belgium, Germany
    assert "mobile" not in detail
    assert events("scheduling.booking.confirmed") == []


@pytest.mark.parametrize("number", TEXTABLE)
def test_mobile_numbers_of_the_allowed_countries_are_still_taken(scheduler: httpx.Client, number: str) -> None:
    session = make_session(scheduler)
    answer = scheduler.post(f"/api/v1/sessions/{session['id']}/bookings", json={"locale": "nl", "phone": number})
    assert answer.status_code == 201, answer.text


def test_the_english_refusal_says_what_to_do(scheduler: httpx.Client) -> None:
    session = make_session(scheduler)
    answer = scheduler.post(
        f"/api/v1/sessions/{session['id']}/bookings", json={"locale": "de", "phone": "+31 900 1234567"}
    )
    assert answer.status_code == 422
    assert answer.json()["detail"] == PHONE_NOT_TEXTABLE.format(countries="Netherlands, Belgium, and Germany")


@pytest.fixture
def dutch_only(nats: NatsServer, database_url: str, keys: Keys) -> Iterator[httpx.Client]:
    settings = scheduler_settings(nats.url, database_url, keys, sms_countries="NL")
    with ThreadedServer(create_app(settings)) as server, server.client() as client:
        yield signed_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)


def test_a_coordinator_chooses_the_countries(dutch_only: httpx.Client) -> None:
    """BRUG_SMS_COUNTRIES=NL: a Belgian mobile is refused too, a Dutch one taken."""
    session = make_session(dutch_only)
    url = f"/api/v1/sessions/{session['id']}/bookings"
    refused = dutch_only.post(url, json={"locale": "fr", "phone": "+32 450 00 12 34"})
    assert refused.status_code == 422
    assert "Pays-Bas" in refused.json()["detail"] and "Belgique" not in refused.json()["detail"]
    assert dutch_only.post(url, json={"locale": "fr", "phone": "+31 6 12345678"}).status_code == 201


def _form(client: httpx.Client, session_id: str, lang: str, phone: str) -> httpx.Response:
    page = client.get(f"/s/{session_id}?lang={lang}")
    csrf = CSRF.search(page.text)
    assert csrf is not None
    fields = {"csrf": csrf.group(1), "idempotency_key": "form-1", "phone": phone, "channels": ["sms"]}
    return client.post(f"/s/{session_id}?lang={lang}", data=fields)


def test_the_registration_page_shows_the_refusal_beside_the_phone_field(
    scheduler: httpx.Client, scheduler_server: ThreadedServer, events: Events
) -> None:
    """Before: the page booked a place for +31 900 ... and showed the booking code. After: 422, the
    phone field's error in the page's language (French here), nothing booked."""
    session = make_session(scheduler)
    with scheduler_server.client() as visitor:
        answer = _form(visitor, session["id"], "fr", "+31 900 1234567")
    assert answer.status_code == 422
    error = PHONE_ERROR.search(answer.text)
    assert error is not None, answer.text
    assert "Pays-Bas" in error.group(1) and "Allemagne" in error.group(1)
    assert events("scheduling.booking.confirmed") == []


TRANSLATED = [locale for locale in SUPPORTED if locale != "en"]


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_catalog_translates_the_refusal_with_its_placeholder(locale: str) -> None:
    with catalog_path(locale).open("rb") as source:
        message = read_po(source).get(PHONE_NOT_TEXTABLE)
    assert message is not None and message.string and not message.fuzzy, f"{locale} lacks: {PHONE_NOT_TEXTABLE}"
    assert message.string.count("{countries}") == 1


def test_country_names_follow_the_language() -> None:
    assert country_names(["NL", "BE", "DE"], "nl") == "Nederland, België en Duitsland"
    assert country_names(["NL"], "fa-AF") == "هالند"
