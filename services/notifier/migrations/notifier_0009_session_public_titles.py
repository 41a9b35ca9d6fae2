"""session public titles per language

``notifier_session.public_titles`` and ``languages``, from
``scheduling.session.published``: a message's title is the one for the
attendee's language (shared.titles). Sessions kept before stay None and
their messages keep ``public_title``.

Revision ID: notifier_0009
Revises: notifier_0008
Create Date: 2026-12-07 07:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "notifier_0009"
down_revision = "notifier_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifier_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_titles", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("languages", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifier_session", schema=None) as batch_op:
        batch_op.drop_column("languages")
        batch_op.drop_column("public_titles")
