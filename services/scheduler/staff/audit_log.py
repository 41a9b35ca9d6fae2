"""``/staff/audit``: the audit log for coordinators, as ``GET /api/v1/audit`` reads it (shared.audit).

Filters: an action (one, or every action on an object: ``session.``), an actor (a staff account)
and a date range (days in the programme's zone, Europe/Amsterdam). Newest first, a page of
:data:`PAGE_SIZE`, with links to older (``before``) and newer (``after``) pages that keep the
filters. Each entry is a card (who, what, when, the ids it names), so a phone shows it without
a table to scroll sideways. The log holds ids and hashes, never an attendee's data; nor does
this page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import Response

from scheduler.accounts import service as accounts
from scheduler.staff.common import HOME_ZONE, Desk, DeskDep
from shared import audit
from shared.audit import AuditEntryPublic
from shared.pages import N_

__all__ = ["router", "PATH", "PAGE_SIZE"]

router = APIRouter(include_in_schema=False)

PATH = "/staff/audit"
SECTION = "audit"
PAGE_SIZE = 20
ONLY_COORDINATORS = N_("Only coordinators read the audit log.")
BAD_DATE = N_("Give the date as YYYY-MM-DD, like 2026-12-07.")
BACKWARDS = N_("The end date is before the start date.")
NOBODY = N_("Nobody signed in")

Id = Annotated[int | None, Query(ge=0, le=2**62)]
Short = Annotated[str, Query(max_length=64)]


@dataclass
class Filters:
    """The filters as typed (kept in the form and the paging links), and what is wrong with them."""

    action: str = ""
    actor: str = ""
    start: str = ""
    end: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def query(self, **paging: int) -> str:
        kept = {"action": self.action, "actor": self.actor, "from": self.start, "to": self.end}
        return urlencode({k: v for k, v in {**kept, **paging}.items() if v != ""})


@dataclass(frozen=True)
class Row:
    entry: AuditEntryPublic
    when: str
    actor: str


def _day(desk: Desk, filters: Filters, name: str, typed: str) -> date | None:
    if not typed:
        return None
    try:
        return date.fromisoformat(typed)
    except ValueError:
        filters.errors[name] = desk._(BAD_DATE)
        return None


def _moment(day: date | None, end: bool) -> datetime | None:
    """The start or end of ``day`` in the programme's zone, in UTC (shared.audit reads plain dates as UTC)."""
    if day is None:
        return None
    return datetime.combine(day, time.max if end else time.min, HOME_ZONE).astimezone(UTC)


@router.get(PATH)
def audit_page(
    desk: DeskDep,
    action: Short = "",
    actor: Short = "",
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
    before: Id = None,
    after: Id = None,
) -> Response:
    refused = desk.coordinators_only(ONLY_COORDINATORS, section=SECTION)
    if refused is not None:
        return refused
    filters = Filters(action, actor, start, end)
    first, last = _day(desk, filters, "from", start), _day(desk, filters, "to", end)
    if first and last and last < first:
        filters.errors["to"] = desk._(BACKWARDS)
    people = accounts.list_users(desk.db)
    context: dict[str, Any] = {"filters": filters, "people": people, "actions": _choices(audit.actions(desk.db))}
    if filters.errors:
        return desk.render("scheduler_staff_audit.html", status=422, section=SECTION, rows=[], page_of=None, **context)
    found = audit.read_page(
        desk.db,
        actor=actor or None,
        action=action or None,
        start=_moment(first, end=False),
        end=_moment(last, end=True),
        before=before,
        after=after,
        limit=PAGE_SIZE,
    )
    names = {p.id: f"{p.display_name} ({p.role})" for p in people}
    rows = [_row(desk, entry, names) for entry in found.entries]
    return desk.render("scheduler_staff_audit.html", section=SECTION, rows=rows, page_of=found, **context)


def _row(desk: Desk, entry: AuditEntryPublic, names: dict[str, str]) -> Row:
    actor = names.get(entry.actor_id, entry.actor_id) if entry.actor_id else desk._(NOBODY)
    return Row(entry, desk.moment(entry.at), actor)


def _choices(actions: list[str]) -> list[tuple[str, list[str]]]:
    """The actions grouped by their object (``session`` → its actions), for the filter's choices."""
    grouped: dict[str, list[str]] = {}
    for name in actions:
        grouped.setdefault(name.split(".", 1)[0], []).append(name)
    return sorted(grouped.items())
