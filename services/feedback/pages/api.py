"""The attendee's feedback pages; no account, no trace of who answered.

GET  /f              type the code printed on a card (?code=... goes to its form)
GET  /f/{key}        the form, for a card's code or the session's link
POST /f/{key}        the answers; a thank-you page (with a link to the provider's sealed
                     questionnaire when it has one: feedback.pages.sealed), or a kind page
                     for a used or closed form

Every question is optional and the form works without JavaScript: faces and
yes/no are radio buttons drawn as big icons. A used, full, closed or unknown
code gets a page that says so kindly, never an error code.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Cookie, Depends, Query, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from feedback.deps import CodeAttempt, SettingsDep
from feedback.errors import AlreadyAnswered, BadAnswer, FormExpired, FormFull, FormNotFound
from feedback.forms import service
from feedback.forms.schemas import FormPublic, Submission
from feedback.pages.answers import answers_from
from feedback.pages.labels import FACES, NO, YES
from feedback.sealed import service as sealed
from feedback.tokens.minting import hash_token
from shared.digits import ascii_digits
from shared.errors import BrugError
from shared.pages import N_, Page, PageDep
from shared.unit_of_work import SessionDep
from shared.web import unobserved

router = APIRouter(include_in_schema=False)

#: one answer per browser through a session link: a cookie with only a hash of the link, on /f only.
ANSWERED_COOKIE = "brug_answered_page"
ANSWERED_DAYS = 60
KEY_LIMIT = 128


async def _form_data(request: Request) -> FormData:
    return await request.form(max_files=0, max_fields=200)


FormDep = Annotated[FormData, Depends(_form_data)]


def kind_page(page: Page, error: BrugError) -> Response:
    """A friendly page for a code that cannot be answered (again)."""
    if isinstance(error, AlreadyAnswered):
        heading, text, status = (
            N_("Thank you, you answered already"),
            N_("This code was used already. Your answer was received."),
            409,
        )
    elif isinstance(error, FormFull):
        heading, text, status = (
            N_("Thank you, everyone has answered"),
            N_("Everyone from this meeting has answered already."),
            409,
        )
    elif isinstance(error, FormExpired):
        heading, text, status = N_("This form is closed"), N_("The time to answer is over. Thank you for coming."), 410
    else:
        heading, text, status = (
            N_("We do not know this code"),
            N_("Check it letter by letter, or ask the person who gave you the card for a new one."),
            404,
        )
    return page.render(
        "message.html",
        status=status,
        heading=page.gettext(heading),
        text=page.gettext(text),
        link="/f" if status == 404 else "",
    )


@router.get("/f")
def code_entry(page: PageDep, code: Annotated[str, Query(max_length=KEY_LIMIT)] = "") -> Response:
    typed = re.sub(r"[\s\-]", "", ascii_digits(code))
    if typed:
        return page.redirect(f"/f/{quote(typed, safe='')}?lang={page.locale}")
    return page.render("entry.html", error=bool(code))


def _render_form(page: Page, key: str, form: FormPublic, *, status: int = 200, error: str = "") -> Response:
    return page.render(
        "form.html",
        status=status,
        key=key,
        form=form,
        faces=FACES,
        yes=YES,
        no=NO,
        error=error,
    )


@router.get("/f/{key}")
@unobserved
def form_page(key: str, db: SessionDep, settings: SettingsDep, page: PageDep, attempt: CodeAttempt) -> Response:
    if len(key) > KEY_LIMIT:
        return kind_page(page, FormNotFound(""))
    try:
        form = service.open_form(db, key, page.locale, settings)
    except FormNotFound as error:
        return kind_page(page, error)  # a wrong code: the attempt stays counted
    except (AlreadyAnswered, FormFull, FormExpired) as error:
        attempt.succeeded()
        return kind_page(page, error)
    attempt.succeeded()
    return _render_form(page, key, form)


@router.post("/f/{key}")
@unobserved
def submit(
    key: str,
    db: SessionDep,
    settings: SettingsDep,
    page: PageDep,
    data: FormDep,
    attempt: CodeAttempt,
    answered: Annotated[str | None, Cookie(alias=ANSWERED_COOKIE)] = None,
) -> Response:
    csrf = data.get("csrf")
    page.check_csrf(csrf if isinstance(csrf, str) else None)
    if len(key) > KEY_LIMIT:
        return kind_page(page, FormNotFound(""))
    marker = hash_token(settings.feedback_token_secret, key.strip())[:16]
    try:
        form = service.open_form(db, key, page.locale, settings)
        submission = Submission(locale=page.locale, answers=answers_from(data, form.questions))
        service.submit(db, key, submission, settings, answered_here=marker in (answered or "").split("."))
    except FormNotFound as error:
        return kind_page(page, error)
    except (AlreadyAnswered, FormFull, FormExpired) as error:
        attempt.succeeded()
        return kind_page(page, error)
    except BadAnswer:
        attempt.succeeded()
        return _render_form(page, key, form, status=422, error=N_("Some answers could not be read. Please try again."))
    attempt.succeeded()
    questionnaire = sealed.for_form_key(db, key, settings.feedback_token_secret)
    response = page.render(
        "thanks.html",
        sealed_url=f"/q/{questionnaire.id}?lang={page.locale}&key={quote(key, safe='')}" if questionnaire else "",
    )
    done = ".".join(filter(None, [answered, marker]))
    response.set_cookie(
        ANSWERED_COOKIE,
        done,
        max_age=ANSWERED_DAYS * 86400,
        httponly=True,
        samesite="strict",
        secure=page.kit.secure,
        path="/f",
    )
    return response
