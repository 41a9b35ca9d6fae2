"""A session at the door: how many booked and wait, check-in by code, by a tap on the list of people
expected or by scanning the QR code on their booking page, walk-ins (+ and −), closing, feedback cards,
and its listing and places (the details form).

The booking page's QR code holds the booking code and nothing else (scheduler.pages.door_code), so the
scan only fills in the code box and sends the same form as typing it would (staff-door.js: the
browser's BarcodeDetector where there is one, else jsQR, vendored from npm and loaded only then).
This page's response alone lets the page use the camera (``Permissions-Policy: camera=(self)``); its
Content-Security-Policy is the shared one.

Check-in, walk-ins and closing go through sessions.service (check_in,
complete), and undoing a closing (for a few minutes) through
sessions.reopening, so an ambassador can act only on the sessions they run
and only while the session is open, exactly as the API allows. The answer to a
check-in is rendered in reply to the POST, big and plain, for a phone held
at the door; the code box is empty again for the next person.

The feedback cards are made by the feedback service
(``GET /api/v1/sessions/{id}/cards.pdf``, bearer token). The browser holds
the staff token only in an HttpOnly cookie of this service, so
``/staff/sessions/{id}/cards.pdf`` fetches the PDF with that token from
``BRUG_FEEDBACK_PUBLIC_URL`` and hands it on; asking for a few more cards
(``POST /api/v1/sessions/{id}/cards/extra``, audited there) goes the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Form
from fastapi.responses import Response
from pydantic import ValidationError

from scheduler.bookings import repository as bookings
from scheduler.hours import foresight
from scheduler.sessions import changes, reopening, timing
from scheduler.sessions import repository as session_rows
from scheduler.sessions import service as sessions
from scheduler.sessions.models import InfoSession, SessionStatus
from scheduler.sessions.schemas import CheckInCreate, SessionPublic, SessionUpdate
from scheduler.staff.common import Desk, DeskDep
from scheduler.staff.labels import AUDIENCES, INTEGRATION_PHASES, STATUSES, TOPIC_NAMES
from scheduler.venues import service as venues
from scheduler.venues.schemas import VenuePublic
from shared import audit
from shared.digits import read_number
from shared.errors import BrugError
from shared.formats import format_when
from shared.pages import N_
from shared.pages.security import HTML_HEADERS
from shared.titles import locales_of, title_for
from shared.tls import client_context

__all__ = ["router", "Result"]

router = APIRouter(include_in_schema=False)

CARDS_TIMEOUT = 20.0

#: the shared Permissions-Policy with the camera allowed for this page itself, to scan booking QR codes.
DOOR_PERMISSIONS = HTML_HEADERS["Permissions-Policy"].replace("camera=()", "camera=(self)")
if "camera=(self)" not in DOOR_PERMISSIONS:
    raise RuntimeError("the shared Permissions-Policy no longer says camera=(); update DOOR_PERMISSIONS")

CHECKED_IN = N_("Checked in: {code}")
NOT_CHECKED_IN = N_("Not checked in: {code}")
WALK_INS_ADDED = N_("{count} walk-ins added.")
WALK_IN_REMOVED = N_("One walk-in taken off.")
CLOSED = N_("The session is closed. Attendance: {count}.")
REOPENED = N_("The session is open again: check people in, then close it when everyone is counted.")
CONFIRM_CLOSING = N_("Not closed: tick the box to confirm that everyone who came is counted.")
SAVED = N_("The session is saved. Share its link with the people who may come.")
MOVED = N_("The session is moved. Everyone who booked is told the new time and place.")
CHANGED = N_("The changes are saved. Attendees are not told: the time and place stay.")
SERIES_SAVED = N_("The series is saved: {count} sessions. This is the first; all are on the Sessions page.")
SERIES_LEFT_OUT = N_("Dates left out because they clashed: {count}.")
CALLED_OFF = N_("The session is called off. Everyone who booked is told.")
NOT_DONE = N_("That did not work.")
TYPE_A_CODE = N_("Type the booking code, like EGU4-KHET.")
WALK_INS_NUMBER = N_("Give a number of walk-ins from 1 to 500.")
DETAILS_SAVED = N_("Saved.")
PLACES_NUMBER = N_("Give a number of places, 1 or more.")
CARDS_NOT_READY = N_("The feedback cards are not ready")
CARDS_UNREACHABLE = N_("The feedback service cannot be reached; try again in a minute.")
CARDS_REFUSED = N_("The feedback service did not give the cards")
CARDS_ADDED = N_("{count} more cards. Print the cards again to get them.")
CARDS_NUMBER = N_("Give a number of cards, 1 or more.")


@dataclass(frozen=True)
class Expected:
    """One person expected at the door, as the list shows them: nickname, else booking code."""

    code: str
    name: str
    checked_in: bool


@dataclass(frozen=True)
class Result:
    """What the last action did: ``ok`` or not, in words, for the banner at the top."""

    ok: bool
    text: str
    #: the scheduler's own explanation, when it refused
    detail: str = ""


def _facts(desk: Desk, session_id: str) -> tuple[SessionPublic, VenuePublic]:
    info = sessions.get_session(desk.db, session_id, desk.settings, desk.principal)
    return info, venues.get_venue(desk.db, info.venue_id)


def _page(desk: Desk, session_id: str, *, status: int = 200, result: Result | None = None, code: str = "") -> Response:
    try:
        info, venue = _facts(desk, session_id)
    except BrugError as error:
        return desk.refusal(error)
    stored = session_rows.get(desk.db, session_id)
    assert stored is not None
    share_link = f"{desk.settings.scheduler_public_url.rstrip('/')}/s/{session_id}"
    expected = [
        Expected(b.code, b.nickname or b.code, b.checked_in_at is not None)
        for b in bookings.expected(desk.db, session_id)
    ]
    response = desk.render(
        "scheduler_staff_session.html",
        status=status,
        section="home",
        session=info,
        venue=venue,
        room=next((r.name for r in venue.rooms if r.id == info.room_id), ""),
        room_capacity=next((r.capacity for r in venue.rooms if r.id == info.room_id), None),
        checked_in=sum(person.checked_in for person in expected),
        expected=expected,
        walk_ins=stored.walk_ins,
        share_link=share_link,
        share_text=_share_text(stored, venue.timezone, share_link),
        printable=stored.status == SessionStatus.PUBLISHED,
        can_run=desk.planner,
        allowance_warnings=_allowance_warnings(desk, stored, venue.timezone) if desk.planner else [],
        undo_until=_undo_until(desk, stored),
        result=result,
        code=code,
        audiences=AUDIENCES,
        topics=TOPIC_NAMES,
        phases=INTEGRATION_PHASES,
        statuses=STATUSES,
    )
    response.headers["Permissions-Policy"] = DOOR_PERMISSIONS
    return response


def _share_text(stored: InfoSession, timezone: str, link: str) -> str:
    """What "Send with WhatsApp" starts a message with: the public title and day and hour in the session's
    first language, as its page shows them (shared.titles), and the link; nothing a page would not show.
    Made from the row the door page has already read: the page is drawn again at every check-in."""
    first = next(iter(locales_of(stored.languages)), "en")
    title = title_for(first, stored.public_title, stored.public_titles, stored.languages)
    return f"{title}, {format_when(stored.starts_at, timezone, first)}: {link}"


def _undo_until(desk: Desk, stored: InfoSession) -> datetime | None:
    """Until when its completion may still be undone (sessions.reopening), or None."""
    if stored.status != SessionStatus.COMPLETED or stored.completed_at is None:
        return None
    until = timing.utc(stored.completed_at) + timedelta(minutes=desk.settings.completion_undo_minutes)
    return until if until > desk.settings.clock.now() else None


def _allowance_warnings(desk: Desk, stored: InfoSession, timezone: str) -> list[str]:
    """While the session is still to run: its ambassadors' months foreseen against their caps (hours.foresight)."""
    if stored.status != SessionStatus.PUBLISHED:
        return []
    warnings = foresight.allowance_warnings(desk.db, stored, timezone, desk.settings.allowance_caps)
    return [warning.render(desk._) for warning in warnings]


