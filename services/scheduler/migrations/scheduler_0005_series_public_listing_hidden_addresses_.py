"""series, public listing, hidden addresses, group bookings

Sessions get a public flag (false for the existing ones, hence the server
default: nothing becomes listed by upgrading) and the series they were
planned in. Venues get a neighbourhood and the number of hours before a
session that their address is shown (both optional). A new table,
group_booking, holds the seats ambassadors take for the people they bring:
a headcount, languages and interpreter need, nothing about any person.

Revision ID: scheduler_0005
Revises: scheduler_0004
Create Date: 2026-11-29 00:59:07.031292
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "scheduler_0005"
down_revision = "scheduler_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "group_booking",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("booked_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("interpreter_needed", sa.Boolean(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("present", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booked_by"],
            ["user_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["info_session.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("group_booking", schema=None) as batch_op:
        batch_op.create_index("ix_group_booking_session_status", ["session_id", "status"], unique=False)

    with op.batch_alter_table("info_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("series_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_info_session_series_id"), ["series_id"], unique=False)

    with op.batch_alter_table("venue", schema=None) as batch_op:
        batch_op.add_column(sa.Column("neighbourhood", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.add_column(sa.Column("address_hidden_until_hours", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("venue", schema=None) as batch_op:
        batch_op.drop_column("address_hidden_until_hours")
        batch_op.drop_column("neighbourhood")

    with op.batch_alter_table("info_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_info_session_series_id"))
        batch_op.drop_column("series_id")
        batch_op.drop_column("public")

    with op.batch_alter_table("group_booking", schema=None) as batch_op:
        batch_op.drop_index("ix_group_booking_session_status")

    op.drop_table("group_booking")
