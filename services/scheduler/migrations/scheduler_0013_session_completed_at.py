"""session completed at

``info_session.completed_at``: when the session was completed, so that a
completion can be undone for a short while (BRUG_COMPLETION_UNDO_MINUTES,
scheduler.sessions.reopening). Sessions completed before have none, and
their completion can no longer be undone.

Revision ID: scheduler_0013
Revises: scheduler_0012
Create Date: 2026-12-07 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "scheduler_0013"
down_revision = "scheduler_0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("info_session", sa.Column("completed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("info_session", schema=None) as batch_op:
        batch_op.drop_column("completed_at")
