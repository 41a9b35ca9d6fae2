"""A session's poster and flyer (PDF), from the Share part of its page.

GET /staff/sessions/{id}/poster.pdf   A4, to pin up
GET /staff/sessions/{id}/flyer.pdf    A6, to hand out

Whoever may open the session's page may print them (sessions.service.get_session decides). Only
while people can still register: a poster of a called-off, closed or started session would send
them to a page that takes no one.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from scheduler.pages import posters
from scheduler.pages.views import session_facts
from scheduler.sessions import service as sessions
from scheduler.staff.common import Desk, DeskDep
from shared.errors import BrugError
from shared.pages import N_

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

NOT_OPEN = N_("Nothing to print")
NOT_OPEN_TEXT = N_(
    "This session takes no registrations any more, so a poster or flyer would send people to a closed page."
)


@router.get("/staff/sessions/{session_id}/poster.pdf")
def poster(session_id: str, desk: DeskDep) -> Response:
    return _printed(desk, session_id, posters.POSTER, "poster")


@router.get("/staff/sessions/{session_id}/flyer.pdf")
def flyer(session_id: str, desk: DeskDep) -> Response:
    return _printed(desk, session_id, posters.FLYER, "flyer")


def _printed(desk: Desk, session_id: str, paper: posters.Paper, name: str) -> Response:
    try:
        info = sessions.get_session(desk.db, session_id, desk.settings, desk.principal)
    except BrugError as error:
        return desk.refusal(error)
    facts = session_facts(desk.db, session_id)
    assert facts is not None  # get_session found it
    if not facts.open:
        return desk.message(NOT_OPEN, desk._(NOT_OPEN_TEXT), status=409, link=f"/staff/sessions/{session_id}")
    url = f"{desk.settings.scheduler_public_url.rstrip('/')}/s/{session_id}"
    sides = posters.sides_of(facts, info.public_title, info.public_titles)
    return Response(
        posters.render(paper, facts, sides, url),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}-{session_id}.pdf"'},
    )
