"""account revocations

The accounts the scheduler deactivated while their staff tokens may still be valid
(shared.revocations): their tokens are refused here until then.

Revision ID: notifier_0007
Revises: notifier_0006
Create Date: 2026-12-07 03:51:11.455324
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "notifier_0007"
down_revision = "notifier_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_revocation",
        sa.Column("account_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("account_id"),
    )
    with op.batch_alter_table("account_revocation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_revocation_until"), ["until"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("account_revocation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_revocation_until"))

    op.drop_table("account_revocation")
