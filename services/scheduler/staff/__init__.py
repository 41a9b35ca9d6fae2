"""The ambassadors' and coordinators' pages on the scheduler (Dutch and English).

GET  /staff                               my sessions: this week, later, still to close
GET  /staff?view=week|month               one week or month, filtered (city, ambassador, language, provider), paged
GET  /staff/sessions/new, POST            plan a session: "check" shows clashes first, "save" stores it
POST /staff/sessions/check                the same check as JSON, for the live warnings (staff-scheduler.js)
GET  /staff/sessions/{id}                 the session at the door: counts, check-in by code, walk-ins, close
GET  /staff/sessions/{id}/edit, POST      a new time or room, checked the same way
POST /staff/sessions/{id}/check-in|walk-ins|complete
POST /staff/sessions/{id}/details         listed on the public page, and the places (as PATCH /api/v1/sessions/{id})
GET  /staff/sessions/{id}/cards.pdf       the feedback cards, fetched from the feedback service
GET  /staff/sessions/{id}/poster.pdf      an A4 poster and an A6 flyer (flyer.pdf) with the page's QR code
GET  /staff/venues, POST                  venues and rooms (coordinators and ambassadors add them)
POST /staff/venues/{id}                   a venue's place and notes changed (coordinators, as PATCH /api/v1/venues/{id})
GET  /staff/hours, /staff/hours/{user}/{month}.csv   a month against the allowance cap
POST /staff/hours/{user}/allowance        an ambassador's allowance settings (coordinators, as PATCH /api/v1/users/{id})
GET  /staff/password, POST                one's own password changed (every staff member; counted as sign-in)
GET  /staff/users, POST                   staff accounts listed and created (coordinators, as POST /api/v1/users)
POST /staff/users/{id}, /{id}/deactivate  an account's name and languages changed, or the account deactivated
POST /staff/users/{id}/reset              a one-time link to set a new password (coordinators; e-mailed with SMTP)
GET  /staff/reset/{secret}, POST          the link's page: a new password, without signing in
GET  /staff/providers, POST               provider organisations listed and added (coordinators)
GET  /staff/erasure, POST                 an attendee's data erased by booking code (coordinators, as
POST /staff/erasure/confirm               POST /api/v1/bookings/{code}/erasure), after a confirmation of what goes
GET  /staff/audit                         the audit log, filtered and paged (coordinators, as GET /api/v1/audit)
GET  /staff/dead-letters                  events the scheduler gave up on (coordinators; shared.dead_letters)
POST /staff/dead-letters/{id}/replay      one applied again through the consumer, once, audited

The navigation bar is built from one list, scheduler.staff.navigation.ENTRIES.

Every rule is the scheduler's own: the routes call the same service functions
as the API (sessions.service, sessions.changes, venues.service, hours.service,
accounts.service, providers.service, erasure.service, shared.audit, shared.dead_letters), so a page can do
nothing the API would refuse.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from scheduler.settings import SchedulerSettings
from scheduler.staff import navigation
from scheduler.staff.common import install_errors
from scheduler.staff.signin import local_token_source
from scheduler.staff.views import routers
from shared.pages import staff
from shared.pages.kit import PageKit

__all__ = ["install_staff_pages", "TEMPLATES", "HOME"]

TEMPLATES = Path(__file__).parent / "templates"
HOME = "/staff"


def install_staff_pages(app: FastAPI, settings: SchedulerSettings) -> None:
    """Sign-in and the staff pages; call after ``scheduler.pages.install_pages`` (the page kit)."""
    pages: PageKit = app.state.pages
    pages.add_templates(TEMPLATES, first=True)
    navigation.install(pages, settings)
    staff.install(app, token_source=local_token_source(), home=HOME)
    install_errors(app)
    for router in routers:
        app.include_router(router)
