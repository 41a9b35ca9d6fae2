"""The sealed questionnaire page, without a browser: its language, its policy, and what a POST may carry.

The sealing itself happens in the browser (tests/browser/test_sealed_questionnaire.py); here
the envelope is made in Python with the same construction (feedback.sealed.envelope).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from feedback.sealed.envelope import PADDED_SIZE, SEALED_SIZE, fingerprint, open_answers, pad, seal_answers
from feedback.sealed.schemas import QuestionnaireCreate
from feedback.tokens.minting import derive_token
from shared import pages
from shared.sealing import generate_keypair
from shared.tls import client_context
from tests.feedback.conftest import FeedbackService
from tests.support.tokens import StaffSigner

QUESTIONS = [
    {"id": "felt_heard", "kind": "faces", "text": {"en": "Did you feel heard?", "fa": "آیا به حرف شما گوش دادند؟"}},
    {"id": "wants_contact", "kind": "yes_no", "text": {"en": "May we call you?", "ar": "هل يمكننا الاتصال بك؟"}},
    {"id": "note", "kind": "text", "text": {"en": "Anything else?"}},
]


@pytest.fixture
def provider_keys() -> tuple[str, str]:
    return generate_keypair()


@pytest.fixture
def questionnaire(feedback: FeedbackService, signer: StaffSigner, provider_keys: tuple[str, str]) -> str:
    body = {
        "provider_id": "ggd",
        "title": "A few more questions",
        "public_key": provider_keys[1],
        "questions": QUESTIONS,
    }
    answer = feedback.client.post("/api/v1/questionnaires", json=body, headers=signer.headers("provider_staff", "ggd"))
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]  # type: ignore[no-any-return]


@pytest.fixture
def key(feedback: FeedbackService) -> str:
    """A feedback card of a session the provider co-ran: what lets an attendee answer its questionnaire."""
    session = feedback.complete_session(attendance=3, provider="ggd")
    return derive_token(feedback.keys.token_secret, session, 0)


class _Fields(HTMLParser):
    """The names of the fields inside the page's <form>, and of the answer inputs outside it."""

    def __init__(self) -> None:
        super().__init__()
        self.in_form = 0
        self.inside: list[str] = []
        self.outside: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self.in_form += 1
        elif tag in ("input", "textarea", "select", "button") and found.get("name"):
            (self.inside if self.in_form else self.outside).append(str(found["name"]))
        elif tag in ("input", "textarea") and self.in_form:
            self.inside.append("(unnamed)")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form -= 1


def _fields(html: str) -> _Fields:
    parser = _Fields()
    parser.feed(html)
    return parser


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, "the page carries a CSRF field"
    return found.group(1)


def _count(feedback: FeedbackService) -> int:
    return int(feedback.scalar("SELECT count(*) FROM sealed_answer"))  # type: ignore[call-overload]


def _pooled(feedback: FeedbackService) -> int:
    return int(feedback.scalar("SELECT count(*) FROM feedback_pool"))  # type: ignore[call-overload]


def _session_of(feedback: FeedbackService) -> str:
    """The one session the ``key`` fixture completed."""
    return str(feedback.scalar("SELECT session_id FROM feedback_session"))


def test_the_page_is_in_the_attendees_language_and_its_form_holds_only_the_envelope(
    feedback: FeedbackService, questionnaire: str, provider_keys: tuple[str, str], key: str
) -> None:
    shown = feedback.client.get(f"/q/{questionnaire}?lang=fa&key={key}")
    assert shown.status_code == 200
    assert '<html lang="fa" dir="rtl">' in shown.text
    assert '<legend lang="fa" dir="auto">آیا به حرف شما گوش دادند؟</legend>' in shown.text
    # a question the provider gave in English only is shown in English, and marked so
    assert '<legend lang="en" dir="auto">May we call you?</legend>' in shown.text
    assert f'data-public-key="{provider_keys[1]}"' in shown.text and f'data-padded-size="{PADDED_SIZE}"' in shown.text
    assert "<noscript>" in shown.text and 'id="sealed-needs-js"' in shown.text
    assert re.search(r'<div id="sealed-questions" hidden', shown.text), "no questions until the sealing is ready"
    fields = _fields(shown.text)
    assert sorted(fields.inside) == ["ciphertext", "csrf", "key"], "the form can send nothing but the envelope"
    assert f'name="key" value="{key}"' in shown.text, "and the card it spends"
    assert f'<code dir="ltr">{fingerprint(provider_keys[1])}</code>' in shown.text, "the provider can check its key"
    assert set(fields.outside) == {"sealed-felt_heard", "sealed-wants_contact"}  # radio groups, outside the form
    assert re.search(r'<button class="button" type="submit" disabled>', shown.text)
    for script in ("sodium.js", "sodium-wrappers.js", "sealed.js"):
        assert f'src="/static/{script}?v=' in shown.text

    # another browser, with no language chosen yet: its own languages decide
    arabic = httpx.get(
        f"{feedback.client.base_url}/q/{questionnaire}?key={key}",
        headers={"Accept-Language": "ar-SY,ar;q=0.9"},
        verify=client_context(),
    )
    assert '<html lang="ar" dir="rtl">' in arabic.text
    assert '<legend lang="ar" dir="auto">هل يمكننا الاتصال بك؟</legend>' in arabic.text
    assert "This page needs JavaScript." not in arabic.text, "the page's own texts are in Arabic"


