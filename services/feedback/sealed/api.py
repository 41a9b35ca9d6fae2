"""Sealed questionnaires: providers register a key and questions; attendees send sealed answers.

The service stores ciphertext it cannot open; the provider downloads it and
opens it offline (``python -m feedback open-sealed``). Attendees need no
account, but each envelope spends a feedback card (or the session link) of a
session the provider co-ran. Registering (which sets the key answers are
sealed to) and exporting are for the provider's own staff only, not even a
coordinator: whoever registers the key could read the answers. Registering is
audited with the key's fingerprint, which the attendees' page shows too.
"""

from __future__ import annotations

from fastapi import APIRouter, status

from feedback.deps import CodeGuessLimit, SealedAnswerLimit, SettingsDep
from feedback.forms.schemas import Receipt
from feedback.sealed import service
from feedback.sealed.envelope import fingerprint
from feedback.sealed.models import Questionnaire
from feedback.sealed.schemas import QuestionnaireCreate, QuestionnairePublic, SealedExportRow, SealedSubmission
from shared import audit
from shared.auth import CurrentUser, Forbidden, Principal
from shared.unit_of_work import SessionDep
from shared.web import unobserved

router = APIRouter(prefix="/api/v1/questionnaires", tags=["sealed questionnaires"])


def _own_provider(principal: Principal, provider_id: str, *, coordinator_too: bool) -> None:
    if coordinator_too and principal.is_coordinator:
        return
    if principal.role != "provider_staff" or principal.provider_id != provider_id:
        who = "a coordinator or " if coordinator_too else ""
        raise Forbidden(f"Only {who}staff of provider {provider_id} may do this.")


def _public(questionnaire: Questionnaire) -> QuestionnairePublic:
    return QuestionnairePublic(
        **questionnaire.model_dump(exclude={"questions", "created_at"}),
        fingerprint=fingerprint(questionnaire.public_key),
        questions=questionnaire.questions,  # type: ignore[arg-type]  # stored as dicts; pydantic validates them into the schema
    )


@router.post("", status_code=status.HTTP_201_CREATED)
def register(data: QuestionnaireCreate, db: SessionDep, user: CurrentUser) -> QuestionnairePublic:
    """Register (or replace: the newest is the one offered) the provider's questions and key."""
    _own_provider(user, data.provider_id, coordinator_too=False)
    questionnaire = Questionnaire(
        **data.model_dump(exclude={"questions"}), questions=[q.model_dump() for q in data.questions]
    )
    db.add(questionnaire)
    db.flush()
    public = _public(questionnaire)
    audit.record(
        db,
        user,
        "questionnaire.registered",
        questionnaire_id=questionnaire.id,
        provider_id=data.provider_id,
        key=public.fingerprint.replace(" ", ""),
    )
    return public


@router.get("/{questionnaire_id}")
def open_questionnaire(questionnaire_id: str, db: SessionDep) -> QuestionnairePublic:
    """What the attendee's browser needs: the questions and the key to seal the answers to."""
    return _public(service.existing(db, questionnaire_id))


@router.post(
    "/{questionnaire_id}/answers", status_code=status.HTTP_201_CREATED, dependencies=[SealedAnswerLimit, CodeGuessLimit]
)
@unobserved
def submit(questionnaire_id: str, data: SealedSubmission, db: SessionDep, settings: SettingsDep) -> Receipt:
    service.store(db, questionnaire_id, data, settings)
    return Receipt(detail="Thank you. Your answers are sealed: only the health service can open them.")


@router.get("/{questionnaire_id}/answers")
def export(questionnaire_id: str, db: SessionDep, user: CurrentUser) -> list[SealedExportRow]:
    """The ciphertexts, for the provider to open offline with its private key."""
    questionnaire = service.existing(db, questionnaire_id)
    _own_provider(user, questionnaire.provider_id, coordinator_too=False)
    return service.envelopes(db, questionnaire_id)
