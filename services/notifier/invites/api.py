"""The invite download behind a booking's secret link."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from notifier.deps import SettingsDep
from notifier.invites.service import invite_for_download
from shared.unit_of_work import SessionDep

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/invites", tags=["invites"])


@router.get("/{booking_code}.ics", response_class=Response)
def download(booking_code: str, db: SessionDep, settings: SettingsDep, token: str = Query(min_length=1)) -> Response:
    """The booking's calendar entry (METHOD:PUBLISH); ``token`` is the one in the booking's page."""
    body = invite_for_download(db, settings.invite_token_secret, booking_code, token)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="invite.ics"',
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
        },
    )
