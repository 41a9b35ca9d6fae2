"""Rules for ambassadors' hours: who may log and read whose, and the month against the cap.

- ambassadors log and read only their own hours, and log session work only
  for sessions they are named on;
- coordinators log and read anyone's, session work only for an ambassador
  named on that session;
- provider staff have no access (the routes let only planners in).

An entry that takes a month over the cap is still stored: the work was
done. The answer carries the warning so the coordinator sees it before paying.
The cap is the ambassador's own (hours.allowance.month_cap): the legal cap,
a lower personal limit, or none for someone not on social assistance.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypedDict
from zoneinfo import ZoneInfo

from sqlmodel import Session

from scheduler.accounts import repository as accounts
from scheduler.errors import (
    HoursAlreadyLogged,
    NotAnAmbassador,
    NotOnSession,
    NotYourHours,
    NotYourSession,
    SessionNotFound,
    UserNotFound,
)
from scheduler.hours import repository
from scheduler.hours.allowance import AllowanceCaps, MonthCap, cap_warning, cents, month_cap
from scheduler.hours.models import SESSION_KIND, HoursEntry
from scheduler.hours.schemas import EntryCreate, EntryPublic, HoursLogged, MonthTotals, SessionWork
from scheduler.sessions import repository as sessions
from shared.auth import Principal

__all__ = ["month_range", "log_entry", "list_entries", "month_totals", "month_entries", "ensure_can_read"]


def month_range(month: str) -> tuple[date, date]:
    """The first day of ``month`` (``YYYY-MM``) and of the month after it."""
    year, number = (int(part) for part in month.split("-"))
    start = date(year, number, 1)
    return start, date(year + number // 12, number % 12 + 1, 1)


def ensure_can_read(principal: Principal, user_id: str) -> None:
    if not principal.is_coordinator and user_id != principal.user_id:
        raise NotYourHours("You can see and log only your own hours; a coordinator can see anyone's.")


def _readable(db: Session, principal: Principal, user_id: str) -> None:
    """A month of someone who exists, and whom ``principal`` may see (a typo is 404, not an empty month)."""
    ensure_can_read(principal, user_id)
    if accounts.get(db, user_id) is None:
        raise UserNotFound(f"No user with id {user_id}; see GET /api/v1/users.")


def _subject(db: Session, principal: Principal, named: str | None) -> str:
    """Whose hours these are: the ambassador themself, or the ambassador a coordinator names."""
    if not principal.is_coordinator:
        ensure_can_read(principal, named or principal.user_id)
        return principal.user_id
    if named is None:
        raise NotAnAmbassador("Name the ambassador whose hours these are in user_id; see GET /api/v1/users.")
    user = accounts.get(db, named)
    if user is None or user.role != "ambassador":
        raise NotAnAmbassador(f"{named} is not an ambassador; see GET /api/v1/users for their ids.")
    return named


def _session_day(db: Session, principal: Principal, user_id: str, data: SessionWork) -> date:
    """The session's day where it happened, once checked that ``user_id`` ran it and has not logged it yet."""
    info = sessions.get(db, data.session_id)
    if info is None:
        raise SessionNotFound(f"No session with id {data.session_id}; see GET /api/v1/sessions.")
    if user_id not in sessions.ambassadors_of(db, info.id):
        if not principal.is_coordinator:
            raise NotYourSession(
                "You are not one of this session's ambassadors; log the work as unpaid work without a "
                "session, or ask a coordinator to add you to the session."
            )
        raise NotOnSession(f"{user_id} is not one of this session's ambassadors; log hours only for those named on it.")
    if repository.has_session_entry(db, user_id, info.id):
        raise HoursAlreadyLogged("Hours for this session are already logged for this ambassador; it is paid once.")
    return info.starts_at.astimezone(ZoneInfo(repository.venue_timezone(db, info.venue_id))).date()


class _Logged(TypedDict):
    """What every entry says: whose work, what kind, how long, logged by whom."""

    user_id: str
    kind: str
    hours: Decimal
    logged_by: str


