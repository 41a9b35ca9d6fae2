"""The staff navigation: ONE list of entries, each with its path, its label and the roles that see it.

A coordinator reaches every page they run the programme from (the users, providers, venues, sessions,
the feedback reports, the messages, the audit log, erasure and the events given up on) from every
staff page; an ambassador sees only their own work;
provider staff their organisation's sessions and reports. To add a page, add an :class:`Entry` to
:data:`ENTRIES` where it should stand in the bar; the template (scheduler_staff_base.html) only loops.

An entry of another service (``service="feedback"`` or ``"notifier"``) links to the address the
scheduler knows it by from its settings (BRUG_FEEDBACK_PUBLIC_URL, BRUG_NOTIFIER_PUBLIC_URL); the
scheduler's own entries stay relative paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Literal

from scheduler.settings import SchedulerSettings
from shared.auth import Principal, Role
from shared.pages import N_
from shared.pages.kit import PageKit

__all__ = ["Entry", "Link", "ENTRIES", "links", "install"]

Service = Literal["scheduler", "feedback", "notifier"]

EVERYONE: tuple[Role, ...] = ("coordinator", "ambassador", "provider_staff")
PLANNERS: tuple[Role, ...] = ("coordinator", "ambassador")
COORDINATORS: tuple[Role, ...] = ("coordinator",)


@dataclass(frozen=True)
class Entry:
    """One link of the bar: ``section`` is what a page passes as its ``section`` to be marked current."""

    section: str
    path: str
    label: str  # a message id (N_), translated where the bar is drawn
    roles: tuple[Role, ...]
    service: Service = "scheduler"


@dataclass(frozen=True)
class Link:
    """An entry as one person's bar shows it."""

    section: str
    href: str
    label: str


ENTRIES: tuple[Entry, ...] = (
    Entry("home", "/staff", N_("Sessions"), EVERYONE),
    Entry("new", "/staff/sessions/new", N_("New session"), PLANNERS),
    Entry("venues", "/staff/venues", N_("Venues"), EVERYONE),
    Entry("hours", "/staff/hours", N_("Hours"), PLANNERS),
    Entry("users", "/staff/users", N_("Users"), COORDINATORS),
    Entry("providers", "/staff/providers", N_("Providers"), COORDINATORS),
    Entry("reports", "/staff/reports", N_("Feedback reports"), ("coordinator", "provider_staff"), "feedback"),
    Entry("messages", "/staff/deliveries", N_("Messages"), COORDINATORS, "notifier"),
    Entry("audit", "/staff/audit", N_("Audit log"), COORDINATORS),
    Entry("erasure", "/staff/erasure", N_("Erasure"), COORDINATORS),
    Entry("dead-letters", "/staff/dead-letters", N_("Events given up on"), COORDINATORS),
    Entry("password", "/staff/password", N_("Password"), EVERYONE),
)


def _base(settings: SchedulerSettings, service: Service) -> str:
    if service == "feedback":
        return settings.feedback_public_url.rstrip("/")
    if service == "notifier":
        return settings.notifier_public_url.rstrip("/")
    return ""


def links(settings: SchedulerSettings, staff: Principal | None) -> list[Link]:
    """The bar of ``staff`` (none when no one is signed in), in the order of :data:`ENTRIES`."""
    if staff is None:
        return []
    return [
        Link(entry.section, _base(settings, entry.service) + entry.path, entry.label)
        for entry in ENTRIES
        if staff.role in entry.roles
    ]


def install(pages: PageKit, settings: SchedulerSettings) -> None:
    """``staff_navigation(staff)`` for the staff templates."""
    pages.env.globals["staff_navigation"] = partial(links, settings)