@router.get("/staff/sessions/{session_id}")
def session_page(
    session_id: str,
    desk: DeskDep,
    saved: str = "",
    moved: str = "",
    changed: str = "",
    called_off: str = "",
    series: str = "",
    left_out: str = "",
) -> Response:
    """After a save, the banner says what was done (the query names it; nothing else is read from it)."""
    planned, skipped = read_number(series), read_number(left_out) or 0
    if planned is not None:
        text = desk._(SERIES_SAVED, count=planned) + (" " + desk._(SERIES_LEFT_OUT, count=skipped) if skipped else "")
        return _page(desk, session_id, result=Result(True, text))
    notice = SAVED if saved else MOVED if moved else CHANGED if changed else CALLED_OFF if called_off else None
    return _page(desk, session_id, result=Result(True, desk._(notice)) if notice else None)


Text = Annotated[str, Form(max_length=200)]


@router.post("/staff/sessions/{session_id}/check-in")
def check_in(session_id: str, desk: DeskDep, csrf: Text = "", code: Text = "") -> Response:
    desk.page.check_csrf(csrf)
    try:
        request = CheckInCreate(booking_code=code.strip() or None)
    except ValidationError:
        return _page(desk, session_id, status=422, result=Result(False, desk._(TYPE_A_CODE)), code=code)
    assert request.booking_code is not None
    try:
        sessions.check_in(desk.db, session_id, request, desk.principal)
    except BrugError as error:
        heading = desk._(NOT_CHECKED_IN, code=request.booking_code)
        return _page(desk, session_id, status=error.status_code, result=Result(False, heading, error.detail), code=code)
    return _page(desk, session_id, result=Result(True, desk._(CHECKED_IN, code=request.booking_code)))


