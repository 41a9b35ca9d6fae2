"""account revocations

The accounts the scheduler deactivated while their staff tokens may still be valid
(shared.revocations): their tokens are refused here until then.

Revision ID: feedback_0009
Revises: feedback_0008
Create Date: 2026-12-07 03:51:07.235031
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "feedback_0009"
down_revision = "feedback_0008"
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
