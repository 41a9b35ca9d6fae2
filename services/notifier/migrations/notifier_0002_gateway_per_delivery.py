"""gateway per delivery

Which gateway sent each delivery (or was last tried), when that call began,
whether its outcome is still in doubt, longer status names (``undelivered``,
``unconfirmed``), and opt-outs stored as keyed hashes.

Revision ID: notifier_0002
Revises: notifier_0001
Create Date: 2026-11-28 22:25:11.699509
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "notifier_0002"
down_revision = "notifier_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sms_opt_out",
        sa.Column("number_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("opted_out_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("number_hash"),
    )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gateway", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column("attempted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        # existing rows are not in doubt; the default lets the column be added to a filled table
        batch_op.add_column(sa.Column("in_doubt", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.alter_column(
            "status",
            existing_type=sa.VARCHAR(length=10),
            type_=sqlmodel.sql.sqltypes.AutoString(length=16),
            existing_nullable=False,
        )
        batch_op.create_index("ix_delivery_gateway_ref", ["gateway", "gateway_ref"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_index("ix_delivery_gateway_ref")
        batch_op.alter_column(
            "status",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=16),
            type_=sa.VARCHAR(length=10),
            existing_nullable=False,
        )
        batch_op.drop_column("in_doubt")
        batch_op.drop_column("attempted_at")
        batch_op.drop_column("gateway")

    op.drop_table("sms_opt_out")
