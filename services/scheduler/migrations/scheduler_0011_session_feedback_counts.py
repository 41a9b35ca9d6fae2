"""session feedback counts

``session_feedback.counts``: the released noisy counts of the session's
answers (``feedback.report.published``), from which an ambassador's summary
over several of their sessions is worked out (scheduler.feedback_summaries.pooled).
Existing rows have none: their sessions are left out of those summaries.

Revision ID: scheduler_0011
Revises: scheduler_0010
Create Date: 2026-12-07 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "scheduler_0011"
down_revision = "scheduler_0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("session_feedback", sa.Column("counts", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    op.drop_column("session_feedback", "counts")
