"""session ambassadors

Revision ID: feedback_0005
Revises: feedback_0004
Create Date: 2026-11-29 01:00:37.776973
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "feedback_0005"
down_revision = "feedback_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feedback_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ambassador_ids", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("feedback_session", schema=None) as batch_op:
        batch_op.drop_column("ambassador_ids")
