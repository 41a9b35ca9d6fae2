"""session public titles per language

``feedback_session.public_titles``, from ``scheduling.session.published``:
the form's title is the one for the reader's language (shared.titles).
Sessions stored before have none and keep ``public_title``.

Revision ID: feedback_0011
Revises: feedback_0010
Create Date: 2026-12-07 07:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "feedback_0011"
down_revision = "feedback_0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("feedback_session", sa.Column("public_titles", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feedback_session", schema=None) as batch_op:
        batch_op.drop_column("public_titles")
