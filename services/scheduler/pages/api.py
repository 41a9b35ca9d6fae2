"""The attendee's pages on the scheduler; no account, the booking's link carries its token.

GET  /s/{session_id}             the shareable session page and registration form
POST /s/{session_id}             register; a 303 to the booking's page behind its secret link
GET  /b/{code}?token=...         the booking behind its secret link (right after registering:
                                 the code, big, and the "keep this link" step, scheduler.pages.keeping)
GET  /b/{code}/cancel?token=...  "are you sure?"
POST /b/{code}/cancel            cancel (token and CSRF token in the form)

The registration answers with a redirect, so reloading the page that follows asks for the booking
again instead of offering to send the form once more; the secret link is then in the browser's
history, under the session's public title, which is the link the person is asked to keep anyway.
The form's idempotency key still makes a form sent twice (a double tap on a bad connection, Back and
send again) return the same booking instead of a second seat. The JSON API (scheduler.bookings.api)
answers as before.
"""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response
from sqlmodel import Session

from scheduler.bookings import cancellation, challenge, service
from scheduler.bookings.schemas import BookingPublic
from scheduler.deps import BookingLinkAttempt, RegistrationLimit, SessionRegistrationLimit, SettingsDep
from scheduler.errors import (
    BookingAlreadyCancelled,
    BookingNotFound,
    BookingsClosed,
    ChallengeRequired,
    IdempotencyKeyReused,
    SessionNotFound,
    SessionNotOpen,
    WaitlistFull,
)
from scheduler.pages import challenge as widget
from scheduler.pages import keeping
from scheduler.pages.door_code import qr_data_uri
from scheduler.pages.forms import CHANNELS, Registration
from scheduler.pages.views import SessionFacts, session_facts
from scheduler.settings import SchedulerSettings
from shared.pages import N_, Page, PageDep
from shared.unit_of_work import SessionDep

router = APIRouter(include_in_schema=False)

TokenQuery = Annotated[str, Query(max_length=128)]
MIN_TOKEN = 16


def _not_found(page: Page) -> Response:
    return page.render(
        "message.html",
        status=404,
        heading=page.gettext("We cannot find this meeting"),
        text=page.gettext("Check that you copied the whole link, or ask the person who sent it to you."),
    )


def _no_booking(page: Page) -> Response:
    return page.render(
        "message.html",
        status=404,
        heading=page.gettext("We cannot find this booking"),
        text=page.gettext(
            "No booking matches this link. Check that you copied the whole link, or ask the person who sent it to you."
        ),
    )


def _full(page: Page) -> Response:
    """Every seat and the whole waiting list (BRUG_WAITLIST_MAX) are taken."""
    return page.render(
        "message.html",
        status=409,
        heading=page.gettext("This meeting takes no more registrations"),
        text=page.gettext("Ask the person who sent you the link about the next meeting."),
    )


def _session_page(
    page: Page,
    facts: SessionFacts,
    form: Registration,
    *,
    status: int = 200,
    flooded: bool = False,
    not_sent: bool = False,
) -> Response:
    """The session and its form; while it is flooded, with the proof-of-work widget (and, after a
    registration that came without the phone's work, a notice saying to send it again)."""
    return page.render(
        "session.html",
        status=status,
        session=facts,
        form=form,
        channels=CHANNELS,
        idempotency_key=uuid.uuid4().hex,
        widget=widget.widget(page, facts.id) if flooded or not_sent else None,
        not_sent=page.gettext(widget.NOT_SENT) if not_sent else "",
    )


@router.get("/s/{session_id}")
def session_page(session_id: str, db: SessionDep, settings: SettingsDep, page: PageDep) -> Response:
    facts = session_facts(db, session_id, page.locale)
    if facts is None:
        return _not_found(page)
    return _session_page(page, facts, Registration(), flooded=challenge.flooded(db, session_id, settings))


