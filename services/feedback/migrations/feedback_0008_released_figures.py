"""released figures

``feedback_release``: each session's answers counted once, per language
group, with differential-privacy noise, when its feedback window closes
(feedback.reports.release). Reports read only these rows.

Revision ID: feedback_0008
Revises: feedback_0007
Create Date: 2026-12-07 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "feedback_0008"
down_revision = "feedback_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback_release",
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("epsilon", sa.Float(), nullable=False),
        sa.Column("released_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("session_id"),
    )


def downgrade() -> None:
    op.drop_table("feedback_release")