def test_only_this_page_may_compile_webassembly_and_nothing_may_eval(
    feedback: FeedbackService, questionnaire: str, key: str
) -> None:
    sealed = feedback.client.get(f"/q/{questionnaire}?key={key}").headers["content-security-policy"]
    assert "script-src 'self' 'wasm-unsafe-eval';" in sealed
    assert "'unsafe-eval'" not in sealed and "'unsafe-inline'" not in sealed
    assert "connect-src 'self'" in sealed and "form-action 'self'" in sealed
    for other in ("/f", f"/q/{questionnaire}x", f"/q/{questionnaire}"):  # the code entry page; refusals
        assert "wasm" not in feedback.client.get(other).headers["content-security-policy"]
    for script in ("sodium.js", "sodium-wrappers.js", "sealed.js"):
        assert feedback.client.get(f"/static/{script}").status_code == 200


def test_a_sealed_envelope_is_stored_and_opens_only_with_the_providers_key(
    feedback: FeedbackService, questionnaire: str, provider_keys: tuple[str, str], key: str
) -> None:
    token = _csrf(feedback.client.get(f"/q/{questionnaire}?lang=so&key={key}"))
    answers = {"felt_heard": 4, "note": "Waan ku faraxsanahay"}
    envelope = {"csrf": token, "ciphertext": seal_answers(provider_keys[1], answers), "key": key}
    sent = feedback.client.post(f"/q/{questionnaire}?lang=so", data=envelope)
    assert sent.status_code == 200 and 'class="card message thanks"' in sent.text
    assert '<html lang="so"' in sent.text
    again = feedback.client.post(f"/q/{questionnaire}?lang=so", data=envelope)
    assert again.status_code == 409 and 'class="card message' in again.text, "a card answers once"
    assert feedback.client.get(f"/q/{questionnaire}?lang=so&key={key}").status_code == 409
    feedback.mix_all(_session_of(feedback))
    stored = str(feedback.scalar("SELECT ciphertext FROM sealed_answer"))
    assert len(base64.b64decode(stored)) == SEALED_SIZE and "faraxsan" not in stored
    assert open_answers(provider_keys[0], stored) == answers


#: what may come instead of one sealed envelope; each must be refused with nothing stored.
REFUSED: list[dict[str, str]] = [
    # the answers as a form without JavaScript would send them
    {"sealed-felt_heard": "4", "note": "Mijn man controleert mijn telefoon"},
    # an envelope and plain answers beside it (SEALED: a real envelope, made in the test)
    {"ciphertext": "SEALED", "note": "Mijn man controleert mijn telefoon"},
    # plain text where the envelope goes
    {"ciphertext": "Mijn man controleert mijn telefoon"},
    # plain JSON, base64-encoded but not sealed: the wrong size
    {"ciphertext": base64.b64encode(json.dumps({"note": "Mijn man"}).encode()).decode()},
    # plain JSON padded to the envelope's size but not sealed: 48 bytes short
    {"ciphertext": base64.b64encode(pad(json.dumps({"note": "Mijn man"}).encode())).decode()},
    # a sealed envelope's size plus one byte
    {"ciphertext": base64.b64encode(b"\x01" * (SEALED_SIZE + 1)).decode()},
    # a form submitted without its envelope
    {"ciphertext": ""},
]


def test_anything_but_one_full_size_envelope_is_refused_and_nothing_stored(
    feedback: FeedbackService, questionnaire: str, provider_keys: tuple[str, str], key: str
) -> None:
    token = _csrf(feedback.client.get(f"/q/{questionnaire}?lang=ar&key={key}"))
    for fields in REFUSED:
        if fields.get("ciphertext") == "SEALED":
            fields = {**fields, "ciphertext": seal_answers(provider_keys[1], {"note": "x"})}
        refused = feedback.client.post(f"/q/{questionnaire}?lang=ar", data={"csrf": token, "key": key, **fields})
        assert refused.status_code == 422, fields
        assert '<html lang="ar" dir="rtl">' in refused.text and f'href="/q/{questionnaire}?lang=ar"' in refused.text
        assert "controleert" not in refused.text
    assert _count(feedback) == 0 and _pooled(feedback) == 0


