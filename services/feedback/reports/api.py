"""HTTP routes for provider reports: staff only, suppressed, released after the window closes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from feedback.deps import SettingsDep
from feedback.reports import service
from feedback.reports.csv_export import to_csv
from shared.auth import CurrentUser
from shared.web import DbDep

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])


@router.get("/sessions/{session_id}.csv", response_class=PlainTextResponse)
def session_report_csv(session_id: str, db: DbDep, settings: SettingsDep, user: CurrentUser) -> PlainTextResponse:
    report = service.session_report(db, session_id, user, settings)
    return _csv(to_csv(report, settings.min_group_size), f"feedback-{session_id}.csv")


@router.get("/providers/{provider_id}.csv", response_class=PlainTextResponse)
def provider_report_csv(
    provider_id: str,
    db: DbDep,
    settings: SettingsDep,
    user: CurrentUser,
    start: Annotated[datetime, Query(alias="from")] = datetime(2000, 1, 1, tzinfo=UTC),
    end: Annotated[datetime, Query(alias="to")] = datetime(2100, 1, 1, tzinfo=UTC),
) -> PlainTextResponse:
    report = service.provider_report(db, provider_id, _aware(start), _aware(end), user, settings)
    return _csv(to_csv(report, settings.min_group_size), f"feedback-{provider_id}.csv")


def _csv(text: str, filename: str) -> PlainTextResponse:
    return PlainTextResponse(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/sessions/{session_id}")
def session_report(session_id: str, db: DbDep, settings: SettingsDep, user: CurrentUser) -> dict[str, Any]:
    return service.session_report(db, session_id, user, settings)


@router.get("/providers/{provider_id}")
def provider_report(
    provider_id: str,
    db: DbDep,
    settings: SettingsDep,
    user: CurrentUser,
    start: Annotated[datetime, Query(alias="from")] = datetime(2000, 1, 1, tzinfo=UTC),
    end: Annotated[datetime, Query(alias="to")] = datetime(2100, 1, 1, tzinfo=UTC),
) -> dict[str, Any]:
    """Sessions completed in [from, to); give times with their UTC offset."""
    return service.provider_report(db, provider_id, _aware(start), _aware(end), user, settings)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
