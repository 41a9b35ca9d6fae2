"""HTTP route for printable feedback cards: a PDF for the session's ambassadors and coordinators."""

from __future__ import annotations

from fastapi import APIRouter, Response

from feedback.cards import service
from feedback.deps import SettingsDep
from shared.auth import CurrentUser
from shared.web import DbDep

router = APIRouter(prefix="/api/v1/sessions", tags=["cards"])


@router.get(
    "/{session_id}/cards.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "A4 sheets of cut-out cards"}},
)
def cards(session_id: str, db: DbDep, settings: SettingsDep, user: CurrentUser) -> Response:
    """One card per unused token: a QR code, the typed code and the public title; nothing else."""
    pdf = service.cards_pdf(db, session_id, user, settings)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="feedback-cards-{session_id}.pdf"',
            "Cache-Control": "no-store",
        },
    )
