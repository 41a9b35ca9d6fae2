"""The sealed questionnaire: a provider's questions, answered in a sealed envelope only it can open.

GET  /q/{questionnaire_id}   the questions, in the attendee's language where the provider gave it
POST /q/{questionnaire_id}   the envelope (``ciphertext``) and the CSRF field, nothing else

Why ``/q/`` and not under ``/f/``: attendees reach it from the thank-you page
of the feedback form (``/f/{key}``), which links here with the same card or
link (``?key=``) when the session's provider has a questionnaire. An envelope
spends that key, once (feedback.forms.service.for_sealed), so nobody fills the
provider's box with made-up envelopes, and it goes through the mixing pool
like a form answer, so the stored envelope cannot be tied to the card. The
page lives outside ``/f`` so the browser never sends the feedback form's
cookie (hashes of the links this browser answered) with an envelope. It shows
the fingerprint of the key answers are sealed to, for the provider to check.

The answers are sealed in the browser (``static/sealed.js``: the answers as
JSON, padded to ``PADDED_SIZE`` bytes, then libsodium's ``crypto_box_seal``
to the provider's public key), so this service stores only ciphertext it
cannot read. The answer inputs sit outside the ``<form>``, which holds only
the envelope and the CSRF field: without JavaScript the page explains why it
needs it, shows no questions, and there is nothing it could send in plain
text. A POST carrying any other field is refused and nothing is stored.

This page's response alone adds ``'wasm-unsafe-eval'`` to the Content-Security-Policy:
libsodium.js runs libsodium as WebAssembly and cannot work without it (:data:`SEALED_CSP`
says what was tried and what the addition does and does not allow).

libsodium is vendored in ``shared/pages/static``: ``sodium.js`` is
``dist/modules/libsodium.js`` of the npm package ``libsodium`` 0.8.4 and
``sodium-wrappers.js`` is ``dist/modules/libsodium-wrappers.js`` of
``libsodium-wrappers`` 0.8.4, both byte for byte (ISC licence in
``sodium-LICENSE.txt``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from feedback.deps import CodeAttempt, SealedAnswerLimit, SettingsDep
from feedback.errors import AlreadyAnswered, FormExpired, FormFull, FormNotFound, QuestionnaireNotFound
from feedback.forms import service as forms
from feedback.pages.api import kind_page
from feedback.pages.labels import FACES, NO, YES
from feedback.sealed import service
from feedback.sealed.envelope import PADDED_SIZE, fingerprint
from feedback.sealed.models import Questionnaire
from feedback.sealed.schemas import SealedSubmission
from shared.errors import BrugError
from shared.i18n import fallback_chain
from shared.pages import N_, Page, PageDep
from shared.pages.security import CSP
from shared.unit_of_work import SessionDep
from shared.web import unobserved

__all__ = ["router", "SEALED_CSP", "ENVELOPE_FIELDS"]

router = APIRouter(include_in_schema=False)

#: The page's CSP: the shared one plus ``'wasm-unsafe-eval'``, on this page's response only.
#: libsodium.js 0.8.4 carries libsodium compiled to WebAssembly inside ``sodium.js`` (a file
#: from 'self', no network fetch); Chromium refuses to compile any WebAssembly unless the
#: policy allows 'wasm-unsafe-eval'. Its JavaScript fallback does not rescue that: tried in
#: Chromium with the shared policy, libsodium.js aborts ("CompileError: WebAssembly.instantiate():
#: ... violates the following Content Security policy directive"), ``window.sodium`` is never
#: made, and the page could only say that sealing failed.
#: 'wasm-unsafe-eval' allows compiling WebAssembly and nothing else: no ``eval``, no
#: ``new Function``, no inline script (those would need 'unsafe-eval' or 'unsafe-inline',
#: which stay off), and every script still comes from this service.
SEALED_CSP = CSP.replace("script-src 'self';", "script-src 'self' 'wasm-unsafe-eval';")
if SEALED_CSP == CSP:
    raise RuntimeError("the shared CSP no longer says script-src 'self'; update SEALED_CSP")

#: all a sealed POST may carry.
ENVELOPE_FIELDS = frozenset({"csrf", "ciphertext", "key"})
KEY_LIMIT = 128
#: room kept in the envelope for the JSON around the answers (ids, quotes, commas).
_JSON_ROOM = 512
#: a character of a text answer takes at most 3 bytes of UTF-8 (4 for two UTF-16 units).
_BYTES_PER_CHARACTER = 3
TEXT_LIMIT = 500
NOT_SENT = N_("Your answers were not locked, so they were not sent. Nothing was stored. Reload the page and try again.")


@dataclass(frozen=True)
class ShownQuestion:
    """One question as the page shows it: its text in the page's language, or the nearest given."""

    id: str
    kind: str
    text: str
    lang: str
    maxlength: int


