"""ambassador hours

A new table, ambassador_hours: each ambassador's paid session work (hours,
travel cost, allowance as Numeric(8,2), one entry per session) and unpaid
work (translation, meetings, admin), so months can be checked against the
volunteer allowance cap. No existing table changes.

Revision ID: scheduler_0004
Revises: scheduler_0003
Create Date: 2026-11-28 23:26:20.814036
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "scheduler_0004"
down_revision = "scheduler_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ambassador_hours",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=4, scale=2), nullable=False),
        sa.Column("travel_cost", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("allowance", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("logged_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["logged_by"],
            ["user_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["info_session.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "session_id", name="uq_ambassador_hours_session"),
    )
    with op.batch_alter_table("ambassador_hours", schema=None) as batch_op:
        batch_op.create_index("ix_ambassador_hours_user_day", ["user_id", "day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ambassador_hours", schema=None) as batch_op:
        batch_op.drop_index("ix_ambassador_hours_user_day")

    op.drop_table("ambassador_hours")
