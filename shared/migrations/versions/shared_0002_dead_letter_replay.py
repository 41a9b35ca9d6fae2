"""Dead letters keep the event they gave up on, and when a coordinator replayed it.

Revision ID: shared_0002
Revises: shared_0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "shared_0002"
down_revision = "shared_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dead_letter", sa.Column("body", sa.Text(), nullable=True))
    op.add_column("dead_letter", sa.Column("replayed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dead_letter") as batch:
        batch.drop_column("replayed_at")
        batch.drop_column("body")
