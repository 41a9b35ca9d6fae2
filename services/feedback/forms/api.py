"""HTTP routes for feedback forms; attendees need no account and leave no trace."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Cookie, Query, Response, status

from feedback.deps import CodeGuessLimit, SettingsDep
from feedback.forms import service
from feedback.forms.schemas import FormPublic, Receipt, Submission
from feedback.tokens.minting import hash_token
from shared.unit_of_work import SessionDep
from shared.web import unobserved

router = APIRouter(prefix="/api/v1/forms", tags=["forms"])

#: one answer per browser through a session link: a cookie that holds only a hash of the link.
ANSWERED_COOKIE = "brug_answered"


@router.get("/{key}", dependencies=[CodeGuessLimit])
@unobserved
def open_form(key: str, db: SessionDep, settings: SettingsDep, locale: str = Query("en", max_length=16)) -> FormPublic:
    return service.open_form(db, key, locale, settings)


@router.post("/{key}/responses", status_code=status.HTTP_201_CREATED, dependencies=[CodeGuessLimit])
@unobserved
def submit(
    key: str,
    data: Submission,
    db: SessionDep,
    settings: SettingsDep,
    response: Response,
    answered: Annotated[str | None, Cookie(alias=ANSWERED_COOKIE)] = None,
) -> Receipt:
    marker = hash_token(settings.feedback_token_secret, key.strip())[:16]
    receipt = service.submit(db, key, data, settings, answered_here=marker in (answered or "").split("."))
    done = ".".join(filter(None, [answered, marker]))
    response.set_cookie(
        ANSWERED_COOKIE, done, max_age=60 * 86400, httponly=True, samesite="strict", path="/api/v1/forms"
    )
    return receipt
