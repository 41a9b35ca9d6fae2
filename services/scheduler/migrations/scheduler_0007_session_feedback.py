"""session feedback

``session_feedback``: the summary the feedback service publishes for a session
once its feedback window closes (``feedback.report.published``), kept for the
session's ambassadors and coordinators.

Revision ID: scheduler_0007
Revises: scheduler_0006
Create Date: 2026-11-29 05:35:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "scheduler_0007"
down_revision = "scheduler_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_feedback",
        sa.Column("session_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("response_count", sa.Integer(), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["info_session.id"]),
        sa.PrimaryKeyConstraint("session_id"),
    )


def downgrade() -> None:
    op.drop_table("session_feedback")
