"""session time zone

``feedback_session.timezone``: the venue's zone, from the session's
``scheduling.session.published``, so its feedback window closes at the same
time of day on the venue's clock ``BRUG_FEEDBACK_TOKEN_DAYS`` after the
completion, also across a DST change (feedback.tokens.window). Sessions
stored before have none: their windows stay counted in UTC.

Revision ID: feedback_0010
Revises: feedback_0009
Create Date: 2026-12-07 06:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "feedback_0010"
down_revision = "feedback_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("feedback_session", sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feedback_session", schema=None) as batch_op:
        batch_op.drop_column("timezone")
