"""The digital sealed envelope: the service stores what it cannot read; the provider opens it offline."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

from feedback.sealed.envelope import PADDED_SIZE, SEALED_SIZE, fingerprint, open_answers, seal_answers
from feedback.tokens.minting import derive_link, derive_token
from shared.sealing import generate_keypair
from tests.feedback.conftest import FeedbackService
from tests.support.tokens import StaffSigner

QUESTIONS = [
    {
        "id": "safe_at_home",
        "kind": "yes_no",
        "text": {"en": "Do you feel safe at home?", "ar": "هل تشعر بالأمان في المنزل؟"},
    },
    {"id": "wants_contact", "kind": "yes_no", "text": {"en": "May the health service contact you?"}},
    {"id": "note", "kind": "text", "text": {"en": "Anything else?"}},
]
SECRET_ANSWER = {"safe_at_home": False, "wants_contact": True, "note": "Mijn man controleert mijn telefoon"}


def _register(feedback: FeedbackService, signer: StaffSigner, public_key: str) -> str:
    response = feedback.client.post(
        "/api/v1/questionnaires",
        json={"provider_id": "ggd", "title": "Health check", "public_key": public_key, "questions": QUESTIONS},
        headers=signer.headers("provider_staff", "ggd"),
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]  # type: ignore[no-any-return]


def test_answers_are_stored_sealed_and_only_the_providers_key_opens_them(
    feedback: FeedbackService, signer: StaffSigner, tmp_path: Path
) -> None:
    private, public = generate_keypair()
    questionnaire = _register(feedback, signer, public)
    form = feedback.client.get(f"/api/v1/questionnaires/{questionnaire}").json()
    assert (form["public_key"], form["padded_size"]) == (public, PADDED_SIZE)
    session = feedback.complete_session(attendance=4, provider="ggd")

    for index, answers in enumerate((SECRET_ANSWER, {"safe_at_home": True})):  # what the attendee's browser does
        sent = feedback.client.post(
            f"/api/v1/questionnaires/{questionnaire}/answers",
            json={"ciphertext": seal_answers(form["public_key"], answers), "key": _card(feedback, session, index)},
        )
        assert sent.status_code == 201
    feedback.mix_all(session)  # envelopes reach the table through the mixing pool, like form answers

    with feedback.engine.connect() as connection:
        stored = [row[0] for row in connection.exec_driver_sql("SELECT ciphertext FROM sealed_answer")]
    assert {len(base64.b64decode(c)) for c in stored} == {SEALED_SIZE}, "every envelope is the same size"
    dump = "\n".join(stored)
    assert "controleert" not in dump and "safe_at_home" not in dump

    export = feedback.client.get(
        f"/api/v1/questionnaires/{questionnaire}/answers", headers=signer.headers("provider_staff", "ggd")
    )
    assert export.status_code == 200
    (tmp_path / "export.json").write_text(export.text)
    (tmp_path / "key").write_text(private)
    opened = subprocess.run(
        [
            sys.executable,
            "-m",
            "feedback",
            "open-sealed",
            "--key",
            str(tmp_path / "key"),
            str(tmp_path / "export.json"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert opened.returncode == 0, opened.stderr
    lines = opened.stdout.splitlines()
    assert lines[0] == "submitted_on,note,safe_at_home,wants_contact"
    assert any(line.endswith(",Mijn man controleert mijn telefoon,False,True") for line in lines[1:])
    assert len(lines) == 3


def _card(feedback: FeedbackService, session: str, index: int) -> str:
    return derive_token(feedback.keys.token_secret, session, index)


def test_an_envelope_spends_a_card_or_the_link_of_one_of_the_providers_sessions(
    feedback: FeedbackService, signer: StaffSigner
) -> None:
    """Without it anyone could fill the provider's box with made-up envelopes."""
    public = generate_keypair()[1]
    questionnaire = _register(feedback, signer, public)
    ours = feedback.complete_session(attendance=2, provider="ggd")
    theirs = feedback.complete_session(attendance=2, provider="other-org")
    url = f"/api/v1/questionnaires/{questionnaire}/answers"
    envelope = seal_answers(public, {"safe_at_home": True})

    def send(key: str) -> tuple[int, str]:
        response = feedback.client.post(url, json={"ciphertext": envelope, "key": key})
        return response.status_code, response.json().get("error", "")

    assert feedback.client.post(url, json={"ciphertext": envelope}).status_code == 422
    assert send("NOT A CODE") == (404, "FormNotFound")
    assert send(_card(feedback, theirs, 0)) == (404, "FormNotFound")  # another provider's session
    card = _card(feedback, ours, 0)
    assert feedback.client.post(f"/api/v1/forms/{card}/responses", json={"answers": {"useful": 4}}).status_code == 201
    assert send(card)[0] == 201, "the card that answered the form may answer the questionnaire once too"
    assert send(card) == (409, "AlreadyAnswered")
    link = derive_link(feedback.keys.token_secret, ours, 0)
    assert send(link)[0] == 201
    assert send(link) == (409, "AlreadyAnswered")
    other = derive_link(feedback.keys.token_secret, ours, 1)
    assert send(other) == (409, "FormFull"), "links and cards together: never beyond the attendance of 2"
    assert feedback.scalar("SELECT count(*) FROM feedback_pool") == 3  # the form's answer and two envelopes
    feedback.mix_all(ours)
    assert feedback.scalar("SELECT count(*) FROM sealed_answer") == 2
    assert feedback.scalar("SELECT count(*) FROM feedback_response") == 1


