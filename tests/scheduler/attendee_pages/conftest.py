"""The attendee page tests' scheduler: one per test module, as for the staff page tests (the same
fixtures: real NATS; PostgreSQL when BRUG_TEST_POSTGRES_URL names one, else SQLite); each test makes
its own sessions."""

from tests.scheduler.staff_pages.conftest import api, database, server, settings_overrides

__all__ = ["api", "database", "server", "settings_overrides"]
