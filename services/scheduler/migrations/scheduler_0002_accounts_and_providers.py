"""accounts and providers

Staff accounts (user_account), provider organisations, the ambassadors of
each session, and info_session.provider_id now references a provider.
Sessions made before this migration may name a provider_id that was free
text; each such id becomes a provider of that name, so no session loses its
provider and the new foreign key holds.

Revision ID: scheduler_0002
Revises: scheduler_0001
Create Date: 2026-11-28 22:24:02.030216
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "scheduler_0002"
down_revision = "scheduler_0001"
branch_labels = None
depends_on = None

FK_SESSION_PROVIDER = "fk_info_session_provider_id_provider"


def upgrade() -> None:
    op.create_table(
        "provider",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("provider_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("deactivated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_account_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "session_ambassador",
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["info_session.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("session_id", "user_id"),
    )
    with op.batch_alter_table("session_ambassador", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_ambassador_user_id"), ["user_id"], unique=False)

    _providers_for_existing_sessions()
    with op.batch_alter_table("info_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_info_session_provider_id"), ["provider_id"], unique=False)
        batch_op.create_foreign_key(FK_SESSION_PROVIDER, "provider", ["provider_id"], ["id"])


def _providers_for_existing_sessions() -> None:
    """A provider row for every provider_id that sessions already name (it was free text before)."""
    named = sa.text("SELECT DISTINCT provider_id FROM info_session WHERE provider_id IS NOT NULL")
    ids = sorted(op.get_bind().execute(named).scalars())
    if not ids:
        return
    provider = sa.table(
        "provider",
        sa.column("id", sa.String),
        sa.column("name", sa.String),
        sa.column("contact", sa.String),
        sa.column("languages", sa.JSON),
        sa.column("created_at", sqlmodel.sql.sqltypes.UTCDateTime),
    )
    now = datetime.now(UTC)
    op.bulk_insert(provider, [{"id": i, "name": i, "contact": "", "languages": [], "created_at": now} for i in ids])


def downgrade() -> None:
    with op.batch_alter_table("info_session", schema=None) as batch_op:
        batch_op.drop_constraint(FK_SESSION_PROVIDER, type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_info_session_provider_id"))

    with op.batch_alter_table("session_ambassador", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_ambassador_user_id"))

    op.drop_table("session_ambassador")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_provider_id"))

    op.drop_table("user_account")
    op.drop_table("provider")
