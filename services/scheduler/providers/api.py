"""HTTP routes for provider organisations: coordinators add, change and deactivate them; all staff may look
them up."""

from __future__ import annotations

from fastapi import APIRouter, status

from scheduler.deps import Coordinator, IssuerDep, SettingsDep, Staff
from scheduler.providers import deactivation, service
from scheduler.providers.schemas import ProviderCreate, ProviderPublic, ProviderUpdate
from shared import audit
from shared.unit_of_work import SessionDep

router = APIRouter(prefix="/api/v1/providers", tags=["providers"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_provider(data: ProviderCreate, db: SessionDep, user: Coordinator) -> ProviderPublic:
    provider = service.create_provider(db, data)
    audit.record(db, user, "provider.created", provider_id=provider.id)
    return provider


@router.get("")
def list_providers(db: SessionDep, _user: Staff) -> list[ProviderPublic]:
    """Ambassadors need the list to name a session's co-facilitating provider."""
    return service.list_providers(db)


@router.get("/{provider_id}")
def get_provider(provider_id: str, db: SessionDep, _user: Staff) -> ProviderPublic:
    return service.get_provider(db, provider_id)


@router.patch("/{provider_id}")
def update_provider(provider_id: str, data: ProviderUpdate, db: SessionDep, user: Coordinator) -> ProviderPublic:
    """Change a provider's name, contact or languages (only the fields given); 409 ProviderNameTaken
    for another provider's name. Its staff and sessions keep it: they hold its id."""
    provider = service.update_provider(db, provider_id, data)
    audit.record(db, user, "provider.updated", provider_id=provider_id)
    return provider


@router.post("/{provider_id}/deactivate")
def deactivate_provider(
    provider_id: str, db: SessionDep, user: Coordinator, settings: SettingsDep, issuer: IssuerDep
) -> ProviderPublic:
    """End the cooperation: the provider takes no new sessions or staff accounts (409 ProviderDeactivated
    then) and its staff accounts are deactivated; 409 ProviderHasSessionsAhead while it co-runs published
    sessions ahead. Its past sessions and reports stay."""
    now = settings.clock.now()
    provider, _staff = deactivation.deactivate(db, user, provider_id, now=now, token_lifetime=issuer.lifetime)
    return provider
