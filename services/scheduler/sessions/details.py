"""Changing a planned session's details: listing, capacity, titles for staff, languages and the like.

Attendees are not told: no event and no new revision, since nothing they
were sent changes (``public_title`` cannot change for that reason). The
titles per language (``public_titles``, each for one of the session's
languages) may change: the session is published again (sessions.changes), so
the notifier's and feedback's copies use them from then on. The one
exception follows from the seats: a capacity raised seats the front of the
waitlist at once (bookings.cancellation.promote), each with its
``scheduling.booking.confirmed`` (``promoted=true``). A capacity may not go
above the room nor below the seats already taken (sessions.seats).

Call with the session locked (sessions.repository.lock), so the seats counted
are still the seats taken when the capacity is written.
"""

from __future__ import annotations

from sqlmodel import Session

from scheduler.bookings.cancellation import promote
from scheduler.errors import CapacityBelowSeatsTaken, TitleNotInLanguages
from scheduler.providers import service as providers
from scheduler.sessions import planning
from scheduler.sessions.models import InfoSession
from scheduler.sessions.schemas import SessionUpdate, check_title_locales
from scheduler.sessions.seats import seats_taken

__all__ = ["change_details"]


def change_details(db: Session, info: InfoSession, data: SessionUpdate) -> list[str]:
    """Write the details ``data`` gives that differ from ``info``'s; their names, sorted."""
    changed = {name: value for name, value in data.details.items() if value != getattr(info, name)}
    if "provider_id" in changed and data.provider_id is not None:
        providers.active(db, data.provider_id)
    if "capacity" in changed and data.capacity is not None:
        _check_capacity(db, info, data.capacity)
    if "public_titles" in changed or "languages" in changed:
        titles = info.public_titles if data.public_titles is None else data.public_titles
        _check_titles(titles, info.languages if data.languages is None else data.languages)
    for name, value in changed.items():
        setattr(info, name, value)
    db.add(info)
    db.flush()
    if "capacity" in changed:
        promote(db, info)
    return sorted(changed)


def _check_titles(titles: dict[str, str], languages: list[str]) -> None:
    """Each title per language for one of the session's languages (as they will be)."""
    try:
        check_title_locales(titles, languages)
    except ValueError as error:
        raise TitleNotInLanguages(
            f"{error}. Give public_titles for the session's languages only (or {{}} for none)."
        ) from None


def _check_capacity(db: Session, info: InfoSession, capacity: int) -> None:
    """No more than the room holds (as on planning), no fewer than the seats already taken."""
    _, room = planning.place(db, info.venue_id, info.room_id)
    planning.check_capacity(capacity, room)
    taken = seats_taken(db, info.id)
    if capacity < taken:
        raise CapacityBelowSeatsTaken(
            f"{taken} seats are already taken (confirmed bookings and group seats); the capacity cannot go "
            f"below {taken}. Cancel bookings first, or keep the capacity."
        )
