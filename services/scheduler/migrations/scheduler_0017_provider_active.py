"""providers can be deactivated

``provider.active``: False once a coordinator ended the cooperation (scheduler.providers.deactivation).
Every provider so far is active.

Revision ID: scheduler_0017
Revises: scheduler_0016
Create Date: 2026-12-08 00:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "scheduler_0017"
down_revision = "scheduler_0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN, which SQLite does in place: batch mode would copy and drop ``provider``, which
    # the sessions' and accounts' foreign keys refuse (tests/scheduler/test_migrations.py)
    op.add_column("provider", sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.drop_column("active")
