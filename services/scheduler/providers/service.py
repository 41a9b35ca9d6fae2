"""Rules for provider organisations."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from scheduler.errors import ProviderDeactivated, ProviderNameTaken, ProviderNotFound
from scheduler.providers import repository
from scheduler.providers.models import Provider
from scheduler.providers.schemas import ProviderCreate, ProviderPublic, ProviderUpdate

__all__ = ["create_provider", "update_provider", "get_provider", "list_providers", "existing", "active"]


def _public(provider: Provider) -> ProviderPublic:
    return ProviderPublic.model_validate(provider, from_attributes=True)


def create_provider(db: Session, data: ProviderCreate) -> ProviderPublic:
    taken = ProviderNameTaken(f"A provider named {data.name} already exists; use its id instead.")
    if repository.name_taken(db, data.name):
        raise taken
    provider = Provider(**data.model_dump())
    try:
        with db.begin_nested():  # two coordinators adding the same name at once: the second is told so
            db.add(provider)
    except IntegrityError:
        raise taken from None
    return _public(provider)


def update_provider(db: Session, provider_id: str, data: ProviderUpdate) -> ProviderPublic:
    """Change the fields given; a new name must not be another provider's (in any capitals).

    Its staff and sessions keep it (they hold its id), and the feedback service's reports read its
    name from here, so a new name shows everywhere at once."""
    provider = existing(db, provider_id)
    given = data.changes()
    taken = ProviderNameTaken(f"A provider named {given.get('name')} already exists; choose another name.")
    if "name" in given and repository.name_taken(db, str(given["name"]), other_than=provider_id):
        raise taken
    try:
        with db.begin_nested():  # a name taken at the same moment: told so, not a 500
            for name, value in given.items():
                setattr(provider, name, value)
            db.add(provider)
    except IntegrityError:
        raise taken from None
    return _public(provider)


def existing(db: Session, provider_id: str) -> Provider:
    provider = repository.get(db, provider_id)
    if provider is None:
        raise ProviderNotFound(f"No provider with id {provider_id}; a coordinator adds providers at /api/v1/providers.")
    return provider


def get_provider(db: Session, provider_id: str) -> ProviderPublic:
    return _public(existing(db, provider_id))


def list_providers(db: Session) -> list[ProviderPublic]:
    return [_public(p) for p in repository.list_all(db)]


def listed_providers(db: Session, offset: int, limit: int) -> list[ProviderPublic]:
    """A page of the staff pages' list, by name."""
    return [_public(p) for p in repository.listed(db, offset, limit)]


def listed_position(db: Session, provider_id: str) -> int | None:
    return repository.listed_position(db, provider_id)


def active(db: Session, provider_id: str) -> Provider:
    """The provider, for a new session or staff account: it must exist and not be deactivated."""
    provider = existing(db, provider_id)
    if not provider.active:
        raise ProviderDeactivated(
            f"{provider.name} is deactivated: it takes no new sessions or staff accounts. Choose another provider."
        )
    return provider
