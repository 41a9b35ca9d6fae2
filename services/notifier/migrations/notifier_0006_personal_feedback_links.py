"""personal feedback links

A completed session keeps the personal links the feedback service minted until it gives
one to each attendee who agreed to be asked (``recipient.feedback_link``, deleted with
the contact).

Revision ID: notifier_0006
Revises: notifier_0005
Create Date: 2026-12-07 03:28:35.312325
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "notifier_0006"
down_revision = "notifier_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifier_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feedback_links", sa.JSON(), nullable=True))

    with op.batch_alter_table("recipient", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feedback_link", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("recipient", schema=None) as batch_op:
        batch_op.drop_column("feedback_link")

    with op.batch_alter_table("notifier_session", schema=None) as batch_op:
        batch_op.drop_column("feedback_links")
