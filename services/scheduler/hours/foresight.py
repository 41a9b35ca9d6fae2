"""Foreseeing the allowance cap when a session is planned, before anyone is paid.

An ambassador on social assistance loses benefit for every euro over the
monthly cap, and finding out when the hours are logged is too late: the
sessions have been run. So planning looks ahead. For each ambassador of the
session whose account has a usual allowance per session
(``session_allowance``), the month the session falls in (on the venue's
clock) is foreseen as: the allowance already logged for that month, plus the
usual allowance for each of their sessions that month that is still to be
logged (not cancelled; this one included). Over their cap
(hours.allowance.month_cap), the planning answer carries a warning. The
session is planned all the same: the coordinator decides what to do (another
ambassador, or the work unpaid).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session

from scheduler.accounts import repository as accounts
from scheduler.accounts.models import User
from scheduler.errors import AllowanceCapMissing
from scheduler.hours import repository
from scheduler.hours.allowance import NO_CAP, AllowanceCaps, AllowanceWarning, cents, known_years, month_cap
from scheduler.hours.models import SESSION_KIND
from scheduler.sessions import repository as sessions
from scheduler.sessions.models import InfoSession
from shared.i18n import N_

__all__ = ["allowance_warnings"]

_FORESEEN = {
    "legal": N_(
        "{name}: the sessions planned in {month} would bring the allowance to EUR {foreseen} ({logged} logged, "
        "{to_run} still to run at EUR {each} each), EUR {excess} over the monthly cap of EUR {cap}; paying it "
        "all can cut their benefit. Plan another ambassador, or agree on unpaid work."
    ),
    "personal": N_(
        "{name}: the sessions planned in {month} would bring the allowance to EUR {foreseen} ({logged} logged, "
        "{to_run} still to run at EUR {each} each), EUR {excess} over the personal monthly limit of EUR {cap}; "
        "paying it all can cut their benefit. Plan another ambassador, or agree on unpaid work."
    ),
}


def allowance_warnings(db: Session, info: InfoSession, timezone: str, caps: AllowanceCaps) -> list[AllowanceWarning]:
    """One warning per ambassador of ``info`` whose month would go over their cap; none when all fit."""
    zone = ZoneInfo(timezone)
    local = info.starts_at.astimezone(zone)
    first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    after = first.replace(year=first.year + first.month // 12, month=first.month % 12 + 1)
    warnings = []
    for user_id in sessions.ambassadors_of(db, info.id):
        user = accounts.get(db, user_id)
        if user is None or user.session_allowance is None:
            continue
        warning = _foresee(db, user, first, after, caps)
        if warning is not None:
            warnings.append(warning)
    return warnings


def _foresee(db: Session, user: User, first: datetime, after: datetime, caps: AllowanceCaps) -> AllowanceWarning | None:
    month, name = f"{first:%Y-%m}", user.display_name
    try:
        cap = month_cap(caps, first.year, capped=user.allowance_capped, personal_limit=user.monthly_allowance_limit)
    except AllowanceCapMissing:
        return AllowanceWarning(NO_CAP, {"year": first.year, "known": known_years(caps)}, about=name)
    if cap.amount is None:
        return None
    logged = repository.entries(db, user_id=user.id, start=first.date(), end=after.date())
    paid = [e for e in logged if e.kind == SESSION_KIND]
    to_log = _sessions_to_log(db, user.id, first, after, {e.session_id for e in paid})
    assert user.session_allowance is not None
    foreseen = cents(sum((e.allowance for e in paid), Decimal(0)) + to_log * user.session_allowance)
    if foreseen <= cap.amount:
        return None
    values = {"name": name, "month": month, "foreseen": foreseen, "logged": len(paid), "to_run": to_log}
    values |= {"each": cents(user.session_allowance), "excess": cents(foreseen - cap.amount), "cap": cap.amount}
    return AllowanceWarning(_FORESEEN[cap.source], values)


def _sessions_to_log(db: Session, user_id: str, first: datetime, after: datetime, logged: set[str | None]) -> int:
    """The user's sessions starting in [first, after) that are not cancelled and have no hours logged."""
    return sum(1 for session_id in repository.sessions_starting(db, user_id, first, after) if session_id not in logged)