def _shown(questionnaire: Questionnaire, locale: str) -> list[ShownQuestion]:
    texts = sum(1 for q in questionnaire.questions if q["kind"] == "text")
    maxlength = min(TEXT_LIMIT, (PADDED_SIZE - _JSON_ROOM) // (_BYTES_PER_CHARACTER * max(texts, 1)))
    shown = []
    for question in questionnaire.questions:
        lang = next((code for code in fallback_chain(locale) if question["text"].get(code)), "en")
        shown.append(ShownQuestion(question["id"], question["kind"], question["text"][lang], lang, maxlength))
    return shown


async def _form_data(request: Request) -> FormData:
    return await request.form(max_files=0, max_fields=20, max_part_size=16 * 1024)


FormDep = Annotated[FormData, Depends(_form_data)]


def _not_found(page: Page) -> Response:
    return page.render(
        "message.html",
        status=404,
        heading=page.gettext("We do not know this page"),
        text=page.gettext("Check the link, or ask the person who gave it to you."),
    )


def _refusal(page: Page, error: BrugError) -> Response:
    return _not_found(page) if isinstance(error, (QuestionnaireNotFound, FormNotFound)) else kind_page(page, error)


@router.get("/q/{questionnaire_id}")
@unobserved
def questionnaire_page(
    questionnaire_id: str,
    db: SessionDep,
    settings: SettingsDep,
    page: PageDep,
    attempt: CodeAttempt,
    key: Annotated[str, Query(max_length=KEY_LIMIT)] = "",
) -> Response:
    try:
        questionnaire = service.existing(db, questionnaire_id)
        forms.for_sealed(db, key, questionnaire.provider_id, settings, spend=False)
    except (QuestionnaireNotFound, FormNotFound) as error:
        return _refusal(page, error)  # a wrong key: the attempt stays counted
    except (AlreadyAnswered, FormFull, FormExpired) as error:
        attempt.succeeded()
        return _refusal(page, error)
    attempt.succeeded()
    response = page.render(
        "sealed.html",
        questionnaire=questionnaire,
        fingerprint=fingerprint(questionnaire.public_key),
        key=key,
        questions=_shown(questionnaire, page.locale),
        padded_size=PADDED_SIZE,
        faces=FACES,
        yes=YES,
        no=NO,
    )
    response.headers["Content-Security-Policy"] = SEALED_CSP
    return response


@router.post("/q/{questionnaire_id}", dependencies=[SealedAnswerLimit])
@unobserved
def submit_sealed(
    questionnaire_id: str, db: SessionDep, settings: SettingsDep, page: PageDep, data: FormDep, attempt: CodeAttempt
) -> Response:
    csrf = data.get("csrf")
    page.check_csrf(csrf if isinstance(csrf, str) else None)
    try:
        service.existing(db, questionnaire_id)
    except QuestionnaireNotFound:
        return _not_found(page)
    ciphertext, key = data.get("ciphertext"), data.get("key")
    try:
        if set(data.keys()) - ENVELOPE_FIELDS or not isinstance(ciphertext, str) or not isinstance(key, str):
            raise ValueError("only a sealed envelope may be sent")
        submission = SealedSubmission(ciphertext=ciphertext, key=key)
    except (ValueError, ValidationError):
        return page.render(
            "message.html",
            status=422,
            heading=page.gettext("Your answers were not sent"),
            text=page.gettext(NOT_SENT),
            link=f"/q/{questionnaire_id}?lang={page.locale}",
        )
    try:
        service.store(db, questionnaire_id, submission, settings)
    except FormNotFound as error:
        return _refusal(page, error)
    except (AlreadyAnswered, FormFull, FormExpired) as error:
        attempt.succeeded()
        return _refusal(page, error)
    attempt.succeeded()
    return page.render(
        "message.html",
        heading=page.gettext("Thank you"),
        text=page.gettext("Your answers were locked and sent. Only the organisation that asked can open them."),
        status_kind="thanks",
    )
