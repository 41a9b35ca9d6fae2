"""HTTP route for the right to erasure: coordinators only."""

from __future__ import annotations

from fastapi import APIRouter

from scheduler.deps import Coordinator, SettingsDep
from scheduler.erasure import service
from scheduler.erasure.schemas import ErasureResult
from shared.unit_of_work import SessionDep

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/bookings", tags=["bookings"])


@router.post("/{code}/erasure")
def erase_booking(code: str, db: SessionDep, user: Coordinator, settings: SettingsDep) -> ErasureResult:
    """Erase an attendee's data on their request, by booking code (typed any way).

    Wipes the nickname, sealed contact, channels, consent and language here and, through
    ``scheduling.booking.erased``, the notifier's copy; the seat goes back if the session is still ahead.
    Asking again answers ``already_erased: true``. The audit log records who and when, not the data."""
    return service.erase_audited(db, code, user, settings.audit_hash_secret)
