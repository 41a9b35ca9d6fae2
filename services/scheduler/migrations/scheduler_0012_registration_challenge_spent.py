"""registration challenges spent

``registration_challenge_spent``: the proof-of-work challenges whose solution
was used for a registration (scheduler.bookings.challenge), by a hash of the
challenge's signature, so a solution works once on every replica. Rows go
when their challenge expires. Nothing changed in the other tables.

Revision ID: scheduler_0012
Revises: scheduler_0011
Create Date: 2026-12-07 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "scheduler_0012"
down_revision = "scheduler_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registration_challenge_spent",
        sa.Column("challenge_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["info_session.id"]),
        sa.PrimaryKeyConstraint("challenge_hash"),
    )
    with op.batch_alter_table("registration_challenge_spent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registration_challenge_spent_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("registration_challenge_spent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_challenge_spent_expires_at"))
    op.drop_table("registration_challenge_spent")
