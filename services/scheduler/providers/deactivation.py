"""Ending the cooperation with a provider: it takes no new sessions or staff accounts, and its staff
sign in nowhere any more.

Refused while it still co-runs sessions ahead: attendees were told who runs them, so a coordinator
first moves them to another provider or calls them off. Its past sessions, their feedback reports and
its name stay. Its staff accounts are deactivated as a coordinator would, one by one
(accounts.service.deactivate: the notifier and the feedback service hear of each and refuse its
tokens). There is no undo here, as for an account: a provider that comes back is added again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from scheduler.accounts import repository as accounts_repository
from scheduler.accounts import service as accounts
from scheduler.errors import ProviderHasSessionsAhead
from scheduler.providers import service as providers
from scheduler.providers.schemas import ProviderPublic
from scheduler.sessions import repository as sessions
from shared import audit
from shared.auth import Principal

__all__ = ["deactivate"]


def deactivate(
    db: Session, actor: Principal, provider_id: str, *, now: datetime, token_lifetime: timedelta
) -> tuple[ProviderPublic, list[str]]:
    """The provider deactivated, and the ids of the staff accounts deactivated with it; each recorded in
    the audit log as ``account.deactivated``, then ``provider.deactivated`` (the API and the page alike)."""
    provider = providers.existing(db, provider_id)
    ahead = sessions.count_ahead_for_provider(db, provider_id, now)
    if ahead:
        raise ProviderHasSessionsAhead(
            f"{provider.name} still co-runs {ahead} session(s) ahead: move them to another provider or call "
            "them off first, then deactivate it."
        )
    staff = [user.id for user in accounts_repository.active_staff_of(db, provider_id)]
    for user_id in staff:
        accounts.deactivate(db, user_id, token_lifetime)
        audit.record(db, actor, "account.deactivated", account_id=user_id)
    audit.record(db, actor, "provider.deactivated", provider_id=provider_id, staff_deactivated=len(staff))
    provider.active = False
    db.add(provider)
    db.flush()
    return providers.get_provider(db, provider_id), staff
