"""ambassador allowance

Accounts record how the monthly allowance cap applies to an ambassador:
``allowance_capped`` (true for the existing accounts, hence the server
default: the legal cap applied to everyone until now) and an optional
``monthly_allowance_limit`` in euro, lower than the legal cap, agreed with
the ambassador's benefits office (Numeric(8,2), like the hours' amounts),
and an optional ``session_allowance``, the allowance usually paid for one
session, from which planning foresees a month over the cap.

Plain ``add_column``, not batch mode, for the reason scheduler_0008 gives:
batch mode on SQLite would copy ``user_account`` for the ``true`` server
default, and sessions, hours and group bookings point at it; SQLite adds such
a column in place (``DEFAULT 1``), as PostgreSQL does (``DEFAULT true``).

Revision ID: scheduler_0010
Revises: scheduler_0009
Create Date: 2026-11-29 08:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "scheduler_0010"
down_revision = "scheduler_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("user_account", sa.Column("allowance_capped", sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column("user_account", sa.Column("monthly_allowance_limit", sa.Numeric(precision=8, scale=2), nullable=True))
    op.add_column("user_account", sa.Column("session_allowance", sa.Numeric(precision=8, scale=2), nullable=True))


def downgrade() -> None:
    # SQLite 3.35 and later drop a plain column in place too.
    op.drop_column("user_account", "session_allowance")
    op.drop_column("user_account", "monthly_allowance_limit")
    op.drop_column("user_account", "allowance_capped")
