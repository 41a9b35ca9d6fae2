"""Report pages for provider staff and coordinators.

GET /staff                                    → the reports
GET /staff/reports                            coordinators choose a provider; provider staff go to their own
GET /staff/reports/providers/{id}             a provider's report: filters, figures, charts, its sessions
GET /staff/reports/providers/{id}.csv         the same figures as CSV
GET /staff/reports/sessions/{id}              one session's report (after its feedback window closed)
GET /staff/reports/sessions/{id}.csv          the same figures as CSV

A CSV export is recorded in the audit log (``report.exported``) before it is
handed out, as the API's exports are.

Every figure comes from ``feedback.reports.service``, the functions behind
the report API, with its rules: who may see which provider, when a session's
report is released, what is withheld. These pages only lay it out.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy import Engine
from sqlmodel import Session

from feedback.deps import SettingsDep
from feedback.errors import ReportNotReady, SessionUnknown
from feedback.reports import repository, service
from feedback.reports.csv_export import to_csv
from feedback.settings import FeedbackSettings
from feedback.staff.figures import AUDIENCES, key_figures, language_options, sections
from feedback.staff.filters import AUDIENCES as AUDIENCE_CODES
from feedback.staff.filters import ZONE, Filters, read_filters
from feedback.staff.providers import provider_names
from feedback.tokens.models import FeedbackSession
from shared import audit
from shared.auth import Forbidden
from shared.errors import BrugError
from shared.events import utcnow
from shared.pages import N_
from shared.pages.staff import StaffPage, StaffPageDep
from shared.unit_of_work import SessionDep
from shared.web import runtime_of

__all__ = ["router", "refusal"]

router = APIRouter(include_in_schema=False)

#: filters arrive as typed; ``read_filters`` says which it could not read, on the page itself.
DateText = Annotated[str | None, Query()]
ShortText = Annotated[str | None, Query()]


async def _chosen_filters(
    start: Annotated[DateText, Query(alias="from")] = None,
    end: Annotated[DateText, Query(alias="to")] = None,
    language: ShortText = None,
    audience: ShortText = None,
) -> Filters:
    return read_filters(start, end, language, audience)


#: the report page's filters (and its CSV link's): from, to, language, audience.
ChosenFilters = Annotated[Filters, Depends(_chosen_filters)]

_REFUSED = N_("These reports are for coordinators and for staff of the organisations that co-ran the sessions.")


def refusal(staff: StaffPage, error: BrugError, **context: Any) -> Response:
    """A page that says, in the page's language, why a report cannot be shown."""
    _ = staff.page.gettext
    if isinstance(error, Forbidden):
        heading, text, status = _("Not your organisation's report"), _(_REFUSED), 403
    elif isinstance(error, ReportNotReady):
        heading, status = _("This report is not released yet"), 409
        text = _(
            "Feedback on this session is open until {when}. The report is shown after that, so no answer can be timed.",
            when=context.get("closes", ""),
        )
    elif isinstance(error, SessionUnknown):
        heading, text, status = _("No report for this session"), _("There is no completed session with this link."), 404
    else:
        raise error
    return staff.render("feedback_staff/message.html", status=status, heading=heading, text=text, nav="reports")


@router.get("/staff")
def staff_home(staff: StaffPageDep) -> Response:
    return staff.redirect("/staff/reports")


@router.get("/staff/reports")
def choose_provider(staff: StaffPageDep, db: SessionDep, settings: SettingsDep) -> Response:
    principal = staff.principal
    if principal.role == "provider_staff" and principal.provider_id:
        return staff.redirect(f"/staff/reports/providers/{principal.provider_id}")
    if not principal.is_coordinator:
        return refusal(staff, Forbidden(_REFUSED))
    ids = repository.providers(db)
    names = provider_names(settings.scheduler_jwks_url, staff.token) if ids else {}
    providers = sorted(((i, names.get(i, i)) for i in ids), key=lambda pair: pair[1].casefold())
    return staff.render("feedback_staff/providers.html", providers=providers, nav="reports")


@router.get("/staff/reports/providers/{provider_id}.csv")
def provider_csv(
    provider_id: str,
    request: Request,
    staff: StaffPageDep,
    db: SessionDep,
    settings: SettingsDep,
    chosen: ChosenFilters,
) -> Response:
    try:
        report = _provider_report(db, runtime_of(request).engine, provider_id, staff, settings, chosen)
    except BrugError as error:
        return refusal(staff, error)
    audit.record_apart(runtime_of(request).engine, staff.principal, "report.exported", provider_id=provider_id)
    return _csv(to_csv(report), f"feedback-{provider_id}.csv")


