"""The staff pages' routers, in the order they are mounted.

Each module is named after the API noun it serves: ``sessions`` plans and
moves sessions, ``check_in`` is a session at the door, ``venues`` the venues
and their rooms, ``hours`` a month against the allowance cap, ``password`` the signed-in person's own
password, ``users`` and ``providers`` the accounts and organisations coordinators manage.
"""

from __future__ import annotations

from scheduler.staff import check_in, home, hours, password, providers, sessions, users, venues

__all__ = ["routers"]

# sessions before check_in: /staff/sessions/new must not be read as a session id
routers = [
    home.router,
    sessions.router,
    check_in.router,
    venues.router,
    hours.router,
    password.router,
    users.router,
    providers.router,
]
