"""sign-in lock-out, audit log, booking erasure

Three new tables, nothing changed in the old ones: ``sign_in_lockout``
(wrong passwords counted per keyed hash of a submitted e-mail address),
``audit_log`` (who did what to which object id, when; shared.audit) and
``booking_erasure`` (which bookings were erased on request, and whether the
seat went back).

Revision ID: scheduler_0006
Revises: scheduler_0005
Create Date: 2026-11-29 03:47:21.819055
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "scheduler_0006"
down_revision = "scheduler_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("actor_role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("correlation_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_action_at", ["action", "at"], unique=False)
        batch_op.create_index("ix_audit_log_actor_at", ["actor_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "sign_in_lockout",
        sa.Column("email_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failure_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("email_key"),
    )
    op.create_table(
        "booking_erasure",
        sa.Column("booking_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("erased_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("seat_released", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_code"],
            ["booking.code"],
        ),
        sa.PrimaryKeyConstraint("booking_code"),
    )


def downgrade() -> None:
    op.drop_table("booking_erasure")
    op.drop_table("sign_in_lockout")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
        batch_op.drop_index("ix_audit_log_actor_at")
        batch_op.drop_index("ix_audit_log_action_at")

    op.drop_table("audit_log")
