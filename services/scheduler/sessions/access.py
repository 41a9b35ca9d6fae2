"""Who may see and run a session: the rules in one place, so every route applies the same ones.

- coordinators: every session;
- ambassadors: the sessions they are named on, to read and to run (check-in, completion);
- provider staff: read the sessions their own organisation co-runs, nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence

from scheduler.errors import NotYourSession
from scheduler.sessions.models import InfoSession
from shared.auth import Forbidden, Principal, ensure_role

__all__ = ["ensure_can_read", "ensure_can_run", "ambassadors_for_new_session"]


def ensure_can_read(principal: Principal, info: InfoSession, ambassador_ids: Sequence[str]) -> None:
    if principal.role == "provider_staff":
        if info.provider_id is None or info.provider_id != principal.provider_id:
            raise NotYourSession("Your organisation does not co-run this session; you can see only its sessions.")
        return
    ensure_can_run(principal, info, ambassador_ids)


def ensure_can_run(principal: Principal, info: InfoSession, ambassador_ids: Sequence[str]) -> None:
    ensure_role(principal, "coordinator", "ambassador")
    if principal.role == "ambassador" and principal.user_id not in ambassador_ids:
        raise NotYourSession(
            "You are not one of this session's ambassadors; a coordinator can add you, or act on it for you."
        )


def ambassadors_for_new_session(principal: Principal, named: Sequence[str]) -> list[str]:
    """An ambassador runs what they create and names no one else; a coordinator names anyone."""
    ensure_role(principal, "coordinator", "ambassador")
    if principal.role == "coordinator":
        return list(dict.fromkeys(named))
    others = sorted(set(named) - {principal.user_id})
    if others:
        raise Forbidden(
            "Only a coordinator may name other ambassadors for a session; leave ambassador_ids out, "
            "or ask a coordinator to add them."
        )
    return [principal.user_id]
