"""feedback initial schema

Revision ID: feedback_0001
Revises:
Create Date: 2026-11-28 21:50:03.405369
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "feedback_0001"
down_revision = None
branch_labels = ("feedback",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback_session",
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("provider_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("attendance", sa.Integer(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("audience", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("tokens_minted", sa.Integer(), nullable=False),
        sa.Column("completed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("session_id"),
    )
    op.create_table(
        "feedback_token",
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("feedback_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_token_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feedback_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_token_session_id"))

    op.drop_table("feedback_token")
    op.drop_table("feedback_session")
