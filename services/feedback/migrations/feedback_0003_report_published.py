"""report published

Revision ID: feedback_0003
Revises: feedback_0002
Create Date: 2026-11-28 22:31:24.742455
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "feedback_0003"
down_revision = "feedback_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feedback_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("report_published_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feedback_session", schema=None) as batch_op:
        batch_op.drop_column("report_published_at")
