"""session booking cut-off

``info_session.booking_cutoff_minutes``: registration closes this many
minutes before the session starts (scheduler.sessions.timing); existing
sessions get 0, closing at their start.

Revision ID: scheduler_0014
Revises: scheduler_0013
Create Date: 2026-12-07 06:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "scheduler_0014"
down_revision = "scheduler_0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("info_session", sa.Column("booking_cutoff_minutes", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("info_session", schema=None) as batch_op:
        batch_op.drop_column("booking_cutoff_minutes")