@router.post("/staff/sessions/{session_id}/walk-ins")
def walk_ins(session_id: str, desk: DeskDep, csrf: Text = "", count: Text = "") -> Response:
    desk.page.check_csrf(csrf)
    try:
        request = CheckInCreate(walk_ins=int(count))
    except ValueError:  # pydantic's ValidationError is one too
        return _page(desk, session_id, status=422, result=Result(False, desk._(WALK_INS_NUMBER)))
    try:
        sessions.check_in(desk.db, session_id, request, desk.principal)
    except BrugError as error:
        return _page(desk, session_id, status=error.status_code, result=Result(False, desk._(NOT_DONE), error.detail))
    return _page(desk, session_id, result=Result(True, desk._(WALK_INS_ADDED, count=request.walk_ins)))


@router.post("/staff/sessions/{session_id}/walk-ins/remove")
def walk_in_removed(session_id: str, desk: DeskDep, csrf: Text = "") -> Response:
    """The − beside the walk-ins: one fewer, for a tap too many."""
    desk.page.check_csrf(csrf)
    try:
        sessions.uncount_walk_in(desk.db, session_id, desk.principal)
    except BrugError as error:
        return _page(desk, session_id, status=error.status_code, result=Result(False, desk._(NOT_DONE), error.detail))
    audit.record(desk.db, desk.principal, "session.walk_in_removed", session_id=session_id)
    return _page(desk, session_id, result=Result(True, desk._(WALK_IN_REMOVED)))


@router.post("/staff/sessions/{session_id}/complete")
def complete(session_id: str, desk: DeskDep, csrf: Text = "", confirm: Text = "") -> Response:
    """Closing cannot be taken back from this page, so the form asks to tick that everyone is counted
    (the browser holds the form until then; a form sent without it is refused here too)."""
    desk.page.check_csrf(csrf)
    try:
        if confirm != "yes":
            sessions.runnable(desk.db, session_id, desk.principal)  # whoever may not run it is told that first
            return _page(desk, session_id, status=422, result=Result(False, desk._(CONFIRM_CLOSING)))
        done = sessions.complete(desk.db, session_id, desk.principal, desk.settings)
    except BrugError as error:
        return _page(desk, session_id, status=error.status_code, result=Result(False, desk._(NOT_DONE), error.detail))
    return _page(desk, session_id, result=Result(True, desk._(CLOSED, count=done.attendance)))


@router.post("/staff/sessions/{session_id}/reopen")
def reopen(session_id: str, desk: DeskDep, csrf: Text = "") -> Response:
    """Undo the closing while BRUG_COMPLETION_UNDO_MINUTES last, as ``POST /api/v1/sessions/{id}/reopen``."""
    desk.page.check_csrf(csrf)
    try:
        reopening.reopen(desk.db, session_id, desk.principal, desk.settings)
    except BrugError as error:
        return _page(desk, session_id, status=error.status_code, result=Result(False, desk._(NOT_DONE), error.detail))
    audit.record(desk.db, desk.principal, "session.reopened", session_id=session_id)
    return _page(desk, session_id, result=Result(True, desk._(REOPENED)))