@router.get("/staff/reports/providers/{provider_id}")
def provider_page(
    provider_id: str,
    request: Request,
    staff: StaffPageDep,
    db: SessionDep,
    settings: SettingsDep,
    chosen: ChosenFilters,
) -> Response:
    try:
        report = _provider_report(db, runtime_of(request).engine, provider_id, staff, settings, chosen)
    except BrugError as error:
        return refusal(staff, error)
    every = repository.provider_sessions(db, provider_id, *Filters().window)
    first, last = chosen.window
    listed = [
        s
        for s in every
        if s.completed_at and first <= s.completed_at < last and service.matches(s, chosen.language, chosen.audience)
    ]
    names = provider_names(settings.scheduler_jwks_url, staff.token)
    k = settings.min_group_size
    return staff.render(
        "feedback_staff/provider.html",
        nav="reports",
        provider_id=provider_id,
        provider_name=names.get(provider_id, provider_id),
        filters=chosen,
        language_choices=language_options(staff.page, sorted({code for s in every for code in s.languages})),
        audiences=[(code, staff.page.gettext(AUDIENCES[code])) for code in AUDIENCE_CODES],
        key_figures=key_figures(staff.page, report, k),
        sections=sections(staff.page, report, k),
        withheld=report.get("responses") is None,
        min_group=k,
        sessions=[_session_row(staff, s, settings) for s in reversed(listed)],
        csv_url=f"/staff/reports/providers/{provider_id}.csv{chosen.query()}",
    )


@router.get("/staff/reports/sessions/{session_id}.csv")
def session_csv(
    session_id: str, request: Request, staff: StaffPageDep, db: SessionDep, settings: SettingsDep
) -> Response:
    try:
        report = service.session_report(db, runtime_of(request).engine, session_id, staff.principal, settings)
    except BrugError as error:
        return refusal(staff, error, closes=_closes(staff, db, session_id, settings))
    audit.record_apart(runtime_of(request).engine, staff.principal, "report.exported", session_id=session_id)
    return _csv(to_csv(report), f"feedback-{session_id}.csv")


@router.get("/staff/reports/sessions/{session_id}")
def session_page(
    session_id: str, request: Request, staff: StaffPageDep, db: SessionDep, settings: SettingsDep
) -> Response:
    try:
        report = service.session_report(db, runtime_of(request).engine, session_id, staff.principal, settings)
    except BrugError as error:
        return refusal(staff, error, closes=_closes(staff, db, session_id, settings))
    session = db.get(FeedbackSession, session_id)
    assert session is not None and session.completed_at is not None  # the report function checked both
    k = settings.min_group_size
    return staff.render(
        "feedback_staff/session.html",
        nav="reports",
        report=report,
        session=_session_row(staff, session, settings),
        key_figures=key_figures(staff.page, report, k),
        sections=sections(staff.page, report, k),
        withheld=report.get("responses") is None,
        min_group=k,
        comments=report.get("comments", []),
        csv_url=f"/staff/reports/sessions/{session_id}.csv",
        back=f"/staff/reports/providers/{session.provider_id}" if session.provider_id else "/staff/reports",
    )


def _provider_report(
    db: Session, engine: Engine, provider_id: str, staff: StaffPage, settings: FeedbackSettings, chosen: Filters
) -> dict[str, Any]:
    start, end = chosen.window
    return service.provider_report(
        db,
        engine,
        provider_id,
        start,
        end,
        staff.principal,
        settings,
        language=chosen.language,
        audience=chosen.audience,
    )


def _session_row(staff: StaffPage, session: FeedbackSession, settings: FeedbackSettings) -> dict[str, Any]:
    """What the list of sessions shows of one: when, its public title, languages, audience, its report."""
    assert session.completed_at is not None
    closes = service.window_closes(session, settings)
    page = staff.page
    return {
        "id": session.session_id,
        "title": session.public_title or page.gettext("Session"),
        "day": page.day(session.completed_at, ZONE.key),
        "languages": page.languages(session.languages),
        "audience": page.gettext(AUDIENCES[session.audience]) if session.audience in AUDIENCES else session.audience,
        "released": closes <= utcnow(),
        "closes": page.day(closes, ZONE.key),
        "url": f"/staff/reports/sessions/{session.session_id}",
    }


def _closes(staff: StaffPage, db: Session, session_id: str, settings: FeedbackSettings) -> str:
    session = db.get(FeedbackSession, session_id)
    if session is None or session.completed_at is None:
        return ""
    return staff.page.when(service.window_closes(session, settings), ZONE.key)


def _csv(text: str, filename: str) -> Response:
    """An attachment; the name holds an id from the path, so only safe characters go in the header."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    return PlainTextResponse(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{safe}"', "Cache-Control": "no-store"},
    )
