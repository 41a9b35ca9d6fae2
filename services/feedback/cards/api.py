"""HTTP route for printable feedback cards: a PDF for the session's ambassadors and coordinators."""

from __future__ import annotations

from fastapi import APIRouter, Response

from feedback.cards import service
from feedback.cards.schemas import CardsAdded, ExtraCards
from feedback.deps import SettingsDep
from shared import audit
from shared.auth import CurrentUser
from shared.unit_of_work import SessionDep

router = APIRouter(prefix="/api/v1/sessions", tags=["cards"])


@router.get(
    "/{session_id}/cards.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "A4 sheets of cut-out cards"}},
)
def cards(session_id: str, db: SessionDep, settings: SettingsDep, user: CurrentUser) -> Response:
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


@router.post("/{session_id}/cards/extra")
def extra_cards(
    session_id: str, data: ExtraCards, db: SessionDep, settings: SettingsDep, user: CurrentUser
) -> CardsAdded:
    """A few more cards, for people the attendance count missed; audited with who asked and how many.
    Print them with the other unused cards (``cards.pdf``)."""
    extra = service.add_cards(db, session_id, data.count, user, settings)
    audit.record(db, user, "cards.added", session_id=session_id, count=data.count)
    return CardsAdded(extra=extra, limit=service.EXTRA_CARDS)
