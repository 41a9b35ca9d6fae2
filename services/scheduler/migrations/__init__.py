"""Alembic migrations (see shared/migrate.py)."""
