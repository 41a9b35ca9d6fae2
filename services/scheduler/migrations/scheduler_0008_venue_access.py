"""venue access

Venues get accessibility notes for staff (optional, e.g. "step-free entrance
on the side; lift to floor 2") and whether they have an entrance where
attendees are not seen going in (false for the existing ones, hence the
server default). Both stay on staff pages: no event or public page names them.

Plain ``add_column``, not batch mode: Alembic's batch on SQLite copies the
table for a server default that is an expression (``false``), and dropping
``venue`` while rooms and sessions point at it fails; SQLite adds such a
column in place (``DEFAULT 0``), as PostgreSQL does (``DEFAULT false``).

Revision ID: scheduler_0008
Revises: scheduler_0007
Create Date: 2026-11-29 06:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "scheduler_0008"
down_revision = "scheduler_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "venue", sa.Column("accessibility_notes", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True)
    )
    op.add_column("venue", sa.Column("private_entrance", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    # SQLite 3.35 and later drop a plain column in place too.
    op.drop_column("venue", "private_entrance")
    op.drop_column("venue", "accessibility_notes")
