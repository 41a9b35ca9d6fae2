"""session interpreter and integration phase

Sessions record whether an interpreter is present (false for the existing
ones, hence the server default) and, optionally, the integration phase of
the people they are for (reception, integration, settled). Both are for
staff: the public listing and pages never show them.

Plain ``add_column``, not batch mode, for the reason scheduler_0008 gives:
batch mode on SQLite would copy ``info_session`` for the ``false`` server
default, and bookings, hours and ambassadors point at it; SQLite adds such a
column in place (``DEFAULT 0``), as PostgreSQL does (``DEFAULT false``).

Revision ID: scheduler_0009
Revises: scheduler_0008
Create Date: 2026-11-29 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "scheduler_0009"
down_revision = "scheduler_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "info_session", sa.Column("interpreter_present", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column(
        "info_session", sa.Column("integration_phase", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
    )


def downgrade() -> None:
    # SQLite 3.35 and later drop a plain column in place too.
    op.drop_column("info_session", "integration_phase")
    op.drop_column("info_session", "interpreter_present")
