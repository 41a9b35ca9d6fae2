"""opening hours, reschedule revision, idempotent bookings

Venues get opening hours per weekday and closed days (both optional: a
venue without hours accepts any time). Sessions get a revision (0 for the
existing ones, hence the server default) and a cancellation reason.
Booking POSTs with an Idempotency-Key keep their first answer for a day.

Revision ID: scheduler_0003
Revises: scheduler_0002
Create Date: 2026-11-28 22:56:24.350760
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "scheduler_0003"
down_revision = "scheduler_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "venue_closure",
        sa.Column("venue_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venue.id"],
        ),
        sa.PrimaryKeyConstraint("venue_id", "day"),
    )
    op.create_table(
        "venue_opening_hours",
        sa.Column("venue_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("opens", sa.Time(), nullable=False),
        sa.Column("closes", sa.Time(), nullable=False),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venue.id"],
        ),
        sa.PrimaryKeyConstraint("venue_id", "weekday"),
    )
    op.create_table(
        "booking_idempotency",
        sa.Column("key_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("request_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("sealed_response", sa.Text(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["info_session.id"],
        ),
        sa.PrimaryKeyConstraint("key_hash"),
    )
    with op.batch_alter_table("booking_idempotency", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_booking_idempotency_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_booking_idempotency_session_id"), ["session_id"], unique=False)

    with op.batch_alter_table("info_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("cancel_reason", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("info_session", schema=None) as batch_op:
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("revision")

    with op.batch_alter_table("booking_idempotency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_idempotency_session_id"))
        batch_op.drop_index(batch_op.f("ix_booking_idempotency_expires_at"))

    op.drop_table("booking_idempotency")
    op.drop_table("venue_opening_hours")
    op.drop_table("venue_closure")