def _entry(db: Session, principal: Principal, user_id: str, data: EntryCreate) -> HoursEntry:
    common: _Logged = {"user_id": user_id, "kind": data.kind, "hours": data.hours, "logged_by": principal.user_id}
    if isinstance(data, SessionWork):
        day = _session_day(db, principal, user_id, data)
        return HoursEntry(
            **common, session_id=data.session_id, day=day, travel_cost=data.travel_cost, allowance=data.allowance
        )
    return HoursEntry(**common, day=data.date, note=data.note)


def _public(entry: HoursEntry) -> EntryPublic:
    return EntryPublic(
        id=entry.id,
        user_id=entry.user_id,
        kind=entry.kind,
        session_id=entry.session_id,
        date=entry.day,
        hours=cents(entry.hours),
        travel_cost=cents(entry.travel_cost),
        allowance=cents(entry.allowance),
        note=entry.note,
        logged_by=entry.logged_by,
    )


def log_entry(db: Session, data: EntryCreate, caps: AllowanceCaps, principal: Principal) -> HoursLogged:
    user_id = _subject(db, principal, data.user_id)
    accounts.lock_users(db, [user_id])  # two entries logged at once both see the other in the month's total
    entry = _entry(db, principal, user_id, data)
    month = f"{entry.day:%Y-%m}"
    _cap(db, user_id, caps, entry.day.year)  # before storing: a capped ambassador's entry in a year without a cap
    repository.add(db, entry)
    return HoursLogged(entry=_public(entry), month=_totals(db, user_id, month, caps))


def list_entries(db: Session, principal: Principal, user_id: str | None, month: str | None) -> list[EntryPublic]:
    """Coordinators see everyone's entries unless they name one ambassador; ambassadors only their own."""
    if not principal.is_coordinator:
        ensure_can_read(principal, user_id or principal.user_id)
        user_id = principal.user_id
    start, end = month_range(month) if month else (None, None)
    return [_public(e) for e in repository.entries(db, user_id=user_id, start=start, end=end)]


def month_entries(db: Session, principal: Principal, user_id: str, month: str) -> list[EntryPublic]:
    _readable(db, principal, user_id)
    start, end = month_range(month)
    return [_public(e) for e in repository.entries(db, user_id=user_id, start=start, end=end)]


def month_totals(db: Session, principal: Principal, user_id: str, month: str, caps: AllowanceCaps) -> MonthTotals:
    _readable(db, principal, user_id)
    return _totals(db, user_id, month, caps)


def _cap(db: Session, user_id: str, caps: AllowanceCaps, year: int) -> MonthCap:
    """The cap for this person's month: their account says whether it applies and whether a lower limit does."""
    user = accounts.get(db, user_id)
    capped, limit = (user.allowance_capped, user.monthly_allowance_limit) if user is not None else (True, None)
    return month_cap(caps, year, capped=capped, personal_limit=limit)


def _totals(db: Session, user_id: str, month: str, caps: AllowanceCaps) -> MonthTotals:
    """Summed in Python over exact decimals: a month holds a few dozen entries at most."""
    start, end = month_range(month)
    cap = _cap(db, user_id, caps, start.year)
    found = repository.entries(db, user_id=user_id, start=start, end=end)
    paid = [e for e in found if e.kind == SESSION_KIND]
    allowance = cents(sum((e.allowance for e in paid), Decimal(0)))
    warned = cap_warning(month, allowance, cap)
    return MonthTotals(
        user_id=user_id,
        month=month,
        session_hours=cents(sum((e.hours for e in paid), Decimal(0))),
        unpaid_hours=cents(sum((e.hours for e in found if e.kind != SESSION_KIND), Decimal(0))),
        travel_cost=cents(sum((e.travel_cost for e in paid), Decimal(0))),
        allowance=allowance,
        cap=cap.amount,
        cap_source=cap.source,
        remaining=None if cap.amount is None else max(cap.amount - allowance, Decimal("0.00")),
        over_cap=cap.amount is not None and allowance > cap.amount,
        warning=None if warned is None else str(warned),
        entries=len(found),
    )