def test_a_post_without_the_pages_token_a_card_or_to_an_unknown_questionnaire_stores_nothing(
    feedback: FeedbackService, questionnaire: str, provider_keys: tuple[str, str], key: str
) -> None:
    envelope = seal_answers(provider_keys[1], {"felt_heard": 5})
    plain = {"ciphertext": envelope, "key": key}
    assert (
        httpx.post(f"{feedback.client.base_url}/q/{questionnaire}", data=plain, verify=client_context()).status_code
        == 403
    )
    token = _csrf(feedback.client.get(f"/q/{questionnaire}?key={key}"))
    unknown = feedback.client.post("/q/" + "0" * 32, data={"csrf": token, **plain})
    assert unknown.status_code == 404 and "We do not know this page" in unknown.text
    assert feedback.client.get("/q/" + "x" * 300).status_code == 404
    for wrong, status in (("", 422), ("NOT-A-CARD", 404)):  # opened without its card, or with a made-up one
        assert feedback.client.get(f"/q/{questionnaire}?key={wrong}").status_code == 404
        refused = feedback.client.post(
            f"/q/{questionnaire}", data={"csrf": token, "ciphertext": envelope, "key": wrong}
        )
        assert refused.status_code == status, wrong
    assert _count(feedback) == 0 and _pooled(feedback) == 0


def test_the_feedback_thank_you_page_links_to_the_sessions_providers_questionnaire(
    feedback: FeedbackService, questionnaire: str, signer: StaffSigner
) -> None:
    ggd = feedback.complete_session(attendance=1, provider="ggd")
    other = feedback.complete_session(attendance=1, provider="other")
    for session_id, expected in ((ggd, f'href="/q/{questionnaire}?lang=tr&amp;key='), (other, None)):
        card = derive_token(feedback.keys.token_secret, session_id, 0)
        token = _csrf(feedback.client.get(f"/f/{card}?lang=tr"))
        thanks = feedback.client.post(f"/f/{card}?lang=tr", data={"csrf": token})
        assert thanks.status_code == 200 and 'class="card message thanks"' in thanks.text
        if expected:
            assert expected in thanks.text
        else:
            assert "/q/" not in thanks.text


def test_a_questionnaire_that_names_what_the_sessions_are_about_is_refused() -> None:
    """Attendees answer on phones others may see: the title and every question must be discreet."""
    base = {"provider_id": "ggd", "title": "A few more questions", "public_key": generate_keypair()[1]}
    loud_title = {**base, "title": "Questions after the sexual violence meeting", "questions": QUESTIONS}
    with pytest.raises(ValidationError, match="the title uses sexual, violence, which names"):
        QuestionnaireCreate.model_validate(loud_title)
    loud_question = {"id": "q", "kind": "yes_no", "text": {"en": "Did it help?", "ar": "هل تعرضت للعنف؟"}}
    with pytest.raises(ValidationError, match="the ar text uses .*عنف"):
        QuestionnaireCreate.model_validate({**base, "questions": [loud_question]})
    loud_id = {"id": "rape_support", "kind": "yes_no", "text": {"en": "Did it help?"}}  # in the page's source
    with pytest.raises(ValidationError, match="the question id uses rape"):
        QuestionnaireCreate.model_validate({**base, "questions": [loud_id]})
    assert QuestionnaireCreate.model_validate({**base, "questions": QUESTIONS}).title == "A few more questions"


def test_libsodium_is_vendored_unchanged_with_its_licence() -> None:
    """sodium.js and sodium-wrappers.js are the npm packages' files byte for byte (libsodium 0.8.4 and
    libsodium-wrappers 0.8.4, ``dist/modules/``): upgrading means replacing both and these hashes."""
    static = Path(pages.__file__).parent / "static"
    vendored = {
        "sodium.js": "9d9731995989ac2d7c73ba4fb6717e43cd2a4a4299c442b710c2d9e5065b14d1",
        "sodium-wrappers.js": "d015a93315140974698318d94274ff63c6d22530d8b0e3f3770d9bfeadc7eb60",
    }
    for name, digest in vendored.items():
        assert hashlib.sha256((static / name).read_bytes()).hexdigest() == digest, name
    assert "Frank Denis" in (static / "sodium-LICENSE.txt").read_text()