@router.post("/staff/sessions/{session_id}/details")
def details(session_id: str, desk: DeskDep, csrf: Text = "", public: Text = "", capacity: Text = "") -> Response:
    """Listed or not, and the places: as ``PATCH /api/v1/sessions/{id}`` with just these two details
    (sessions.changes: who may, the seats taken, the waitlist seated at once), audited the same way."""
    desk.page.check_csrf(csrf)
    try:
        request = SessionUpdate(public=public == "yes", capacity=int(capacity))
    except ValueError:  # pydantic's ValidationError is one too
        return _page(desk, session_id, status=422, result=Result(False, desk._(PLACES_NUMBER)))
    try:
        changed = changes.change(desk.db, session_id, request, desk.settings, desk.principal)
    except BrugError as error:
        return _page(desk, session_id, status=error.status_code, result=Result(False, desk._(NOT_DONE), error.detail))
    changes.audited(desk.db, desk.principal, changed)
    return _page(desk, session_id, result=Result(True, desk._(DETAILS_SAVED)))


@router.get("/staff/sessions/{session_id}/cards.pdf")
def cards(session_id: str, desk: DeskDep) -> Response:
    try:
        sessions.get_session(desk.db, session_id, desk.settings, desk.principal)
    except BrugError as error:
        return desk.refusal(error)
    url = f"{desk.settings.feedback_public_url.rstrip('/')}/api/v1/sessions/{session_id}/cards.pdf"
    try:
        answer = httpx.get(
            url, headers={"Authorization": f"Bearer {desk.staff.token}"}, timeout=CARDS_TIMEOUT, verify=client_context()
        )
    except httpx.HTTPError:
        return desk.message(CARDS_REFUSED, desk._(CARDS_UNREACHABLE), status=503, link=_back(session_id))
    if answer.status_code == 200 and answer.headers.get("content-type", "").startswith("application/pdf"):
        return Response(
            answer.content,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="feedback-cards-{session_id}.pdf"',
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )
    heading = CARDS_NOT_READY if answer.status_code in (404, 409) else CARDS_REFUSED
    status = answer.status_code if 400 <= answer.status_code < 500 else 502
    return desk.message(heading, _detail(answer), status=status, link=_back(session_id))


@router.post("/staff/sessions/{session_id}/cards/extra")
def extra_cards(session_id: str, desk: DeskDep, csrf: Text = "", count: Text = "") -> Response:
    """A few more cards, minted by the feedback service, which sets the limit and records who asked."""
    desk.page.check_csrf(csrf)
    number = read_number(count) or 0
    if number < 1:
        return _page(desk, session_id, status=422, result=Result(False, desk._(CARDS_NUMBER)))
    try:
        sessions.get_session(desk.db, session_id, desk.settings, desk.principal)
    except BrugError as error:
        return desk.refusal(error)
    url = f"{desk.settings.feedback_public_url.rstrip('/')}/api/v1/sessions/{session_id}/cards/extra"
    headers = {"Authorization": f"Bearer {desk.staff.token}"}
    try:
        answer = httpx.post(
            url, json={"count": number}, headers=headers, timeout=CARDS_TIMEOUT, verify=client_context()
        )
    except httpx.HTTPError:
        return _page(desk, session_id, status=503, result=Result(False, desk._(CARDS_UNREACHABLE)))
    if answer.status_code == 200:
        return _page(desk, session_id, result=Result(True, desk._(CARDS_ADDED, count=number)))
    status = answer.status_code if 400 <= answer.status_code < 500 else 502
    return _page(desk, session_id, status=status, result=Result(False, desk._(NOT_DONE), _detail(answer)))


def _detail(answer: httpx.Response) -> str:
    """The feedback service's own explanation (its errors say what to do), or its status."""
    try:
        body: Any = answer.json()
    except ValueError:
        body = None
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        message = detail[0].get("msg")
        if isinstance(message, str):
            return message  # a 422: what was wrong with the value sent
    return f"HTTP {answer.status_code}"


def _back(session_id: str) -> str:
    return f"/staff/sessions/{session_id}"