def test_only_the_providers_own_staff_may_register_and_it_is_audited_with_the_keys_fingerprint(
    feedback: FeedbackService, signer: StaffSigner
) -> None:
    """Whoever registers the key can read the answers: a coordinator (the municipality) may not."""
    public = generate_keypair()[1]
    body = {"provider_id": "ggd", "title": "Health check", "public_key": public, "questions": QUESTIONS}
    refused = feedback.client.post("/api/v1/questionnaires", json=body, headers=signer.headers("coordinator"))
    assert refused.status_code == 403
    questionnaire = _register(feedback, signer, public)
    shown = feedback.client.get(f"/api/v1/questionnaires/{questionnaire}").json()["fingerprint"]
    assert shown == fingerprint(public) and len(shown.split()) == 8
    log = feedback.client.get(
        "/api/v1/audit", params={"action": "questionnaire.registered"}, headers=signer.headers("coordinator")
    ).json()["entries"]
    assert [entry["targets"] for entry in log] == [
        {"questionnaire_id": questionnaire, "provider_id": "ggd", "key": shown.replace(" ", "")}
    ]


def test_only_the_providers_own_staff_may_export(feedback: FeedbackService, signer: StaffSigner) -> None:
    questionnaire = _register(feedback, signer, generate_keypair()[1])
    url = f"/api/v1/questionnaires/{questionnaire}/answers"
    assert feedback.client.get(url).status_code == 401
    assert feedback.client.get(url, headers=signer.headers("provider_staff", "other")).status_code == 403
    assert feedback.client.get(url, headers=signer.headers("coordinator")).status_code == 403  # the municipality too
    assert feedback.client.get(url, headers=signer.headers("provider_staff", "ggd")).status_code == 200


@pytest.mark.parametrize(
    ("ciphertext", "reason"),
    [
        (base64.b64encode(b"x" * 100).decode(), f"must be {SEALED_SIZE} bytes once decoded"),
        ("not base64 !!", "is not base64"),
    ],
)
def test_anything_but_a_full_size_envelope_is_refused_and_nothing_stored(
    feedback: FeedbackService, signer: StaffSigner, ciphertext: str, reason: str
) -> None:
    questionnaire = _register(feedback, signer, generate_keypair()[1])
    session = feedback.complete_session(attendance=2, provider="ggd")
    body = {"ciphertext": ciphertext, "key": _card(feedback, session, 0)}
    response = feedback.client.post(f"/api/v1/questionnaires/{questionnaire}/answers", json=body)
    assert response.status_code == 422
    assert reason in response.text
    assert feedback.scalar("SELECT count(*) FROM sealed_answer") == 0
    assert feedback.scalar("SELECT count(*) FROM feedback_pool") == 0


def test_registering_needs_a_real_key_english_questions_and_the_right_provider(
    feedback: FeedbackService, signer: StaffSigner
) -> None:
    body = {"provider_id": "ggd", "title": "Health check", "public_key": "short", "questions": QUESTIONS}
    assert (
        "must be a base64 public key"
        in feedback.client.post("/api/v1/questionnaires", json=body, headers=signer.headers("coordinator")).text
    )
    no_english = {
        **body,
        "public_key": generate_keypair()[1],
        "questions": [{"id": "q", "kind": "yes_no", "text": {"ar": "سؤال"}}],
    }
    assert (
        "give the question in English"
        in feedback.client.post("/api/v1/questionnaires", json=no_english, headers=signer.headers("coordinator")).text
    )
    other = {**body, "public_key": generate_keypair()[1]}
    assert (
        feedback.client.post(
            "/api/v1/questionnaires", json=other, headers=signer.headers("provider_staff", "other")
        ).status_code
        == 403
    )


def test_the_envelope_round_trip_and_a_wrong_key() -> None:
    private, public = generate_keypair()
    assert open_answers(private, seal_answers(public, SECRET_ANSWER)) == SECRET_ANSWER
    with pytest.raises(ValueError, match="cannot open"):
        open_answers(generate_keypair()[0], seal_answers(public, SECRET_ANSWER))
    with pytest.raises(ValueError, match="at most"):
        seal_answers(public, {"note": "x" * PADDED_SIZE})


def test_a_failed_opening_is_reported_and_the_command_says_so(tmp_path: Path) -> None:
    private, public = generate_keypair()
    export = [{"id": "a", "submitted_on": "2026-12-01", "ciphertext": seal_answers(generate_keypair()[1], {"x": 1})}]
    (tmp_path / "export.json").write_text(json.dumps(export))
    (tmp_path / "key").write_text(private)
    opened = subprocess.run(
        [
            sys.executable,
            "-m",
            "feedback",
            "open-sealed",
            "--key",
            str(tmp_path / "key"),
            str(tmp_path / "export.json"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert opened.returncode == 1
    assert "answer a: cannot open with this key" in opened.stderr
