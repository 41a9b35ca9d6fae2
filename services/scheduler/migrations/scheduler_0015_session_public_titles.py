"""session public titles per language

``info_session.public_titles``: the public title per session language
(shared.titles chooses the attendee's); existing sessions get ``{}``, so
every attendee keeps reading ``public_title``.

Revision ID: scheduler_0015
Revises: scheduler_0014
Create Date: 2026-12-07 07:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "scheduler_0015"
down_revision = "scheduler_0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("info_session", sa.Column("public_titles", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("info_session", schema=None) as batch_op:
        batch_op.drop_column("public_titles")
