"""The staff pages' routers, in the order they are mounted."""

from __future__ import annotations

from scheduler.staff import door, home, hours, places, planning

__all__ = ["routers"]

# planning before door: /staff/sessions/new must not be read as a session id
routers = [home.router, planning.router, door.router, places.router, hours.router]