@router.post("/s/{session_id}", dependencies=[RegistrationLimit, SessionRegistrationLimit])
def register(
    session_id: str,
    db: SessionDep,
    settings: SettingsDep,
    page: PageDep,
    csrf: Annotated[str, Form(max_length=200)] = "",
    idempotency_key: Annotated[str, Form(max_length=200)] = "",
    nickname: Annotated[str, Form(max_length=200)] = "",
    phone: Annotated[str, Form(max_length=64)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    channels: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
    feedback_consent: Annotated[str, Form(max_length=10)] = "",
    altcha: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    page.check_csrf(csrf)
    facts = session_facts(db, session_id, page.locale)
    if facts is None:
        return _not_found(page)
    form = Registration(nickname.strip(), phone.strip(), email.strip(), channels, feedback_consent == "yes", altcha)
    if not facts.open:
        return _session_page(page, facts, form, status=409)
    request = form.booking(page.locale, settings.sms_countries)
    if request is None:
        return _session_page(page, facts, form, status=422, flooded=challenge.flooded(db, session_id, settings))
    try:
        try:
            _, booked = service.book(db, session_id, request, settings, idempotency_key or None)
        except IdempotencyKeyReused:
            # the same form sent again with other answers: what the person sees as a new registration
            _, booked = service.book(db, session_id, request, settings)
    except (SessionNotOpen, BookingsClosed):
        return _session_page(page, session_facts(db, session_id, page.locale) or facts, form, status=409)
    except SessionNotFound:
        return _not_found(page)
    except WaitlistFull:
        return _full(page)
    except ChallengeRequired:
        return _session_page(page, facts, form, status=428, not_sent=True)
    answer = page.redirect(f"/b/{booked.code}?{urlencode({'token': booked.manage_token})}")
    keeping.mark(answer, booked.code, secure=page.kit.secure)
    return answer


def _booking(
    db: Session, settings: SchedulerSettings, code: str, token: str, locale: str
) -> tuple[BookingPublic, SessionFacts]:
    """The booking behind its link and its session as a page in ``locale`` shows it; BookingNotFound for a
    wrong or short token."""
    if len(token) < MIN_TOKEN:
        raise BookingNotFound("short token")
    booking = service.get_booking(db, code, token, settings)
    facts = session_facts(db, booking.session_id, locale)
    assert facts is not None  # a booking's session is never deleted
    return booking, facts


def _door_qr(booking: BookingPublic, facts: SessionFacts) -> str | None:
    """The QR code to show at the door, while there is a door to show it at: a place in a session to come."""
    return qr_data_uri(booking.code) if booking.status == "confirmed" and facts.status == "published" else None


@router.get("/b/{code}")
def booking_page(
    code: str, db: SessionDep, settings: SettingsDep, page: PageDep, attempt: BookingLinkAttempt, token: TokenQuery = ""
) -> Response:
    try:
        booking, facts = _booking(db, settings, code, token, page.locale)
    except BookingNotFound:
        return _no_booking(page)  # a wrong link: the attempt stays counted
    attempt.succeeded()
    if not keeping.just_booked(page.request, code) or booking.status == "cancelled":
        return page.render(
            "booking.html", session=facts, booking=booking, token=token, door_qr=_door_qr(booking, facts)
        )
    link = f"{settings.scheduler_public_url.rstrip('/')}/b/{booking.code}?{urlencode({'token': token})}"
    answer = page.render(
        "booked.html", session=facts, booking=booking, manage_link=link, door_qr=_door_qr(booking, facts)
    )
    keeping.forget(answer, code, secure=page.kit.secure)
    return answer


@router.get("/b/{code}/cancel")
def confirm_cancel(
    code: str, db: SessionDep, settings: SettingsDep, page: PageDep, attempt: BookingLinkAttempt, token: TokenQuery = ""
) -> Response:
    try:
        booking, facts = _booking(db, settings, code, token, page.locale)
    except BookingNotFound:
        return _no_booking(page)
    attempt.succeeded()
    return page.render("cancel.html", session=facts, booking=booking, token=token)


@router.post("/b/{code}/cancel")
def cancel(
    code: str,
    db: SessionDep,
    settings: SettingsDep,
    page: PageDep,
    attempt: BookingLinkAttempt,
    csrf: Annotated[str, Form(max_length=200)] = "",
    token: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    page.check_csrf(csrf)
    try:
        booking, facts = _booking(db, settings, code, token, page.locale)
    except BookingNotFound:
        return _no_booking(page)
    attempt.succeeded()
    try:
        cancellation.cancel_by_link(db, code, token)
    except BookingAlreadyCancelled:
        return _done(page, facts.title, N_("This place was already cancelled"), N_("There is nothing else to do."))
    except SessionNotOpen:
        return _done(
            page,
            facts.title,
            N_("This meeting is over"),
            N_("A place can no longer be cancelled after the meeting."),
            status=409,
        )
    return _done(
        page,
        facts.title,
        N_("Your place is cancelled"),
        N_("Thank you for letting us know. Someone else can now have your place."),
        link=f"/s/{booking.session_id}",
    )


def _done(page: Page, title: str, heading: str, text: str, *, status: int = 200, link: str = "") -> Response:
    return page.render(
        "done.html", status=status, title=title, heading=page.gettext(heading), text=page.gettext(text), link=link
    )
