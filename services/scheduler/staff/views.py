"""The staff pages' routers, in the order they are mounted.

Each module is named after the API noun it serves: ``sessions`` plans and
moves sessions, ``series`` plans a recurring one, ``check_in`` is a session at the door, ``posters`` its
poster and flyer, ``calling_off`` its confirmed cancellation, ``venues`` the venues
and their rooms, ``hours`` a month against the allowance cap, ``password`` the signed-in person's own
password, ``password_reset`` the one-time links for a forgotten one, ``users`` and ``providers`` the
accounts and organisations coordinators manage; a coordinator's tools: ``erasure`` (an attendee's data,
by booking code), ``audit_log`` and ``dead_letters`` (events given up on, replayed).
"""

from __future__ import annotations

from scheduler.staff import (
    audit_log,
    calling_off,
    check_in,
    dead_letters,
    erasure,
    home,
    hours,
    password,
    password_reset,
    posters,
    providers,
    series,
    sessions,
    users,
    venues,
)

__all__ = ["routers"]

# sessions and series before check_in: /staff/sessions/new and .../series must not be read as a session id
routers = [
    home.router,
    sessions.router,
    series.router,
    calling_off.router,
    posters.router,
    check_in.router,
    venues.router,
    hours.router,
    password.router,
    password_reset.router,
    users.router,
    providers.router,
    erasure.router,
    audit_log.router,
    dead_letters.router,
]
