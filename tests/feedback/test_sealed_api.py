"""The digital sealed envelope: the service stores what it cannot read; the provider opens it offline."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

from feedback.sealed.envelope import PADDED_SIZE, SEALED_SIZE, open_answers, seal_answers
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

    for answers in (SECRET_ANSWER, {"safe_at_home": True}):  # what the attendee's browser does
        sent = feedback.client.post(
            f"/api/v1/questionnaires/{questionnaire}/answers",
            json={"ciphertext": seal_answers(form["public_key"], answers)},
        )
        assert sent.status_code == 201

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
    response = feedback.client.post(f"/api/v1/questionnaires/{questionnaire}/answers", json={"ciphertext": ciphertext})
    assert response.status_code == 422
    assert reason in response.text
    assert feedback.scalar("SELECT count(*) FROM sealed_answer") == 0


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
