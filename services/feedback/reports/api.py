"""HTTP routes for provider reports: staff only, from the released noisy counts, after the window closes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse

from feedback.deps import SettingsDep
from feedback.reports import service
from feedback.reports.csv_export import to_csv
from shared import audit, events
from shared.auth import CurrentUser
from shared.errors import Invalid
from shared.unit_of_work import SessionDep
from shared.web import runtime_of

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

#: report filters: a language code (``ar``, ``fa-AF``) and an audience, as the scheduler names them.
Language = Annotated[str | None, Query(max_length=16, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
Audience = Annotated[events.Audience | None, Query()]


@dataclass(frozen=True)
class ProviderFilters:
    """A provider report's query string: ``from``, ``to``, ``language`` and ``audience``."""

    start: datetime
    end: datetime
    language: str | None
    audience: events.Audience | None


def provider_filters(
    start: Annotated[datetime, Query(alias="from")] = datetime(2000, 1, 1, tzinfo=UTC),
    end: Annotated[datetime, Query(alias="to")] = datetime(2100, 1, 1, tzinfo=UTC),
    language: Language = None,
    audience: Audience = None,
) -> ProviderFilters:
    return ProviderFilters(start, end, language, audience)


ProviderFiltersDep = Annotated[ProviderFilters, Depends(provider_filters)]


def _provider_report(
    provider_id: str,
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    filters: ProviderFiltersDep,
) -> dict[str, Any]:
    """The provider's report for the request's filters, as both routes (JSON and CSV) give it."""
    return service.provider_report(
        db,
        runtime_of(request).engine,
        provider_id,
        _utc_bound(filters.start),
        _utc_bound(filters.end),
        user,
        settings,
        language=filters.language,
        audience=filters.audience,
    )


ProviderReport = Annotated[dict[str, Any], Depends(_provider_report)]


@router.get("/sessions/{session_id}.csv", response_class=PlainTextResponse)
def session_report_csv(
    session_id: str, request: Request, db: SessionDep, settings: SettingsDep, user: CurrentUser
) -> PlainTextResponse:
    report = service.session_report(db, runtime_of(request).engine, session_id, user, settings)
    audit.record_apart(runtime_of(request).engine, user, "report.exported", session_id=session_id)
    return _csv(to_csv(report), f"feedback-{session_id}.csv")


@router.get("/providers/{provider_id}.csv", response_class=PlainTextResponse)
def provider_report_csv(
    provider_id: str, request: Request, user: CurrentUser, report: ProviderReport
) -> PlainTextResponse:
    audit.record_apart(runtime_of(request).engine, user, "report.exported", provider_id=provider_id)
    return _csv(to_csv(report), f"feedback-{provider_id}.csv")


def _csv(text: str, filename: str) -> PlainTextResponse:
    # the name holds an id from the path: only safe characters may go into a header (no CR/LF, no quote)
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    return PlainTextResponse(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{safe}"'},
    )


@router.get("/sessions/{session_id}")
def session_report(
    session_id: str, request: Request, db: SessionDep, settings: SettingsDep, user: CurrentUser
) -> dict[str, Any]:
    return service.session_report(db, runtime_of(request).engine, session_id, user, settings)


@router.get("/providers/{provider_id}")
def provider_report(report: ProviderReport) -> dict[str, Any]:
    """Sessions completed in [from, to) (give times with their UTC offset), optionally only those held
    in ``language`` (``fa`` also finds ``fa-AF``; then only their answers in that language group) or
    for ``audience``."""
    return report


def _utc_bound(moment: datetime) -> datetime:
    """A ``from``/``to`` query bound given without an offset is read as UTC (the columns compare aware times)."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        moment.astimezone(UTC)  # the database compares in UTC: year 9999 at -05:00 has no UTC time
    except OverflowError:
        raise Invalid(f"{moment.isoformat()} has no time in UTC; give a time between the years 1 and 9999.") from None
    return moment
